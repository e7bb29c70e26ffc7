/**
 * What strace -p sees the two daemons do, read off the simulation after the traced interval.
 *
 * The publisher is ruby 1.9.3 running /srv/publisher's loop on its main thread (strace -p traces
 * that thread only). Per publish (w.net.timeline: start, when it wrote, what it wrote, when the
 * answer had been read):
 * - Dir[SPOOL/*.json] is glibc's opendir/readdir: open, fstat, getdents until 0, close; then
 *   File.read of the event (open, fstat, lseek, read, read to EOF, close);
 * - Net::HTTP 1.9.3 writes the request through BufferedIO#write0 (@io.write): the headers in one
 *   write(), the body in the next (one write with single_write), each returning at once;
 * - BufferedIO#rbuf_fill reads with read_nonblock(16384): rb_io_set_nonblock's fcntl(F_GETFL)
 *   (F_SETFL too the first time on a socket), read() = EAGAIN while nsqd has not answered, then
 *   IO.select([@io], nil, nil, 60) as select(2), which is where the time goes, and the read
 *   again; then File.delete is unlink();
 * - between batches `sleep 0.01` is native_sleep(): pthread_cond_timedwait on the thread's
 *   CLOCK_MONOTONIC condition variable, which glibc 2.19 makes a FUTEX_WAIT_BITSET with an
 *   absolute deadline (not nanosleep), ending in ETIMEDOUT, then the next look at the spool.
 *
 * Descriptors of the app (what ruby 1.9.3 under upstart has opened by then): 0 /dev/null, 1 and 2
 * upstart's console-log pty, 3 and 4 the timer thread's communication pipe (made before the
 * script is read), 5 the Logger's file (App#initialize opens it before NsqClient connects), 6 on
 * the pool's sockets in order, and the spool's directory and files take the next free one.
 *
 * nsqd is Go 1.5: its main thread (the process's own id) only parks in the runtime's futex while
 * goroutines on other threads serve HTTP; the machine has no thread ids, so that is all -p shows.
 *
 * Where the simulation compresses time the trace follows it: the app takes an event the moment it
 * reaches the spool (the real loop would see it at its next look), so the sleep before a publish
 * ends early, and a run of publishes back to back is shown as one look at the spool.
 */
import type { TraceEvent, TraceRequest } from '../../../machine/scenario';
import { socketFds } from '../../../machine/tcp';
import { getSock, tcpOf } from '../../../kernel/tcp';
import { APP_LOG } from './files';
import { eventBody, nsqdOk, rubyPost } from './http';
import { NSQD_HTTP_PORT } from './traffic';
import { ROLE, type Ch2World } from './world';

const SPOOL = '/var/spool/publisher/incoming';
/** the Logger's descriptor and the first pooled socket's (see above) */
const LOG_FD = 5;
const FIRST_SOCK_FD = 6;
/** Net::BufferedIO::BUFSIZE, what read_nonblock asks for */
const BUFSIZE = 16384;
/** Net::HTTP's read_timeout, IO.select's timeout */
const READ_TIMEOUT_S = 60;
/** glibc's opendir() buffer: max(4 * BUFSIZ, st_blksize) on ext4 */
const DIRBUF = 32768;
/** Ruby's `sleep 0.01` */
const SLEEP_MS = 10;
/** what the kernel adds to a timed futex wait on this box (hrtimer slack of a normal task) */
const WAKE_LATE_MS = 0.058;

/** µs the short calls take on this VM (the select's and the futex's own times come from the simulation) */
const COST_US = {
  open: 11,
  fstat: 3,
  getdents: 14,
  getdents0: 3,
  close: 4,
  lseek: 2,
  read: 6,
  unlink: 19,
  fcntl: 2,
  /** a write the stack sends at once costs more than one Nagle queues */
  writeSent: 21,
  writeQueued: 7,
  logWrite: 12,
  socket: 9,
  connect: 62,
  setsockopt: 3,
};
/** ms of Ruby's own work between two of those calls */
const RUBY_GAP_MS = { call: 0.004, toRead: 0.036, afterRead: 0.09, fileToPublish: 0.05 };

