import { newGame, play } from './walkthrough.helpers';
import type { GameHandle } from '../../../../engine/index';

/**
 * The DNS side of chapter 1 through a real game: what dig, host, nslookup, nsd-control and strace
 * show on several seeds, each checked against the simulation's own state as the player can read it.
 */

const SEEDS = [1, 2, 3, 7, 42];

function one(g: GameHandle, line: string): string {
  return play(g, [line])[0]!;
}

/** what the player saw (the game's text has no final newline, and the story may add lines after it) */
/** NSD restarted and answering: a reload can leave DNS silent for a moment, so ask again */
function digWhileServing(g: GameHandle, line: string): string {
  let out = '';
  for (let i = 0; i < 6; i++) {
    out = one(g, line);
    if (!out.includes('connection timed out')) return out;
    one(g, 'sudo service nsd restart');
  }
  return out;
}

/** the seconds since the epoch `date +%s` printed in a line's output */
function epoch(out: string): number {
  return Number(/^(\d{9,})$/m.exec(out)![1]);
}

function confValue(conf: string, key: string): string[] {
  return [...conf.matchAll(new RegExp(`^\\s*${key}:\\s*"?([^"\\s]+)"?`, 'gm'))].map((m) => m[1]!);
}

describe.each(SEEDS)('seed %i', (seed) => {
  let g: GameHandle;
  beforeAll(() => {
    g = newGame(seed);
    one(g, 'sudo service nsd restart');
  });

  it("answers the README's example, dig @127.0.0.1 www.example.com, authoritatively with an A record", () => {
    const out = digWhileServing(g, 'dig @127.0.0.1 www.example.com');
    expect(out).toContain(';; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: ');
    expect(out).toMatch(/;; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: \d+, ADDITIONAL: \d+\n;; WARNING: recursion requested but not available\n/);
    expect(out).toMatch(/;; ANSWER SECTION:\nwww\.example\.com\.\t3600\tIN\tA\t198\.51\.100\.\d+\n/);
  });

  it('the resolver of /etc/resolv.conf offers recursion and is not authoritative', () => {
    const resolver = /nameserver (\S+)/.exec(one(g, 'cat /etc/resolv.conf'))![1]!;
    const out = one(g, 'dig www.example.com');
    expect(out).toMatch(/;; flags: qr rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n/);
    expect(out).not.toContain('WARNING');
    expect(out).toContain(`;; SERVER: ${resolver}#53(${resolver})\n`);
  });

  it('MSG SIZE is the size of the reply on the wire', () => {
    // www.example.com A from the resolver: 12 + question 21 + answer (pointer 2 + 10 + 4) + OPT 11
    expect(one(g, 'dig www.example.com')).toContain(';; MSG SIZE  rcvd: 60\n');
  });

  it('every CNAME in every zone points at a name that resolves, and the primary transfers each zone whole', () => {
    const conf = one(g, 'cat /etc/nsd/nsd.conf');
    const primary = /request-xfr: AXFR (\S+)/.exec(conf)![1]!;
    const zones = confValue(conf, 'name').filter((z) => z.includes('.'));
    expect(zones).toContain('example.com');
    for (const zone of zones) {
      const out = one(g, `dig @${primary} ${zone} axfr`);
      const records = out.split('\n').filter((l) => l !== '' && !l.startsWith(';'));
      expect(records[0]).toMatch(/\tSOA\t/);
      expect(records[records.length - 1]).toBe(records[0]);
      expect(out).toContain(`;; XFR size: ${records.length} records (messages 1, bytes `);
      for (const line of records.filter((l) => l.includes('\tCNAME\t'))) {
        const target = line.split('\t').pop()!;
        const answer = digWhileServing(g, `dig @127.0.0.1 ${target} +short`);
        expect(answer).toMatch(/^\d+\.\d+\.\d+\.\d+$/m);
      }
    }
  });

  it('NSD refuses a transfer to a client provide-xfr does not list', () => {
    const out = one(g, 'dig @127.0.0.1 example.com axfr');
    expect(out).toMatch(/^;; global options: \+cmd\n(; Transfer failed\.|;; connection timed out; no servers could be reached)$/m);
  });

  it('host and nslookup give the same address as dig', () => {
    const addr = digWhileServing(g, 'dig @127.0.0.1 www.example.com +short').trim();
    expect(one(g, 'host www.example.com 127.0.0.1')).toContain(`Using domain server:\nName: 127.0.0.1\nAddress: 127.0.0.1#53\nAliases: \n\nwww.example.com has address ${addr}`);
    expect(one(g, 'host ftp.example.com')).toMatch(new RegExp(`^ftp\\.example\\.com is an alias for www\\.example\\.com\\.\nwww\\.example\\.com has address ${addr.replace(/\./g, '\\.')}$`, 'm'));
    expect(one(g, 'nslookup www.example.com 127.0.0.1')).toContain(`Server:\t\t127.0.0.1\nAddress:\t127.0.0.1#53\n\nName:\twww.example.com\nAddress: ${addr}\n`);
  });
});

