/**
 * What strace sees NSD 4.0's processes do (server.c of NSD_4_0_1_REL): the main sleeps in
 * pselect6() on the command sockets of its serve children and of xfrd (netio.c), wakes when xfrd
 * sends NSD_RELOAD, makes a socketpair and forks the reload process; that child loads the zones,
 * forks the new serve children and sends NSD_QUIT_SYNC and NSD_QUIT back; the old main
 * acknowledges, tells its own serve children to quit and exits. The story is read off the
 * simulation after the traced interval: which processes are new, which are gone, who is main.
 */
import type { TraceEvent, TraceRequest } from '../../../machine/scenario';
import { childBecomesMain, forkLatencyMs } from './nsd';
import { ROLE, type Ch1World } from './world';

/** glibc's fork() as the kernel sees it on x86_64 */
const FORK_FLAGS = 'child_stack=0, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD';
/** NSD's IPC commands (nsd.h), as the 4-byte sig_atomic_t strace shows */
const CMD = { reload: '"\\1\\0\\0\\0"', quit: '"\\5\\0\\0\\0"', quitSync: '"\\t\\0\\0\\0"' } as const;
/**
 * Microseconds the short calls take on this class of machine; only the fork's cost depends on
 * the process (its anon_vma chains), and that one comes from the simulation.
 */
const COST_US = { pselect6: 22, read: 6, write: 9, close: 4, socketpair: 14 } as const;

/** Descriptors: 0-2 /dev/null, 3-4 the UDP and TCP sockets, 5 xfrd's command socket, then one per serve child. */
const XFRD_FD = 5;

/**
 * The TID pointer glibc hands clone(): in the first thread's TLS, where the dynamic loader put it
 * when the first nsd started. Every nsd since is a fork of that one, so they all share it.
 */
