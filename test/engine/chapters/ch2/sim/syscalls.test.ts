import { createCh2World } from '../../../../../engine/chapters/ch2/sim/create';
import { appSyscalls, spoolName } from '../../../../../engine/chapters/ch2/sim/syscalls';
import type { Ch2World } from '../../../../../engine/chapters/ch2/sim/world';
import { formatStrace, type StraceStamp } from '../../../../../engine/formats/strace';
import { advance } from '../../../../../engine/machine/advance';
import type { TraceEvent } from '../../../../../engine/machine/scenario';
import { RngStreams } from '../../../../../engine/rng';
import type { GameHandle } from '../../../../../engine/index';
import { newCh2Game, say } from '../helpers';

/** the box from its seed, its publisher traced for `ms` of the machine's time as strace -p would */
function traceApp(seed: number, ms: number, edit?: (w: Ch2World) => void) {
  const streams = new RngStreams(seed);
  const w = createCh2World(streams);
  edit?.(w);
  const before = w.k.procs.map((p) => ({ pid: p.pid, ppid: p.ppid, role: p.role, start: p.start }));
  const from = w.now;
  // the machine's scheduler runs the TCP stack's timers and the scenario's programs
  advance(w, streams, from + ms);
  const events = appSyscalls(w, { pid: w.app.pid, from, to: w.now, follow: false, before })!;
  return { w, from, to: w.now, events };
}

const text = (w: Ch2World, events: TraceEvent[], stamp: StraceStamp = 'tt') =>
  formatStrace({ attached: [w.app.pid], events, follow: false, count: false, toFile: false, stamp, durations: true }).stderr;

