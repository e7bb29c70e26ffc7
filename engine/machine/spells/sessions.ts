import { formatLast, formatW, formatWho, parseLastArgs, parseWArgs, parseWhoArgs, type LoginView, type WtmpRecord } from '../../formats/sessions';
import { defineCommand } from '../../shell/commands/define';
import type { CommandContext, CommandResult, CommandSpec } from '../../shell/types';
import * as sim from '../index';
import type { MachineWorld } from '../world';
import type { MachineContext } from './context';
import { findProc } from '../../kernel/procs';
import { wtmpNow } from '../wtmp';

/**
 * Who is on the box: who, w and last, from the player's ssh login (the only one this machine
 * has) and the boots the machine remembers.
 */

const res = (stdout: string, stderr = '', code = 0): CommandResult => ({ stdout, stderr, code });
const args = (ctx: CommandContext) => ctx.argv.slice(1);

/** The player's utmp entry: sshd records the login shell's pid and the client's address. */
function logins(w: MachineWorld, ctx: CommandContext): LoginView[] {
  const shell = sim.sessionShell(w);
  if (!shell) return [];
  const procs = sim.processes(w);
  const bash = procs.find((p) => p.pid === shell);
  if (!bash) return [];
  const onTty = procs.filter((p) => p.tty === bash.tty);
  const jcpu = onTty.reduce((a, p) => a + p.cpuTimeMs, 0);
  return [
    {
      user: bash.user,
      line: bash.tty,
      host: w.p.sshClientIp,
      loginMs: bash.startTime,
      pid: bash.pid,
      // the player is typing this very command: the terminal was read from just now
      idleMs: 0,
      jcpuMs: jcpu,
      pcpuMs: 0,
      what: `${ctx.user === 'root' ? 'sudo ' : ''}${ctx.argv.join(' ')}`,
    },
  ];
}

/** wtmp as last reads it: whether each login's process is still there is asked of the kernel */
function wtmpView(w: MachineWorld): { records: WtmpRecord[]; since: number } {
  const log = wtmpNow(w);
  const records = log.records.map((r): WtmpRecord => {
      switch (r.type) {
        case 'boot':
          return { kind: 'boot', time: r.t, release: r.release };
        case 'runlevel':
          return { kind: 'runlevel', time: r.t, level: r.level, release: r.release };
        case 'shutdown':
          return { kind: 'shutdown', time: r.t, release: r.release };
        case 'login':
          return { kind: 'login', time: r.t, user: r.user, line: r.line, host: r.host, pid: r.pid, alive: findProc(w.k, r.pid) !== undefined };
        case 'logout':
          return { kind: 'logout', time: r.t, line: r.line };
      }
    });
  return { records, since: log.since };
}

export function sessionSpells(c: MachineContext): CommandSpec[] {
  const w = () => c.world();
  return [
    defineCommand({
      name: 'who',
      summary: 'who is logged in',
      category: 'processes',
      synopsis: ['who [-H] [-b] [-q] [-u]'],
      description: ['One line per login: the user, the terminal, when they logged in and where from. -b prints when the system booted.'],
      options: [
        ['-b, --boot', 'time of the last system boot'],
        ['-H, --heading', 'print column headings'],
        ['-q, --count', 'just the login names and how many'],
        ['-u, --users', 'add idle time and the login shell\'s pid'],
      ],
      examples: [['who -b', 'when the machine last booted']],
      run: (ctx) => {
        const p = parseWhoArgs(args(ctx));
        if (!p.ok) return res(p.stdout, p.stderr, p.code);
        return res(formatWho(logins(w(), ctx), w().k.bootTime, p.options));
      },
    }),
    defineCommand({
      name: 'w',
      summary: 'who is logged in and what they are doing, with the load average',
      category: 'processes',
      synopsis: ['w [-h] [-s] [-f] [USER]'],
      description: ['The uptime line (time, how long up, users, load average), then one line per login: terminal, where from, when, idle time, CPU used by everything on that terminal (JCPU) and by the current command (PCPU), and what that command is.'],
      options: [
        ['-h, --no-header', 'no uptime line and no column headings'],
        ['-s, --short', 'leave out LOGIN@, JCPU and PCPU'],
        ['-f, --from', 'toggle the FROM column'],
      ],
      examples: [['w', 'who else is on the box, and the load']],
      run: (ctx) => {
        const p = parseWArgs(args(ctx));
        if (!p.ok) return res(p.stdout, p.stderr, p.code);
        return res(formatW(sim.systemSummary(w()), logins(w(), ctx), p.options));
      },
    }),
    defineCommand({
      name: 'last',
      summary: 'past logins and reboots, newest first (from /var/log/wtmp)',
      category: 'logs',
      synopsis: ['last [-N] [-n N] [-R] [-a] [-F] [-x] [-w] [-t YYYYMMDDHHMMSS] [NAME|TTY...]'],
      description: [
        'Reads /var/log/wtmp backwards: each login with when it ended (still logged in, a logout time, "down" for a clean shutdown, "crash" when the machine died under it), and a "reboot system boot" line for every boot, with the kernel that booted and how long it stayed up. `last reboot` shows only the boots.',
      ],
      options: [
        ['-N, -n N', 'only the N newest lines'],
        ['-R', 'leave out the host column'],
        ['-a', 'the host in the last column'],
        ['-F', 'full login and logout times'],
        ['-x', 'shutdown records and runlevel changes too'],
        ['-w', 'the whole user and host names'],
        ['-t YYYYMMDDHHMMSS', 'as wtmp stood at that moment'],
      ],
      examples: [['last reboot', 'every boot in this month\'s wtmp']],
      notes: ['Only this month\'s /var/log/wtmp is kept: -f with another file is not simulated.'],
      run: (ctx) => {
        const p = parseLastArgs(args(ctx));
        if (!p.ok) return res(p.stdout, p.stderr, p.code);
        const v = wtmpView(w());
        return res(formatLast(v.records, w().now, v.since, p.options));
      },
    }),
  ];
}
