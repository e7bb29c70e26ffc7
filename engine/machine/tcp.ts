/**
 * The machine's side of the kernel's loopback TCP stack (engine/kernel/tcp), for any scenario that
 * builds its kernel with TCP_SUBSYSTEM. Three generic hooks live here:
 *
 * - THE CLOCK. The scheduler runs the stack at its own moments when the scenario lists
 *   TCP_TIMER_SOURCE among its sources, first of them (so a segment due at the same moment as a
 *   program's action lands before the program acts). tcpAt(w, streams, t) brings it to t by hand: a spell calls it before a
 *   socket call or a look at the stack, and so should a scenario's own timer before its programs
 *   make socket calls, since every socket call acts at the stack's `now`. stackOf() sets the
 *   stack's clock (boot time and now) on first use, which TCP_SUBSYSTEM.boot() leaves at 0.
 *
 * - THE EVENTS. Every TcpEvent tcpAt runs goes to the scenario's `tcpEvent(w, e)` hook
 *   (engine/machine/scenario.ts), where its daemons accept, read and answer, as the scheduler's
 *   source delivers them. A spell's own socket (curl's) is the spell's: it polls it between the
 *   stack's events and the hook ignores it. A socket that resets or closes is dropped from the
 *   descriptor registry on the way.
 *
 * - WHO HOLDS A SOCKET. The stack knows sockets, not processes. A scenario says which process
 *   holds which socket, on which descriptor, with openSocketFd / closeSocketFd (kept in the world
 *   as `netFds`, plain JSON); ss -p, netstat -p and lsof -i read it. Entries of processes that
 *   are gone are ignored.
 */
import { nextEventAt, runUntil, TCP_SUBSYSTEM_NAME, type TcpEvent, type TcpStack } from '../kernel/tcp';
import type { RngStreams } from '../rng';
import { scenarioOf, type TimerSource } from './scenario';
import type { MachineWorld } from './world';

/** one descriptor of a process that refers to a socket of the stack */
export interface NetFd {
  sock: number;
  pid: number;
  fd: number;
}

/** the machine's optional bookkeeping next to the stack (absent until a scenario opens a socket) */
type NetWorld = MachineWorld & { netFds?: NetFd[] };

/** the RNG stream the stack draws its initial sequence numbers from */
export const TCP_STREAM = 'tcp';

/** the loopback stack, its clock set, when this box's kernel has one (a subsystem merely named tcp is not it) */
export function stackOf(w: MachineWorld): TcpStack | null {
  const t = w.k.subsys?.[TCP_SUBSYSTEM_NAME] as unknown as TcpStack | undefined;
  if (!t || typeof t !== 'object' || !Array.isArray(t.sockets) || !Array.isArray(t.log)) return null;
  ensureClock(w, t);
  return t;
}

/** a freshly booted stack starts its clocks at the kernel's boot and the world's present */
function ensureClock(w: MachineWorld, tcp: TcpStack): void {
  if (tcp.bootMs === 0 && tcp.now === 0) {
    tcp.bootMs = w.k.bootTime;
    tcp.now = Math.max(w.k.bootTime, Math.min(w.now, tcp.bootMs + 1e15));
  }
}

/** the scenario's programs hear what the stack tells them, through its tcpEvent hook */
function deliver(w: MachineWorld, e: TcpEvent): void {
  if (e.type === 'reset' || e.type === 'closed') closeSocketFd(w, e.sock);
  scenarioOf(w).tcpEvent?.(w, e);
}

/**
 * Runs the stack up to t (the world's present by default), each event going to the scenario's
 * hook at its own moment, as the scheduler's tcp source does between two firings. A spell calls
 * it before it makes a socket call or reads the stack's state.
 */
export function tcpAt(w: MachineWorld, streams: RngStreams, t: number = w.now): TcpStack | null {
  const tcp = stackOf(w);
  if (!tcp) return null;
  if (t >= tcp.now) runUntil(tcp, t, streams.stream(TCP_STREAM), (e) => deliver(w, e));
  return tcp;
}

