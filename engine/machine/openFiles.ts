/**
 * What each process has open, as lsof finds it under /proc/PID: its cwd and root, the program it
 * runs, the files mapped into it (the same mappings /proc/PID/maps prints), and its descriptors:
 * the standard three, the internet sockets the machine's socket table gives it, and the few files
 * and local sockets the base system's daemons keep open on trusty. The scenario's services keep
 * what their sockets say; their standard descriptors point at /dev/null, as a daemon's do.
 */
import type { LsofFile } from '../formats/lsof';
import type { ProcessView } from '../formats/types';
import { findProc } from '../kernel/procs';
import { processes, sessionShell } from './index';
import { EXE_FILE_BYTES, exePath, inodeOf, mappingsOf } from './mappings';
import { socketsOf } from './sockets';
import type { MachineWorld } from './world';

/** the root filesystem, xvda1 */
const ROOT_DEV = '202,1';
/** /run is a tmpfs */
const RUN_DEV = '0,18';
/** pipefs */
const PIPE_DEV = '0,8';
/** proc */
const PROC_DEV = '0,3';

interface Ask {
  /** who runs lsof: only root sees into other users' processes */
  user: string;
  /** the player's shell's current directory */
  cwd: string;
  /** a regular file's size in bytes, or null when the world has no such file */
  sizeOf(path: string): number | null;
}

type Fd = Omit<LsofFile, 'pid' | 'comm' | 'user'>;

function stable(seed: string, mod: number): number {
  let h = 2_166_136_261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16_777_619) >>> 0;
  return h % mod;
}

const dir = (fd: 'cwd' | 'rtd', path: string): Fd => ({ fd, access: ' ', type: 'DIR', device: ROOT_DEV, sizeOff: '4096', node: path === '/' ? '2' : String(inodeOf(path)), name: path, path });
const chr = (fd: number, access: string, dev: string, node: number, path: string): Fd => ({ fd, access, type: 'CHR', device: dev, sizeOff: '0t0', node: String(node), name: path, path });
const devNull = (fd: number): Fd => chr(fd, 'u', '1,3', 1029, '/dev/null');
const unix = (fd: number, seed: string, path: string): Fd => ({
  fd,
  access: 'u',
  type: 'unix',
  device: `0xffff8800${stable(`sk:${seed}`, 0x10000000).toString(16).padStart(8, '0').replace(/.$/, '0')}`,
  sizeOff: '0t0',
  node: String(8_000 + stable(`unix:${seed}`, 60_000)),
  name: path,
  ...(path.startsWith('/') ? { path } : {}),
});
const pipe = (fd: number, access: string, seed: string): Fd => ({ fd, access, type: 'FIFO', device: PIPE_DEV, sizeOff: '0t0', node: String(20_000 + stable(`pipe:${seed}`, 900_000)), name: 'pipe' });

function regular(fd: number | 'txt' | 'mem', access: string, path: string, size: number | null | (() => number | null), dev = ROOT_DEV): Fd {
  const text = (n: number | null): string => (n === null ? '' : String(n));
  // a log file's size is worked out by rendering it: only for the rows lsof prints
  const sizeOff = typeof size === 'function' ? () => text(size()) : text(size);
  return { fd, access, type: 'REG', device: dev, sizeOff, node: String(inodeOf(path)), name: path, path };
}

/** the descriptors the base system's daemons hold besides their sockets (trusty's packages) */
function daemonFds(p: ProcessView, ask: Ask): Fd[] {
  const log = (fd: number, name: string): Fd => regular(fd, 'w', `/var/log/${name}`, () => ask.sizeOf(`/var/log/${name}`));
  switch (p.comm) {
    case 'rsyslogd':
      // imuxsock's /dev/log and imklog's /proc/kmsg, then the files 50-default.conf writes
      return [unix(0, `${p.pid}:/dev/log`, '/dev/log'), log(1, 'syslog'), log(2, 'kern.log'), { fd: 3, access: 'r', type: 'REG', device: PROC_DEV, sizeOff: '0', node: '4026532039', name: '/proc/kmsg', path: '/proc/kmsg' }, log(4, 'auth.log')];
    case 'cron':
      // "(CRON) INFO (pidfile fd = 3)": the pid file it holds locked
      return [devNull(0), devNull(1), devNull(2), { ...regular(3, 'u', '/run/crond.pid', () => ask.sizeOf('/run/crond.pid') ?? String(p.pid).length + 1, RUN_DEV), lock: 'W' }];
    case 'dbus-daemon':
      return [devNull(0), devNull(1), devNull(2), unix(3, `${p.pid}:bus`, '/var/run/dbus/system_bus_socket')];
    case 'acpid':
      return [devNull(0), devNull(1), devNull(2), unix(3, `${p.pid}:acpid`, '/var/run/acpid.socket')];
    case 'getty': {
      const n = Number(/tty(\d+)$/.exec(p.tty)?.[1] ?? 0);
      return [0, 1, 2].map((fd) => chr(fd, 'u', `4,${n}`, 1_100 + n, `/dev/${p.tty}`));
    }
    default:
      return [devNull(0), devNull(1), devNull(2)];
  }
}