describe('when NSD is down', () => {
  it('host and nslookup wait out their tries on the virtual clock, then give up as 9.9.5 does', () => {
    const g = newGame(2);
    one(g, 'sudo service nsd stop');
    const t0 = epoch(one(g, 'date +%s'));
    const host = one(g, 'host www.example.com 127.0.0.1; date +%s');
    expect(host.startsWith(';; connection timed out; no servers could be reached\n')).toBe(true);
    const t1 = epoch(host);
    const ns = one(g, 'nslookup www.example.com 127.0.0.1; date +%s');
    expect(ns.startsWith(';; connection timed out; no servers could be reached\n\n')).toBe(true);
    const t2 = epoch(ns);
    // host: 2 tries of 5 s; nslookup: 3 tries of 5 s
    expect(t1 - t0).toBeGreaterThanOrEqual(10);
    expect(t2 - t1).toBeGreaterThanOrEqual(15);
    expect(t2 - t1).toBeLessThan(30);
  });
});

describe('strace of the NSD main', () => {
  it('needs root: the main runs as nsd', () => {
    const g = newGame(3);
    expect(one(g, 'strace -p $(cat /run/nsd/nsd.pid)')).toMatch(/^strace: attach: ptrace\(PTRACE_ATTACH, \.\.\.\): Operation not permitted$/m);
    expect(one(g, 'sudo strace -p 999999')).toMatch(/^strace: attach: ptrace\(PTRACE_ATTACH, \.\.\.\): No such process$/m);
    expect(one(g, 'sudo strace -p 0')).toMatch(/^strace: Invalid process id: '0'$/m);
  });

  it('shows a process no service describes asleep in its call, lets go after 10 s, and writes -o files', () => {
    const g = newGame(7);
    const t0 = epoch(one(g, 'date +%s'));
    const out = one(g, 'sudo strace -p 1; date +%s');
    expect(out).toMatch(/^Process 1 attached\nrestart_syscall\(<\.\.\. resuming interrupted call \.\.\.> <detached \.\.\.>\nProcess 1 detached$/m);
    expect(epoch(out) - t0).toBeGreaterThanOrEqual(10);
    expect(one(g, 'sudo strace -o /tmp/init.trace -p 1')).toMatch(/^Process 1 attached\nProcess 1 detached$/m);
    expect(one(g, 'cat /tmp/init.trace')).toMatch(/^restart_syscall\(<\.\.\. resuming interrupted call \.\.\.> <detached \.\.\.>$/m);
    expect(one(g, 'strace ls')).toMatch(/^strace: tracing a command is not simulated here; attach to a running one with strace -p PID$/m);
  });

  it('-c sums up what the main did, by time, with the fork the costliest call', () => {
    const g = newGame(2);
    one(g, 'sudo service nsd restart');
    let out = '';
    for (let i = 0; i < 20 && !/ clone\n/.test(out); i++) out = one(g, 'sudo strace -c -p $(cat /run/nsd/nsd.pid)');
    expect(out).toMatch(/^% time     seconds  usecs\/call     calls    errors syscall\n------ ----------- ----------- --------- --------- ----------------\n +\d+\.\d\d +\d+\.\d{6} +\d+ +1 +clone\n/m);
    expect(out).toMatch(/^------ ----------- ----------- --------- --------- ----------------\n100\.00 +\d+\.\d{6} {13}\s+\d+ +total$/m);
  });

  it.each([1, 2, 3, 7, 42])('seed %i: a reload shows as a clone whose return value is the main ps shows next', (seed) => {
    const g = newGame(seed);
    one(g, 'sudo service nsd restart');
    // strace, ps and the pidfile on one line: no time passes between them for another reload
    const line = 'sudo strace -e trace=clone,exit_group -p $(cat /run/nsd/nsd.pid); ps -eo pid,ppid,user,comm; cat /run/nsd/nsd.pid';
    let out = '';
    for (let i = 0; i < 20 && !/clone\(/.test(out); i++) out = one(g, line);
    const m = /^clone\(child_stack=0, flags=CLONE_CHILD_CLEARTID\|CLONE_CHILD_SETTID\|SIGCHLD, child_tidptr=0x7f[0-9a-f]{10}\) = (\d+)\n/m.exec(out);
    expect(m).not.toBeNull();
    const child = Number(m![1]);
    expect(out).toMatch(/^exit_group\(0\)                           = \?\n\+\+\+ exited with 0 \+\+\+$/m);
    // the new main, adopted by init once the old main exited, and the pid NSD wrote for itself
    expect(out).toMatch(new RegExp(`^\\s*${child}\\s+1\\s+nsd\\s+nsd$`, 'm'));
    expect(out).toMatch(new RegExp(`^${child}$`, 'm'));
  });
});