type Part = string | { bytes: string };

function call(t: number, pid: number, name: string, parts: Part[] | string, ret: string, us: number, error = false): TraceEvent {
  const e: TraceEvent = { t, pid, kind: 'call', name, ret, us };
  if (typeof parts === 'string') e.args = parts;
  else e.parts = parts;
  if (error) e.error = true;
  return e;
}

/** a stable address inside the process, from what identifies it (its pid and start) */
function addr(pid: number, start: number, salt: string, base: number, span: number): string {
  let h = 2_166_136_261;
  for (const ch of `${pid}/${Math.round(start)}/${salt}`) h = Math.imul(h ^ ch.charCodeAt(0), 16_777_619) >>> 0;
  return `0x${(base + ((h % span) & ~0xf)).toString(16)}`;
}

/** the spool's file for event `id`: the site's workers name them so that a sort is oldest first */
export function spoolName(id: number): string {
  return `${String(id).padStart(10, '0')}.json`;
}

/** a struct linux_dirent's size for a name (ext4, getdents): 18 bytes of header, the name, NUL and d_type, to 8 */
function direntBytes(name: string): number {
  return Math.ceil((18 + name.length + 2) / 8) * 8;
}

function timeval(us: number): string {
  return `{${Math.floor(us / 1e6)}, ${us % 1e6}}`;
}

interface AppCtx {
  w: Ch2World;
  pid: number;
  start: number;
  out: TraceEvent[];
  from: number;
  to: number;
  /** the descriptor the spool's directory and files get */
  spoolFd: number;
  readBuf: string;
  cond: string;
  /** the sockets (by local port) whose descriptor is non-blocking already */
  nonblocking: Set<number>;
  /** the futex word of the sleep's condition variable: glibc adds 2 a timed-out wait */
  futexSeq: number;
}

/** push a call if it began inside the traced interval */
function push(c: AppCtx, e: TraceEvent): void {
  if (e.t >= c.from && e.t <= c.to) c.out.push(e);
}

/** one look at the spool listing `names`: returns when it is done */
function scan(c: AppCtx, t: number, names: string[]): number {
  const fd = c.spoolFd;
  push(c, call(t, c.pid, 'open', `"${SPOOL}", O_RDONLY|O_NONBLOCK|O_DIRECTORY|O_CLOEXEC`, String(fd), COST_US.open));
  t += COST_US.open / 1000 + RUBY_GAP_MS.call;
  push(c, call(t, c.pid, 'fstat', `${fd}, {st_mode=S_IFDIR|S_ISVTX|0733, st_size=4096, ...}`, '0', COST_US.fstat));
  t += COST_US.fstat / 1000 + RUBY_GAP_MS.call;
  const bytes = direntBytes('.') + direntBytes('..') + names.reduce((a, n) => a + direntBytes(n), 0);
  push(c, call(t, c.pid, 'getdents', `${fd}, /* ${names.length + 2} entries */, ${DIRBUF}`, String(bytes), COST_US.getdents));
  t += COST_US.getdents / 1000 + RUBY_GAP_MS.call;
  push(c, call(t, c.pid, 'getdents', `${fd}, /* 0 entries */, ${DIRBUF}`, '0', COST_US.getdents0));
  t += COST_US.getdents0 / 1000 + RUBY_GAP_MS.call;
  push(c, call(t, c.pid, 'close', String(fd), '0', COST_US.close));
  return t + COST_US.close / 1000 + RUBY_GAP_MS.call;
}

