import { formatNetstat, formatSs, parseNetstatArgs, parseSsArgs, type SocketRow } from '../../formats/netstat';
import { defineCommand } from '../../shell/commands/define';
import type { CommandContext, CommandResult, CommandSpec } from '../../shell/types';
import { formatLsof, LSOF_USAGE, parseLsofArgs } from '../../formats/lsof';
import { normalizePath } from '../../vfs/path';
import { openFiles } from '../openFiles';
import { socketsOf } from '../sockets';
import type { MachineWorld } from '../world';
import type { MachineContext } from './context';
import { curlSpells } from './curl';
import { ipSpells } from './iproute';
import { tcpdumpSpells } from './tcpdump';
import { formatSsTcpInfo } from '../../formats/tcpSockets';
import { ssTcpRows } from '../../kernel/tcp';
import { stackOf, tcpAt } from '../tcp';

/** Spells that look at the machine's sockets and open files: netstat, ss and lsof. */

/** device files lsof can stat that the game's file store does not hold */
const isDevice = (path: string): boolean => /^\/dev\/(null|log|pts\/\d+|tty\d+)$/.test(path) || path === '/proc/kmsg';

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

/** ss -ti / -to on the loopback stack: tcp_info under each connection (iproute2 3.12's layout) */
function ssTcpInfo(w: MachineWorld, argv: readonly string[]): CommandResult | null {
  const flags = argv.filter((a) => /^-[a-zA-Z0-9]+$/.test(a)).join('');
  const wantsInfo = /i/.test(flags) || argv.includes('--info');
  const wantsOpts = /o/.test(flags) || argv.includes('--options');
  if (!wantsInfo) return null;
  if (argv.some((a) => !/^-[tinoe4]+$/.test(a) && a !== '--info' && a !== '--options' && a !== '--tcp' && a !== '--numeric')) {
    return res('', 'ss: with -i this machine shows its TCP connections only (-t, -i, -n, -o); -p, -m, -l, -a and filters are not simulated together with -i\n', 255);
  }
  const tcp = stackOf(w);
  // a box without the simulated stack has no tcp_info to show: the parser says -i is not simulated
  if (!tcp) return null;
  return res(formatSsTcpInfo(ssTcpRows(tcp), { options: wantsOpts }));
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
        tcpAt(w(), c.streams);
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
        'On a box whose loopback traffic is simulated, -i adds what the kernel knows about each TCP connection over lo on a second line: rto and rtt, ato (how long it may delay an ACK), mss, cwnd, unacked segments; -o adds its retransmit timer. Recv-Q is what arrived and was not read yet, Send-Q what was written and not yet acknowledged.',
      ],
      options: [
        ['-t, -u', 'TCP, UDP'],
        ['-l', 'listening sockets'],
        ['-a', 'listening and connected'],
        ['-n', 'numeric'],
        ['-p', 'users:(("name",pid,fd),...)'],
        ['-i, -o', 'TCP internals of each loopback connection; its timer'],
      ],
      examples: [
        ['sudo ss -tulpn', 'listening ports and their processes'],
        ['ss -tin', 'rtt, ato and unacked of the connections over lo'],
      ],
      notes: ['-i shows only the loopback connections the machine simulates (not the ssh connection over eth0), and not with -p, -m, -l or a filter; state filters and -m (socket memory) are not simulated.'],
      run: (ctx: CommandContext) => {
        tcpAt(w(), c.streams);
        const info = ssTcpInfo(w(), ctx.argv.slice(1));
        if (info) return info;
        const p = parseSsArgs(ctx.argv.slice(1), hostsOf(w()));
        if (!p.ok) return res(p.stdout, p.stderr, p.code);
        const r = formatSs(socketRows(w(), ctx.user), p.options);
        return res(r.stdout, r.stderr);
      },
    }),
    defineCommand({
      name: 'lsof',
      summary: 'which processes hold which files, sockets and libraries open',
      category: 'network',
      synopsis: ['sudo lsof', 'sudo lsof -p PID', 'sudo lsof -i :53', 'lsof /var/log/syslog', 'sudo lsof -u USER -c NAME'],
      description: [
        'Lists open files with the process holding each: its current directory (cwd), root (rtd), program (txt), the files mapped into it (mem: its libraries, as /proc/PID/maps shows them) and its descriptors (numbered, with r, w or u for how each was opened): the terminal or /dev/null, log files, pipes, local (unix) and internet sockets. A socket inherited by forked children shows once per process.',
        '-i selects internet sockets ([4|6][tcp|udp][@host][:port]), -n and -P keep addresses and ports numeric, -p, -u and -c select processes (a leading ^ leaves them out), a file name selects whoever has that file open; selections are or-ed unless -a. -t prints only the process ids.',
        'Without root, other users\' processes show only that their /proc entries could not be read.',
      ],
      options: [
        ['-i [SPEC]', 'internet sockets, e.g. -i :53, -i tcp:22, -i udp'],
        ['-n, -P', 'no host names, no port names'],
        ['-p PID, -u USER, -c CMD', 'select processes (^ excludes)'],
        ['-a', 'and the selections instead of or-ing them'],
        ['-t', 'process ids only'],
        ['FILE', 'who has this file open'],
      ],
      notes: ['Threads (-K), repeat mode (-r), +D directory trees and field output (-F) are not simulated.'],
      examples: [
        ['sudo lsof -i :53', 'who holds the DNS port'],
        ['sudo lsof -p 1', 'everything init has open'],
        ['sudo lsof /var/log/syslog', 'who writes the syslog'],
      ],
      run: (ctx: CommandContext) => {
        const p = parseLsofArgs(ctx.argv.slice(1));
        if (!p.ok) return res(p.stdout, p.stderr, p.code);
        let err = '';
        const names: string[] = [];
        for (const n of p.options.names ?? []) {
          const path = normalizePath(n, ctx.cwd);
          if (!ctx.env.fs.stat(path).ok && !isDevice(path)) err += `lsof: status error on ${n}: No such file or directory\n`;
          else names.push(path);
        }
        if (err) {
          // lsof gives up on the names it could not stat; with none left it says how it is used
          if (!names.length) return res('', err + LSOF_USAGE, 1);
        }
        const sizeOf = (path: string): number | null => {
          const st = ctx.env.fs.stat(path);
          return st.ok && st.value.type === 'file' ? st.value.size : null;
        };
        tcpAt(w(), c.streams);
        const files = openFiles(w(), { user: ctx.user, cwd: ctx.cwd, sizeOf });
        const out = formatLsof(files, { ...p.options, names: p.options.names ? names : null }, hostsOf(w()));
        return res(out.stdout, err, err ? 1 : out.code);
      },
    }),
    ...tcpdumpSpells(c),
    ...curlSpells(c),
    ...ipSpells(c),
  ];
}