function tidPtr(w: Ch1World): string {
  let h = 2166136261;
  for (const ch of `${w.p.ip}/${w.p.hostname}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return `0x7f${h.toString(16).padStart(8, '0').slice(0, 7)}9d0`;
}

/** pselect6's "left" timeout: what remains of the 60 s the main waits between looks at its children. */
function left(sleptAt: number, wokeAt: number): string {
  const us = Math.max(0, Math.min(60_000_000, 60_000_000 - Math.round((wokeAt - sleptAt) * 1000)));
  return `left {${Math.floor(us / 1e6)}, ${us % 1e6}}`;
}

/** The main went back to sleep at its last 60 s timeout (it starts its waits from when it started). */
function lastTimeout(start: number, t: number): number {
  return t - ((t - start) % 60_000);
}

function fdSet(fds: number[]): string {
  return `[${fds.join(' ')}]`;
}

function pselectArgs(fds: number[]): string {
  return `${Math.max(...fds) + 1}, ${fdSet(fds)}, NULL, NULL, {60, 0}, {[], 8}`;
}

function call(t: number, pid: number, name: keyof typeof COST_US | 'clone' | 'exit_group', args: string, ret: string, us?: number): TraceEvent {
  return { t, pid, kind: 'call', name, args, ret, us: us ?? (name in COST_US ? COST_US[name as keyof typeof COST_US] : 0) };
}

/** The main's descriptors while it serves: its children's command sockets and xfrd's. */
function mainFds(children: number): number[] {
  const fds = [XFRD_FD];
  for (let i = 0; i < children; i++) fds.push(XFRD_FD + 1 + i);
  return fds;
}

/** strace of one nsd process over [from, to]; null for a process that is not NSD's. */
export function nsdSyscalls(w: Ch1World, req: TraceRequest): TraceEvent[] | null {
  const was = req.before.find((p) => p.pid === req.pid);
  const now = w.k.procs.find((p) => p.pid === req.pid);
  const role = now?.role ?? was?.role ?? '';
  if (!role.startsWith('nsd-')) return null;
  const run = w.nsd.running;
  const kids = run?.slots.length ?? 1;
  const fds = mainFds(kids);
  const events: TraceEvent[] = [];
  if (role === ROLE.main || was?.role === ROLE.main) {
    const version = run?.version ?? '4.0.1';
    const successor = run && run.mainPid !== req.pid ? w.k.procs.find((p) => p.pid === run.mainPid) : undefined;
    if (!now && successor && successor.start >= req.from && childBecomesMain(version)) {
      const t = successor.start;
      const sock = Math.max(...fds) + 1;
      const reloadFds = [...fds, sock];
      events.push(call(t, req.pid, 'pselect6', pselectArgs(fds), `1 (in ${fdSet([XFRD_FD])}, ${left(lastTimeout(was?.start ?? t, t), t)})`));
      events.push(call(t, req.pid, 'read', `${XFRD_FD}, ${CMD.reload}, 4`, '4'));
      events.push(call(t, req.pid, 'socketpair', `PF_LOCAL, SOCK_STREAM, 0, [${sock}, ${sock + 1}]`, '0'));
      const forkUs = Math.round(forkLatencyMs(w, successor.mm?.depth ?? 1) * 1000);
      events.push(call(t, req.pid, 'clone', `${FORK_FLAGS}, child_tidptr=${tidPtr(w)}`, String(successor.pid), forkUs));
      // the old main hears back once the reload process has forked the new serve children
      const done = Math.max(t, ...w.k.procs.filter((p) => p.ppid === successor.pid && p.start >= req.from).map((p) => p.start));
      if (req.follow) events.push(...reloadChild(w, req, successor.pid, sock + 1, t, done));
      events.push(call(t, req.pid, 'close', `${sock + 1}`, '0'));
      events.push(call(done, req.pid, 'pselect6', pselectArgs(reloadFds), `1 (in ${fdSet([sock])}, ${left(t, done)})`));
      events.push(call(done, req.pid, 'read', `${sock}, ${CMD.quitSync}, 4`, '4'));
      events.push(call(done, req.pid, 'write', `${XFRD_FD}, ${CMD.reload}, 4`, '4'));
      events.push(call(done, req.pid, 'pselect6', pselectArgs(reloadFds), `1 (in ${fdSet([sock])}, ${left(done, done)})`));
      events.push(call(done, req.pid, 'read', `${sock}, ${CMD.quit}, 4`, '4'));
      events.push(call(done, req.pid, 'write', `${sock}, ${CMD.reload}, 4`, '4'));
      events.push(call(done, req.pid, 'close', `${sock}`, '0'));
      for (let i = 0; i < kids; i++) events.push(call(done, req.pid, 'write', `${XFRD_FD + 1 + i}, ${CMD.quit}, 4`, '4'));
      events.push(call(done, req.pid, 'exit_group', '0', '?'));
      events.push({ t: done, pid: req.pid, kind: 'exit', status: 0 });
      return events;
    }
    if (!now) return events;
    // still main: each process it forked in the interval (a serve child restarted, 4.1's reload) is a clone
    for (const c of w.k.procs.filter((p) => p.ppid === req.pid && p.start >= req.from && p.start <= req.to).sort((a, b) => a.start - b.start)) {
      events.push(call(c.start, req.pid, 'clone', `${FORK_FLAGS}, child_tidptr=${tidPtr(w)}`, String(c.pid), Math.round(forkLatencyMs(w, now.mm?.depth ?? 1) * 1000)));
    }
    events.push({ t: req.to, pid: req.pid, kind: 'unfinished', name: 'pselect6', args: pselectArgs(fds) });
    return events;
  }
  // a serve child or xfrd: asleep in pselect6 on its sockets; a child told to quit reads the order and exits
  const own = role === ROLE.xfrd ? [XFRD_FD, 6, 7] : [3, 4, XFRD_FD + 1 + Math.max(0, now?.slot ?? 0)];
  if (!now) {
    const t = req.to;
    const cmdFd = own[own.length - 1]!;
    events.push(call(t, req.pid, 'pselect6', pselectArgs(own), `1 (in ${fdSet([cmdFd])}, ${left(lastTimeout(was?.start ?? t, t), t)})`));
    events.push(call(t, req.pid, 'read', `${cmdFd}, ${CMD.quit}, 4`, '4'));
    events.push(call(t, req.pid, 'exit_group', '0', '?'));
    events.push({ t, pid: req.pid, kind: 'exit', status: 0 });
    return events;
  }
  events.push({ t: req.to, pid: req.pid, kind: 'unfinished', name: 'pselect6', args: pselectArgs(own) });
  return events;
}

/** -f: the reload process the main forked, from its birth to becoming the new main. */
function reloadChild(w: Ch1World, req: TraceRequest, pid: number, sock: number, t: number, done: number): TraceEvent[] {
  const me = w.k.procs.find((p) => p.pid === pid);
  const out: TraceEvent[] = [{ t, pid, kind: 'attach' }];
  out.push(call(t, pid, 'close', `${sock - 1}`, '0'));
  for (const c of w.k.procs.filter((p) => p.ppid === pid && p.start >= req.from).sort((a, b) => a.start - b.start)) {
    out.push(call(c.start, pid, 'clone', `${FORK_FLAGS}, child_tidptr=${tidPtr(w)}`, String(c.pid), Math.round(forkLatencyMs(w, me?.mm?.depth ?? 1) * 1000)));
  }
  out.push(call(done, pid, 'write', `${sock}, ${CMD.quitSync}, 4`, '4'));
  out.push(call(done, pid, 'write', `${sock}, ${CMD.quit}, 4`, '4'));
  out.push(call(done, pid, 'read', `${sock}, ${CMD.reload}, 4`, '4'));
  out.push(call(done, pid, 'close', `${sock}`, '0'));
  out.push({ t: req.to, pid, kind: 'unfinished', name: 'pselect6', args: pselectArgs(mainFds(w.nsd.running?.slots.length ?? 1)) });
  return out;
}