/** File.read of one event (io.c read_all: the file's size from fstat, then one more read for EOF) */
function readEvent(c: AppCtx, t: number, id: number, body: string): number {
  const fd = c.spoolFd;
  const path = `${SPOOL}/${spoolName(id)}`;
  const steps: Array<[string, Part[] | string, string, number]> = [
    ['open', `"${path}", O_RDONLY`, String(fd), COST_US.open],
    ['fstat', `${fd}, {st_mode=S_IFREG|0644, st_size=${body.length}, ...}`, '0', COST_US.fstat],
    ['lseek', `${fd}, 0, SEEK_CUR`, '0', COST_US.lseek],
    ['read', [`${fd}, `, { bytes: body }, `, ${body.length}`], String(body.length), COST_US.read],
    ['read', [`${fd}, `, { bytes: '' }, ', 8192'], '0', COST_US.read],
    ['close', String(fd), '0', COST_US.close],
  ];
  for (const [name, parts, ret, us] of steps) {
    push(c, call(t, c.pid, name, parts, ret, us));
    t += us / 1000 + RUBY_GAP_MS.call;
  }
  return t;
}

/** `sleep 0.01` from t, ending by `until` at the latest; returns when it ended */
function sleep(c: AppCtx, t: number, until: number): number {
  const bootMs = c.w.k.bootTime;
  // native_cond_timeout(): CLOCK_MONOTONIC now plus the 10 ms, in ns
  const deadlineNs = Math.round((t - bootMs + SLEEP_MS) * 1e6);
  const end = Math.min(t + SLEEP_MS + WAKE_LATE_MS, until);
  const args = `${c.cond}, FUTEX_WAIT_BITSET_PRIVATE, ${c.futexSeq}, {${Math.floor(deadlineNs / 1e9)}, ${deadlineNs % 1e9}}, ffffffff`;
  c.futexSeq += 2;
  if (end >= c.to && t <= c.to) {
    c.out.push({ t: Math.max(t, c.from), pid: c.pid, kind: 'unfinished', name: 'futex', args });
    return end;
  }
  if (t < c.from && end > c.from) push(c, call(c.from, c.pid, 'futex', args, '-1 ETIMEDOUT (Connection timed out)', Math.round((end - c.from) * 1000), true));
  else push(c, call(t, c.pid, 'futex', args, '-1 ETIMEDOUT (Connection timed out)', Math.round((end - t) * 1000), true));
  return end;
}

/** the loop idle from t to `until`: sleeps and empty looks at the spool */
function idle(c: AppCtx, t: number, until: number): void {
  // nothing before the interval needs to be shown: start at the last sleep that reaches into it
  const period = SLEEP_MS + WAKE_LATE_MS + 0.09;
  if (t < c.from - period) t += Math.floor((c.from - t) / period - 1) * period;
  while (t < until && t <= c.to) {
    const woke = sleep(c, t, until);
    if (woke >= until || woke > c.to) return;
    t = scan(c, woke, []);
  }
}

interface Entry {
  id: number;
  start: number;
  wroteAt: number;
  head: number;
  body: number;
  answeredAt: number;
  answer: number;
  port: number;
}

function entries(w: Ch2World): Entry[] {
  return w.net.timeline.map(([id, start, wroteAt, head, body, answeredAt, answer, port]) => ({ id, start, wroteAt, head, body, answeredAt, answer, port }));
}

/** the request's bytes as the app wrote them, rebuilt from what the timeline kept */
function requestOf(w: Ch2World, id: number, head: number, body: number): { head: string; body: string; single: boolean } {
  const topic = w.app.config?.topic ?? 'events';
  // single_write's one buffer is the whole request; its body length is what is left after the headers
  const single = body === 0;
  const size = single ? bodySizeOf(topic, id, head) : body;
  const req = rubyPost(`/pub?topic=${topic}`, `127.0.0.1:${NSQD_HTTP_PORT}`, eventBody(id, size));
  return { head: req.head, body: req.body, single };
}

/** the body size that makes a one-write request `total` bytes long */
function bodySizeOf(topic: string, id: number, total: number): number {
  for (let size = 1; size < 4096; size++) {
    const req = rubyPost(`/pub?topic=${topic}`, `127.0.0.1:${NSQD_HTTP_PORT}`, eventBody(id, size));
    if (req.head.length + req.body.length === total) return size;
  }
  return 0;
}

