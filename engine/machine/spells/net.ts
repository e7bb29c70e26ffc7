import { formatNetstat, formatSs, parseNetstatArgs, parseSsArgs, type SocketRow } from '../../formats/netstat';
import { defineCommand } from '../../shell/commands/define';
import type { CommandContext, CommandResult, CommandSpec } from '../../shell/types';
import { formatLsof, parseLsofArgs, type LsofSocket } from '../../formats/lsof';
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
    defineCommand({
      name: 'lsof',
      summary: 'which processes hold which network sockets',
      category: 'network',
      synopsis: ['sudo lsof -i', 'sudo lsof -i :53', 'sudo lsof -i -a -p PID'],
      description: [
        'Lists open files with the process holding each. Here it lists internet sockets: every process that holds one gets its own line, so a socket inherited by forked children shows once per process. -i selects sockets ([4|6][tcp|udp][@host][:port]), -n and -P keep addresses and ports numeric, -p, -u and -c select processes (or-ed with -i unless -a).',
        'Only root sees other users\' processes.',
      ],
      options: [
        ['-i [SPEC]', 'internet sockets, e.g. -i :53, -i tcp:22, -i udp'],
        ['-n, -P', 'no host names, no port names'],
        ['-p PID, -u USER, -c CMD', 'select processes'],
        ['-a', 'and the selections instead of or-ing them'],
      ],
      notes: ['Regular files, pipes, devices and memory maps are not simulated: lsof here lists sockets only.'],
      examples: [['sudo lsof -i :53', 'who holds the DNS port']],
      run: (ctx: CommandContext) => {
        const p = parseLsofArgs(ctx.argv.slice(1));
        if (!p.ok) return res(p.stdout, p.stderr, p.code);
        const flat: LsofSocket[] = [];
        for (const r of socketRows(w(), ctx.user)) {
          for (const h of r.holders) {
            if (!h.visible) continue;
            flat.push({ pid: h.pid, comm: h.comm, user: h.user ?? '', fd: h.fd, proto: r.proto, v6: r.v6, local: r.local, lport: r.lport, remote: r.remote, rport: r.rport, state: r.state, inode: r.inode ?? 0 });
          }
        }
        const out = formatLsof(flat, p.options, hostsOf(w()));
        const note = p.options.inet ? '' : 'lsof: only internet sockets are simulated here; regular files, pipes and memory maps are not listed\n';
        return res(out.stdout, note, out.code);
      },
    }),
  ];
}
