import { formatNetstat, formatSs, parseNetstatArgs, parseSsArgs, type SocketRow } from '../../formats/netstat';
import { defineCommand } from '../../shell/commands/define';
import type { CommandContext, CommandResult, CommandSpec } from '../../shell/types';
import { socketsOf } from '../sockets';
import type { MachineWorld } from '../world';
import type { MachineContext } from './context';

/** Spells that look at the machine's sockets: netstat and ss. */

const res = (stdout: string, stderr = '', code = 0): CommandResult => ({ stdout, stderr, code });

/** /etc/hosts as address → first name */
function hostsOf(w: MachineWorld): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of (w.files.files['/etc/hosts']?.content ?? '').split('\n')) {
    const [addr, name] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (addr && name && !(addr in out)) out[addr] = name;
  }
  return out;
}

/** what -p may show: /proc/PID/fd of another user's process is closed to anyone but root */
export function socketRows(w: MachineWorld, user: string): SocketRow[] {
  return socketsOf(w).map((s) => ({ ...s, holders: s.holders.map((h) => ({ ...h, visible: user === 'root' || h.user === user })) }));
}

export function netSpells(c: MachineContext): CommandSpec[] {
  const w = () => c.world();
  return [
    defineCommand({
      name: 'netstat',
      summary: 'network connections and the ports services listen on',
      category: 'network',
      synopsis: ['netstat -tulpn', 'netstat -tn'],
      description: [
        'Lists internet sockets: with -l the ones services listen on, without it the open connections. -t TCP, -u UDP, -n numbers instead of names, -p the pid and program holding each socket (other users\' processes only with sudo).',
        'A port appears only while a process holds its socket open: a daemon that died takes its ports with it.',
      ],
      options: [
        ['-t, -u', 'TCP, UDP'],
        ['-l', 'listening sockets only'],
        ['-a', 'listening and connected'],
        ['-n', 'numeric addresses and ports'],
        ['-p', 'PID/Program name'],
      ],
      examples: [['sudo netstat -tulpn', 'every port a service listens on, and which process holds it']],
      run: (ctx: CommandContext) => {
        const p = parseNetstatArgs(ctx.argv.slice(1), hostsOf(w()));
        if (!p.ok) return res(p.stdout, p.stderr, p.code);
        const r = formatNetstat(socketRows(w(), ctx.user), p.options, ctx.user === 'root');
        return res(r.stdout, r.stderr);
      },
    }),
    defineCommand({
      name: 'ss',
      summary: 'sockets: what listens where, and the open connections',
      category: 'network',
      synopsis: ['ss -tulpn', 'ss -tn'],
      description: [
        'The newer netstat: -t TCP, -u UDP, -l listening, -a all, -n numeric, -p the processes holding each socket (every one of them, with the descriptor number).',
      ],
      options: [
        ['-t, -u', 'TCP, UDP'],
        ['-l', 'listening sockets'],
        ['-a', 'listening and connected'],
        ['-n', 'numeric'],
        ['-p', 'users:(("name",pid,fd),...)'],
      ],
      examples: [['sudo ss -tulpn', 'listening ports and their processes']],
      run: (ctx: CommandContext) => {
        const p = parseSsArgs(ctx.argv.slice(1), hostsOf(w()));
        if (!p.ok) return res(p.stdout, p.stderr, p.code);
        const r = formatSs(socketRows(w(), ctx.user), p.options);
        return res(r.stdout, r.stderr);
      },
    }),
  ];
}