/** the app's socket descriptor for a local port: what the descriptor registry says, else by pool order */
function sockFd(w: Ch2World, pid: number, port: number): number {
  const s = tcpOf(w.k);
  const pool = w.net.pool;
  for (let i = 0; i < pool.length; i++) {
    const sock = pool[i]!.sock;
    if (sock < 0 || getSock(s, sock)?.lport !== port) continue;
    const held = socketFds(w, sock).find((x) => x.pid === pid);
    return held ? held.fd : FIRST_SOCK_FD + i;
  }
  return FIRST_SOCK_FD;
}

/**
 * One publish from its first call to its last (or to where strace let go): returns when the
 * app is done with it, or Infinity when it was still waiting for nsqd.
 */
function publish(c: AppCtx, e: Entry, answeredAt: number | null, fresh: boolean, after: number): number {
  const { w, pid } = c;
  const fd = sockFd(w, pid, e.port);
  const req = requestOf(w, e.id, e.head, e.body);
  let t = Math.max(e.wroteAt, after);
  if (fresh) {
    // Net::HTTP#connect for a connection the server closed (the first of a process is made before the interval)
    const opened = Math.max(e.start, e.wroteAt - 0.2);
    push(c, call(opened - 0.09, pid, 'socket', 'PF_INET, SOCK_STREAM, IPPROTO_TCP', String(fd), COST_US.socket));
    push(c, call(opened - 0.08, pid, 'connect', `${fd}, {sa_family=AF_INET, sin_port=htons(${NSQD_HTTP_PORT}), sin_addr=inet_addr("127.0.0.1")}, 16`, '0', COST_US.connect));
    if (w.app.config?.tcpNodelay) push(c, call(opened - 0.01, pid, 'setsockopt', `${fd}, SOL_TCP, TCP_NODELAY, [1], 4`, '0', COST_US.setsockopt));
  }
  // a body Nagle holds (a fast answer means it went at once) costs the write less
  const held = answeredAt === null || answeredAt - e.wroteAt > 1;
  if (req.single) {
    const all = req.head + req.body;
    push(c, call(t, pid, 'write', [`${fd}, `, { bytes: all }, `, ${all.length}`], String(all.length), COST_US.writeSent));
    t += COST_US.writeSent / 1000 + RUBY_GAP_MS.call;
  } else {
    push(c, call(t, pid, 'write', [`${fd}, `, { bytes: req.head }, `, ${req.head.length}`], String(req.head.length), COST_US.writeSent));
    t += COST_US.writeSent / 1000 + RUBY_GAP_MS.call;
    const us = held ? COST_US.writeQueued : COST_US.writeSent;
    push(c, call(t, pid, 'write', [`${fd}, `, { bytes: req.body }, `, ${req.body.length}`], String(req.body.length), us));
    t += us / 1000;
  }
  t += RUBY_GAP_MS.toRead;
  const getfl = (): void => {
    const first = !c.nonblocking.has(e.port);
    push(c, call(t, pid, 'fcntl', `${fd}, F_GETFL`, first ? '0x2 (flags O_RDWR)' : '0x802 (flags O_RDWR|O_NONBLOCK)', COST_US.fcntl));
    t += COST_US.fcntl / 1000 + RUBY_GAP_MS.call;
    if (first) {
      push(c, call(t, pid, 'fcntl', `${fd}, F_SETFL, O_RDWR|O_NONBLOCK`, '0', COST_US.fcntl));
      t += COST_US.fcntl / 1000 + RUBY_GAP_MS.call;
      c.nonblocking.add(e.port);
    }
  };
  getfl();
  const readBuf = `${fd}, ${c.readBuf}, ${BUFSIZE}`;
  if (answeredAt === null || answeredAt > t) {
    push(c, call(t, pid, 'read', readBuf, '-1 EAGAIN (Resource temporarily unavailable)', COST_US.read, true));
    t += COST_US.read / 1000 + RUBY_GAP_MS.call;
    const args = `${fd + 1}, [${fd}], NULL, NULL, ${timeval(READ_TIMEOUT_S * 1e6)}`;
    if (answeredAt === null || answeredAt > c.to) {
      if (t <= c.to) c.out.push({ t: Math.max(t, c.from), pid, kind: 'unfinished', name: 'select', args });
      return Infinity;
    }
    const selAt = t < c.from ? c.from : t;
    // attached in the middle of it: the kernel restarts the select with what is left of its timeout
    const leftAtEntry = READ_TIMEOUT_S * 1e6 - Math.round((selAt - t) * 1000);
    const took = Math.max(1, Math.round((answeredAt - selAt) * 1000));
    const selArgs = selAt === t ? args : `${fd + 1}, [${fd}], NULL, NULL, ${timeval(leftAtEntry)}`;
    push(c, call(selAt, pid, 'select', selArgs, `1 (in [${fd}], left ${timeval(Math.max(0, leftAtEntry - took))})`, took));
    t = Math.max(t, answeredAt) + RUBY_GAP_MS.call;
    getfl();
  }
  // nsqd wrote it a moment before the app read it (its Date is to the second)
  const answer = nsqdOk(answeredAt - 0.05);
  push(c, call(t, pid, 'read', [`${fd}, `, { bytes: answer }, `, ${BUFSIZE}`], String(e.answer), COST_US.read));
  t += COST_US.read / 1000 + RUBY_GAP_MS.afterRead;
  push(c, call(t, pid, 'unlink', `"${SPOOL}/${spoolName(e.id)}"`, '0', COST_US.unlink));
  return t + COST_US.unlink / 1000 + RUBY_GAP_MS.call;
}