/** a process now holds the socket on descriptor fd (after socket(), accept(), or a fork) */
export function openSocketFd(w: MachineWorld, sock: number, pid: number, fd: number): void {
  const nw = w as NetWorld;
  const list = (nw.netFds ??= []);
  if (!list.some((x) => x.sock === sock && x.pid === pid && x.fd === fd)) list.push({ sock, pid, fd });
}

/** the process closed its descriptor (or, without pid, every holder let go: the socket is gone) */
export function closeSocketFd(w: MachineWorld, sock: number, pid?: number): void {
  const nw = w as NetWorld;
  if (!nw.netFds) return;
  nw.netFds = nw.netFds.filter((x) => x.sock !== sock || (pid !== undefined && x.pid !== pid));
}

/** the processes holding a socket, lowest pid first (as a walk of /proc finds them) */
export function socketFds(w: MachineWorld, sock: number): NetFd[] {
  return ((w as NetWorld).netFds ?? []).filter((x) => x.sock === sock && w.k.procs.some((p) => p.pid === x.pid)).sort((a, b) => a.pid - b.pid || a.fd - b.fd);
}

/** an inode number for a socket a spell opens, stable for the socket and the boot */
export function socketInode(w: MachineWorld, sock: number): number {
  let h = 2_166_136_261;
  const seed = `sock:${sock}:${w.k.bootTime}`;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16_777_619) >>> 0;
  return 10_000 + (h % 60_000);
}

/**
 * The stack as a timer source of the scheduler: it fires when a segment lands or one of the
 * stack's timers (delayed ACK, TIME_WAIT) expires, and runs the stack there. A scenario whose
 * kernel has TCP_SUBSYSTEM lists it first among its `sources`.
 */
export const TCP_TIMER_SOURCE: TimerSource = {
  name: 'tcp',
  own: true,
  next: (w) => {
    const s = w.machine.up ? stackOf(w) : null;
    return (s && nextEventAt(s)) ?? Infinity;
  },
  fire: (w, t, run) => void tcpAt(w, run.streams, t),
};

/**
 * When something could next put a segment on lo: the stack's own next event, or the next firing
 * of one of the scenario's timer sources (its programs send from those). A spell that watches
 * lo (tcpdump, curl) lets the machine run to this moment and no further, so it stops right after
 * the packet it was waiting for, as the real one would. Infinity when nothing is due.
 */
export function nextLoActivity(w: MachineWorld): number {
  const tcp = stackOf(w);
  let t = (tcp && nextEventAt(tcp)) ?? Infinity;
  for (const src of scenarioOf(w).sources) if (src.name !== TCP_TIMER_SOURCE.name) t = Math.min(t, src.next(w));
  return t;
}

/**
 * One step of a spell that waits on lo (curl for its answer, tcpdump for packets): what is due now
 * runs, or the world moves on to the next moment lo may carry something, a step past it so that it
 * has happened (never past `until`; `idleStepMs` when nothing is scheduled at all). 'gone' when
 * the kernel has no stack, 'stuck' when the clock could not move (the line's limit, Ctrl-C).
 */
export function stepOnLo(w: MachineWorld, streams: RngStreams, advance: (ms: number) => void, until: number, idleStepMs: number): 'ok' | 'gone' | 'stuck' {
  const stack = stackOf(w);
  if (!stack) return 'gone';
  const due = nextEventAt(stack);
  if (due !== null && due <= w.now) {
    tcpAt(w, streams, w.now);
    return 'ok';
  }
  const next = nextLoActivity(w);
  const t0 = w.now;
  const target = Math.min(until, next === Infinity ? w.now + idleStepMs : Math.max(next, w.now) + 1e-6);
  advance(target - w.now);
  return w.now === t0 ? 'stuck' : 'ok';
}