/** HH:MM:SS.uuuuuu of a virtual ms, in UTC: what -tt must print */
function hms(t: number): string {
  const us = Math.round(t * 1000);
  const d = new Date(Math.floor(us / 1000));
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${String(us % 1e6).padStart(6, '0')}`;
}

const secs = (line: string): number => Number(/<(\d+\.\d{6})>$/.exec(line)![1]);

/** the publishes the app both wrote and had answered inside the interval */
function done(w: Ch2World, from: number, to: number) {
  return w.net.timeline.filter((e) => e[2] >= from + 1 && e[5] <= to).map(([id, start, wroteAt, head, body, answeredAt]) => ({ id, start, wroteAt, head, body, answeredAt }));
}

describe("strace -tt -T -p of the publisher (ruby 1.9.3's Net::HTTP on its kept-alive connection)", () => {
  const { w, from, to, events } = traceApp(5, 1000);
  const out = text(w, events);
  const lines = out.split('\n');
  const pubs = done(w, from, to);

  it('has publishes to look at', () => {
    expect(pubs.length).toBeGreaterThanOrEqual(2);
    expect(lines[0]).toBe(`Process ${w.app.pid} attached`);
    expect(lines[lines.length - 2]).toBe(`Process ${w.app.pid} detached`);
  });

  it('shows each publish as two writes that return at once, then the read that waits in select', () => {
    for (const p of pubs) {
      const i = lines.findIndex((l) => l.startsWith(`${hms(p.wroteAt)} write(6, "POST /pub?topic=events HTTP/1.1\\r"..., ${p.head}) = ${p.head} <`));
      expect(i).toBeGreaterThan(0);
      const [head, body, getfl, eagain, select, getfl2, answer, unlink] = lines.slice(i, i + 8);
      expect(secs(head!)).toBeLessThan(0.0001);
      expect(body).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{6} write\\(6, "\\{\\\\"id\\\\":${p.id},\\\\"type\\\\":.*, ${p.body}\\) = ${p.body} <0\\.0000\\d\\d>$`));
      expect(secs(body!)).toBeLessThan(0.0001);
      expect(getfl).toMatch(/^\S+ fcntl\(6, F_GETFL\)       = 0x802 \(flags O_RDWR\|O_NONBLOCK\) <0\.000002>$/);
      expect(eagain).toMatch(/^\S+ read\(6, 0x[0-9a-f]+, 16384\) = -1 EAGAIN \(Resource temporarily unavailable\) <0\.000006>$/);
      const m = /^(\S+) select\(7, \[6\], NULL, NULL, \{60, 0\}\) = 1 \(in \[6\], left \{59, (\d+)\}\) <0\.(\d{6})>$/.exec(select!);
      expect(m).not.toBeNull();
      // the wait is the delayed ACK's: 30 to 45 ms, and the select's own books agree with -T
      const took = secs(select!);
      expect(took).toBeGreaterThanOrEqual(0.03);
      expect(took).toBeLessThanOrEqual(0.045);
      expect(Number(m![2]) + Number(m![3])).toBe(1_000_000);
      // it ends when the answer is there
      expect(Math.abs(p.answeredAt - p.wroteAt - took * 1000)).toBeLessThan(0.2);
      expect(getfl2).toMatch(/ fcntl\(6, F_GETFL\) /);
      expect(answer).toMatch(/^\S+ read\(6, "HTTP\/1\.1 200 OK\\r\\nDate: [A-Z][a-z]{2}, \d\d [A-Z]"\.\.\., 16384\) = 118 <0\.000006>$/);
      expect(unlink).toMatch(new RegExp(`^\\S+ unlink\\("/var/spool/publisher/incoming/${spoolName(p.id)}"\\) = 0 <0\\.000019>$`));
    }
  });

  it('reads the event from the spool before it publishes it', () => {
    const p = pubs[0]!;
    const at = lines.findIndex((l) => l.includes(`open("/var/spool/publisher/incoming/${spoolName(p.id)}", O_RDONLY) = 7`));
    const write = lines.findIndex((l) => l.includes(`${hms(p.wroteAt)} write(6, "POST`));
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(write);
    expect(lines.slice(at + 1, at + 3).join('\n')).toMatch(/fstat\(7, \{st_mode=S_IFREG\|0644, st_size=\d+, \.\.\.\}\) = 0 <0\.000003>\n.* lseek\(7, 0, SEEK_CUR\)   = 0 <0\.000002>/);
  });

  it("stamps every line with the machine's clock, in order, inside the interval", () => {
    const stamps = lines.slice(1, -2).map((l) => l.slice(0, 15));
    expect(stamps.every((s) => /^\d\d:\d\d:\d\d\.\d{6}$/.test(s))).toBe(true);
    expect([...stamps].sort()).toEqual(stamps);
    expect(stamps[0]! >= hms(from)).toBe(true);
    expect(stamps[stamps.length - 1]! <= hms(to)).toBe(true);
  });

  it('between publishes sleeps 10 ms at a time (native_sleep: a timed futex wait), and looks at the spool after each', () => {
    const sleeps = lines.filter((l) => / futex\(0x[0-9a-f]+, FUTEX_WAIT_BITSET_PRIVATE, \d+, \{\d+, \d+\}, ffffffff\) = -1 ETIMEDOUT \(Connection timed out\) <0\.0\d{5}>$/.test(l));
    expect(sleeps.length).toBeGreaterThan(40);
    // what strace sees is bounded by the second it watched
    expect(sleeps.length).toBeLessThanOrEqual(101);
    for (const s of sleeps) expect(secs(s)).toBeLessThanOrEqual(0.0101);
    const i = lines.indexOf(sleeps[3]!);
    expect(lines[i + 1]).toMatch(/ open\("\/var\/spool\/publisher\/incoming", O_RDONLY\|O_NONBLOCK\|O_DIRECTORY\|O_CLOEXEC\) = 7 </);
    expect(lines[i + 3]).toMatch(/ getdents\(7, \/\* \d+ entries \*\/, 32768\) = \d+ </);
    // the last call is the one it was in when strace let go
    expect(lines[lines.length - 3]).toMatch(/ (futex|select)\(.* <detached \.\.\.>$/);
  });

  it('-r shows the gaps, the 40 ms one among them', () => {
    const rel = text(w, events, 'r').split('\n');
    const sel = rel.findIndex((l) => / select\(7/.test(l));
    const gap = Number(rel[sel + 1]!.slice(0, 13));
    expect(gap).toBeGreaterThanOrEqual(0.03);
    expect(rel[1]).toMatch(/^ {5}0\.000000 /);
  });
});