/** the app's log lines of this process written in the interval: [time, line] */
function logWrites(w: Ch2World, pid: number, from: number, to: number): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  const text = w.files.files[APP_LOG]?.content ?? '';
  const re = new RegExp(`^[A-Z], \\[(\\d{4})-(\\d\\d)-(\\d\\d)T(\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{6}) #${pid}\\].*$`, 'gm');
  for (const m of text.matchAll(re)) {
    const [, y, mo, d, h, mi, s, us] = m.map(Number) as number[];
    const t = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) + us! / 1000;
    if (t >= from && t <= to) out.push([t, `${m[0]}\n`]);
  }
  return out;
}

/** strace of the publisher's process over [from, to]; null for a process that is not it */
export function appSyscalls(w: Ch2World, req: TraceRequest): TraceEvent[] | null {
  const proc = w.k.procs.find((p) => p.pid === req.pid);
  if (!proc || proc.role !== ROLE.app) return null;
  // still loading ruby and its gems, or not publishing: nothing this module describes
  if (proc.pid !== w.app.pid || !w.app.config) return null;
  const c: AppCtx = {
    w,
    pid: proc.pid,
    start: proc.start,
    out: [],
    from: req.from,
    to: req.to,
    spoolFd: FIRST_SOCK_FD + Math.max(1, w.net.pool.length),
    readBuf: addr(proc.pid, proc.start, 'rbuf', 0x1a00000, 0x900000),
    cond: addr(proc.pid, proc.start, 'sleep_cond', 0x1600000, 0x200000).replace(/0$/, '4'),
    nonblocking: new Set(),
    futexSeq: 0,
  };
  // publishes of this process (the timeline keeps its newest ones), in order
  const all = entries(w).filter((e) => e.start >= w.app.startedAt);
  // the futex word counts the process's sleeps: about one per 10 ms it was not publishing
  const busy = all.reduce((a, e) => a + (e.answeredAt - e.start), 0);
  c.futexSeq = 2 * Math.max(0, Math.floor((req.from - w.app.startedAt - busy) / (SLEEP_MS + WAKE_LATE_MS + 0.09)));
  const shown = all.filter((e) => e.answeredAt >= req.from - 1 && e.start <= req.to);
  // a socket's descriptor turned non-blocking at its first read: any publish before on that port did it
  for (const e of all) if (e.answeredAt < req.from - 1) c.nonblocking.add(e.port);
  // the timeline keeps only the newest publishes: older ones of this process read on its first connection
  if (w.net.sinceStart > all.length && all[0]) c.nonblocking.add(all[0].port);
  const logs = logWrites(w, proc.pid, req.from, req.to);
  const current = w.net.current && w.net.current.start <= req.to ? w.net.current : null;
  const before = all.filter((e) => e.answeredAt < req.from - 1).pop();
  // the loop went back to sleep after the last publish before the interval
  let t = before ? before.answeredAt + 0.2 : Math.max(w.app.startedAt, req.from - SLEEP_MS);
  let prevPort = before?.port ?? null;
  let batchEnd = -1;
  const runs: Entry[][] = [];
  for (const e of shown) {
    const last = runs[runs.length - 1];
    // taken the moment the one before it was done: the same look at the spool
    if (last && e.start - last[last.length - 1]!.answeredAt < 0.001) last.push(e);
    else runs.push([e]);
  }
  for (const run of runs) {
    const first = run[0]!;
    const lookAt = first.start - 0.2 - run.length * 0.01;
    idle(c, t, lookAt);
    t = scan(c, Math.max(t, lookAt), run.map((e) => spoolName(e.id)));
    for (const e of run) {
      const req2 = requestOf(w, e.id, e.head, e.body);
      t = readEvent(c, Math.max(t, e.start - 0.08), e.id, req2.body);
      const fresh = prevPort !== null && prevPort !== e.port;
      prevPort = e.port;
      t = publish(c, e, e.answeredAt, fresh, t);
      for (const [lt, line] of logs) {
        if (Math.abs(lt - e.answeredAt) < 0.001) {
          push(c, call(t, proc.pid, 'write', [`${LOG_FD}, `, { bytes: line }, `, ${line.length}`], String(line.length), COST_US.logWrite));
          t += COST_US.logWrite / 1000 + RUBY_GAP_MS.call;
        }
      }
    }
    batchEnd = t;
  }
  if (current && current.wroteAt !== undefined && current.sendAt < 0) {
    const e: Entry = { id: current.id, start: current.start, wroteAt: current.wroteAt, head: current.head ?? 0, body: current.body ?? 0, answeredAt: Infinity, answer: 0, port: 0 };
    const sock = w.net.pool[current.conn]?.sock ?? -1;
    e.port = getSock(tcpOf(w.k), sock)?.lport ?? 0;
    idle(c, t, current.start - 0.2);
    t = scan(c, Math.max(t, current.start - 0.2), [spoolName(current.id)]);
    t = readEvent(c, Math.max(t, current.start - 0.08), current.id, requestOf(w, current.id, e.head, e.body).body);
    publish(c, e, null, prevPort !== null && prevPort !== e.port, t);
  } else if (!current) idle(c, Math.max(t, batchEnd), Infinity);
  // a publish being built when strace let go shows nothing yet: ruby is in its own code
  return c.out;
}

/** nsqd's main thread, parked in the Go runtime's futex (runtime·m0's note in the binary's bss) */
const GO_M0_NOTE = '0xb4b5d0';

/** strace of nsqd over [from, to]; null for a process that is not nsqd */
export function nsqdSyscalls(w: Ch2World, req: TraceRequest): TraceEvent[] | null {
  const proc = w.k.procs.find((p) => p.pid === req.pid);
  if (!proc || proc.role !== ROLE.nsqd) return null;
  return [{ t: req.from, pid: proc.pid, kind: 'unfinished', name: 'futex', args: `${GO_M0_NOTE}, FUTEX_WAIT, 0, NULL` }];
}
