import type { ShellEnv } from './types';
import { homeOf, parsePasswd } from '../vfs/accounts';

/**
 * What the shell remembers between lines. Plain JSON: the engine keeps it in the game state and
 * hands it back to runLine with the next line.
 */
export interface ShellState {
  cwd: string;
  /** where `cd -` goes; null until the first cd */
  oldpwd: string | null;
  /** variables set at the prompt (`X=1`, `export X=1`, for-loop variables) */
  vars: Record<string, string>;
  /** names from `vars` (or the environment) that commands see in their environment */
  exported: string[];
  /** $? */
  lastStatus: number;
  /** $$: the PID of the player's bash; 0 means the newest live PID, looked up when $$ is used */
  pid: number;
}

interface InitialShellOptions {
  /** the PID of the simulated bash process; by default the newest live PID */
  pid?: number;
  /** the first directory; by default the login user's home */
  cwd?: string;
}

/**
 * A fresh shell, as right after login. Without an env, the directory is /home/ops (the usual
 * login) and $$ is looked up from the live PIDs when first used.
 */
export function initialShellState(env?: ShellEnv, opts: InitialShellOptions = {}): ShellState {
  return {
    cwd: opts.cwd ?? (env ? homeDirectory(env, env.loginUser) : '/home/ops'),
    oldpwd: null,
    vars: {},
    exported: [],
    lastStatus: 0,
    pid: opts.pid ?? 0,
  };
}

/** A user's home, from /etc/passwd in the simulated box when it says. */
export function homeDirectory(env: ShellEnv, user: string): string {
  const passwd = env.fs.read('/etc/passwd', 'root');
  return homeOf(user, passwd.ok ? parsePasswd(passwd.value) : []);
}

export function cloneState(s: ShellState): ShellState {
  return { ...s, vars: { ...s.vars }, exported: [...s.exported] };
}
