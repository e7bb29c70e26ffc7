/**
 * The box's past, run with the same machinery the player's lines use: while a world is being
 * built, cron's jobs (the nightly backup) run through the engine's shell on the machine's own
 * spells, and a colleague's commands (Nadia's restore) are lines typed as root. Nothing here
 * writes an output the machine did not produce.
 */
import { bindMachine } from '../../../machine/bind';
import type { RngStreams } from '../../../rng';
import { initialShellState, runLine } from '../../../shell/exec';
import { createRegistry, genericCommands } from '../../../shell/registry';
import type { CommandResult, ShellEnv } from '../../../shell/types';
import { Vfs } from '../../../vfs/vfs';
import type { Ch3World } from './world';

export interface History {
  /** runs the world to `ms`, cron's commands included */
  advanceTo(ms: number): void;
  /** one line typed by `user` (a colleague at a root shell); its stdout and stderr together */
  type(line: string, user?: string): string;
}

export function historyOf(w: Ch3World, streams: RngStreams): History {
  const { binding } = bindMachine(w, streams);
  const registry = createRegistry([...genericCommands(), ...binding.commands]);
  const fs = new Vfs(binding.files, binding.providers, { now: () => binding.now(), disk: binding.disk });
  const clock = {
    runCommand: (line: string, user: string): CommandResult => runLine(line, env(true), { ...initialShellState(), cwd: "/" }, { user }),
  };
  const env = (cron: boolean): ShellEnv => ({
    commands: registry,
    fs,
    loginUser: cron ? 'root' : binding.loginUser,
    hostname: binding.hostname,
    sudoers: binding.sudoers,
    now: () => binding.now(),
    advance: (ms) => binding.advanceTo(binding.now() + Math.max(0, ms), clock),
    pids: () => binding.pids(),
    vars: { ...binding.vars, HOME: '/root', USER: 'root', LOGNAME: 'root' },
  });
  return {
    advanceTo: (ms) => binding.advanceTo(ms, clock),
    type: (line, user = 'root') => {
      const r = runLine(line, env(false), { ...initialShellState(), cwd: '/root' }, { user });
      return r.output.map((c) => c.text).join('');
    },
  };
}