/** the player's login shell: its terminal on 0, 1, 2 and bash's own 255 */
function shellFds(p: ProcessView): Fd[] {
  const n = Number(/pts\/(\d+)$/.exec(p.tty)?.[1] ?? 0);
  return [0, 1, 2, 255].map((fd) => chr(fd, 'u', `136,${n}`, n + 3, `/dev/${p.tty}`));
}

/** what lsof can say of a process whose /proc entries it may not read */
function closed(p: ProcessView, why: string): Fd[] {
  const link = (fd: 'cwd' | 'rtd' | 'txt', name: string): Fd => ({ fd, access: ' ', type: 'unknown', device: '', sizeOff: '', node: '', name: `/proc/${p.pid}/${name} (readlink: ${why})` });
  return [link('cwd', 'cwd'), link('rtd', 'root'), link('txt', 'exe'), { fd: 'NOFD', access: ' ', type: '', device: '', sizeOff: '', node: '', name: `/proc/${p.pid}/fd (opendir: ${why})` }];
}

/** cwd, rtd, txt and the mapped files, from the process's mappings */
function imageFds(w: MachineWorld, p: ProcessView, cwd: string): Fd[] {
  const proc = findProc(w.k, p.pid);
  const exe = exePath(p);
  const maps = proc ? mappingsOf(w, proc) : [];
  // a library's size: as far as its mappings reach into it (the alignment hole maps nothing of it)
  const reach = new Map<string, number>();
  for (const v of maps) if (v.inode > 0 && v.perms !== '---p') reach.set(v.name, Math.max(reach.get(v.name) ?? 0, v.offset + (v.endPage - v.startPage) * 4096));
  const out: Fd[] = [dir('cwd', cwd), dir('rtd', '/'), regular('txt', ' ', exe, EXE_FILE_BYTES)];
  const seen = new Set<string>([exe]);
  for (const v of maps) {
    if (v.inode === 0 || seen.has(v.name)) continue;
    seen.add(v.name);
    out.push(regular('mem', ' ', v.name, reach.get(v.name)!));
  }
  return out;
}

/** Every open file of every process lsof run by `ask.user` can see, in no particular order. */
export function openFiles(w: MachineWorld, ask: Ask): LsofFile[] {
  if (!w.machine.up) return [];
  const procs = processes(w);
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const shell = sessionShell(w);
  const fds = new Map<number, Fd[]>();
  for (const s of socketsOf(w)) {
    for (const h of s.holders) {
      const list = fds.get(h.pid) ?? [];
      list.push({ fd: h.fd, access: 'u', type: s.v6 ? 'IPv6' : 'IPv4', device: String(s.inode), sizeOff: '0t0', node: s.proto.toUpperCase(), name: '', inet: s });
      fds.set(h.pid, list);
    }
  }
  const out: LsofFile[] = [];
  for (const p of procs) {
    const mine = ask.user === 'root' || ask.user === p.user;
    let files: Fd[];
    if (p.kernelThread) {
      files = mine
        ? [dir('cwd', '/'), dir('rtd', '/'), { fd: 'txt', access: ' ', type: 'unknown', device: '', sizeOff: '', node: '', name: `/proc/${p.pid}/exe` }]
        : closed(p, 'Permission denied');
    } else if (!mine) files = closed(p, 'Permission denied');
    else {
      const sockets = fds.get(p.pid) ?? [];
      const taken = new Set(sockets.map((f) => f.fd));
      let own: Fd[];
      if (p.pid === shell) own = shellFds(p);
      else if (byPid.get(p.ppid)?.pid === w.cron.cronPid) own = [devNull(0), devNull(1), devNull(2)];
      // a cron job's shell reads its stdin from and writes its output into pipes to its CRON parent
      else if (byPid.get(p.ppid)?.comm === 'cron') own = [pipe(0, 'r', `${p.ppid}:in`), pipe(1, 'w', `${p.ppid}:out`), pipe(2, 'w', `${p.ppid}:out`)];
      else own = daemonFds(p, ask);
      files = [...imageFds(w, p, p.pid === shell ? ask.cwd : '/'), ...own.filter((f) => !taken.has(f.fd)), ...sockets];
    }
    for (const f of files) out.push({ pid: p.pid, comm: p.comm, user: p.user, ...f });
  }
  return out;
}