describe('with single_write the request goes in one write, and nothing waits', () => {
  // the app reads its config once; the test hands the running app the setting as a restart would
  const { w, from, to, events } = traceApp(5, 1000, (x) => {
    x.app.config = { ...x.app.config!, singleWrite: true };
  });
  const lines = text(w, events).split('\n');
  const pubs = done(w, from, to);

  it('writes the whole request at once and reads the answer straight after', () => {
    expect(pubs.length).toBeGreaterThanOrEqual(2);
    for (const p of pubs) {
      expect(p.body).toBe(0);
      const i = lines.findIndex((l) => l.startsWith(`${hms(p.wroteAt)} write(6, "POST /pub?topic=events HTTP/1.1\\r"..., ${p.head}) = ${p.head} <`));
      expect(i).toBeGreaterThan(0);
      expect(lines[i + 1]).toMatch(/ fcntl\(6, F_GETFL\) /);
      const select = lines.slice(i + 1, i + 5).find((l) => / select\(/.test(l));
      if (select) expect(secs(select)).toBeLessThan(0.001);
      expect(lines.slice(i + 1, i + 6).some((l) => / read\(6, "HTTP\/1\.1 200 OK/.test(l))).toBe(true);
    }
    expect(lines.filter((l) => / write\(6, "\{/.test(l))).toEqual([]);
  });
});

/** what the terminal shows for a line, without the grimoire's own notes */
function run(g: GameHandle, line: string): string {
  const shown = say(g, line)
    .split('\n')
    .filter((l) => !l.startsWith('✦') && !l.startsWith('[objective]'))
    .join('\n')
    .replace(/\n+$/, '');
  return shown === '' ? '' : `${shown}\n`;
}

describe('strace on the box (the spell, the service hook)', () => {
  const g: GameHandle = newCh2Game(7);
  const app = Number(run(g, 'pidof ruby').trim());
  const nsqd = Number(run(g, 'pidof nsqd').trim());

  it("-e trace= keeps the app's writes and selects, and -s 200 shows the whole request", () => {
    const out = run(g, `sudo strace -s 200 -tt -T -e trace=write,select -p ${app}`);
    expect(out).toMatch(
      /^\d\d:\d\d:\d\d\.\d{6} write\(6, "POST \/pub\?topic=events HTTP\/1\.1\\r\\nAccept-Encoding: gzip;q=1\.0,deflate;q=0\.6,identity;q=0\.3\\r\\nAccept: \*\/\*\\r\\nUser-Agent: Ruby\\r\\nContent-Type: application\/json\\r\\nHost: 127\.0\.0\.1:4151\\r\\nContent-Length: \d+\\r\\n\\r\\n", \d+\) = \d+ <0\.000021>$/m,
    );
    expect(out).not.toMatch(/ futex\(| read\(/);
    expect(out).toMatch(/^\d\d:\d\d:\d\d\.\d{6} select\(7, \[6\], NULL, NULL, \{60, 0\}\) = 1 \(in \[6\], left \{59, \d+\}\) <0\.0[34]\d{4}>$/m);
  });

  it("nsqd's main thread is parked in the Go runtime's futex", () => {
    expect(run(g, `sudo strace -p ${nsqd}`)).toBe(`Process ${nsqd} attached\nfutex(0xb4b5d0, FUTEX_WAIT, 0, NULL <detached ...>\nProcess ${nsqd} detached\n`);
  });

  it("answers a bad -s as strace 4.8 does", () => {
    expect(run(g, `sudo strace -s x -p ${app}`)).toBe("strace: Invalid -s argument: 'x'\n");
    expect(run(g, `sudo strace -Z -p ${app}`)).toMatch(/^strace: invalid option -- 'Z'\nusage: strace /);
  });
});
