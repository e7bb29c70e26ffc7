import * as stats from '../../../engine/chapters/ch1/sim/stats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createGame, ENGINE_MIGRATIONS, restoreGame, type GameHandle } from '../../../engine/index';
import type { SavedGame } from '../../../engine/api';
import { ENGINE_VERSION } from '../../../engine/version';
import { reportsRenderedForTest } from '../../../engine/machine/logfiles';

/**
 * /var/log rendered from records: a day of the OOM storm is hundreds of MB of syslog, rotated as
 * Ubuntu 14.04's logrotate does, and `grep -c "Killed process"` counts every kill the simulation
 * made in the file's period, bulk reloads included.
 */

// each grep below reads a day of syslog, a few hundred MB, rendered a line at a time
jest.setTimeout(900_000);

/** (reload start, kills) as the simulation counted them, for the game being played */
let counted: Array<[number, number]> = [];
const noteOomKills = stats.noteOomKills;
jest.spyOn(stats, 'noteOomKills').mockImplementation((w, t, n) => {
  if (n > 0) counted.push([t, n]);
  noteOomKills(w, t, n);
});

/** what the spell printed, stdout and stderr, without the story around it */
function play(g: GameHandle, line: string): string {
  return g
    .step(line)
    .map((b) => (b.kind === 'spell-output' || b.kind === 'error' ? b.text : ''))
    .join('');
}

interface Books {
  now: number;
  rotations: number[];
}

function books(g: GameHandle): Books {
  const state = g.snapshot().state as { world: { now: number; logs: { rotations: number[] } } };
  return { now: state.world.now, rotations: state.world.logs.rotations };
}

function killsIn(from: number, to: number): number {
  let n = 0;
  for (const [t, k] of counted) if (t >= from && t < to) n += k;
  return n;
}

describe.each([2, 5])('the logs of a week of the storm (seed %i)', (seed) => {
  let g: GameHandle;
  beforeAll(() => {
    counted = [];
    g = createGame('1', seed);
    g.start();
    play(g, 'sleep 8d');
  });

  it('are rotated as /etc/logrotate.d/rsyslog says: syslog daily, 7 kept, the older ones compressed; kern.log weekly', () => {
    expect(play(g, 'ls -1 /var/log').split('\n').filter(Boolean)).toEqual([
      // auth.log turns over with kern.log
      'auth.log',
      'auth.log.1',
      'kern.log',
      'kern.log.1',
      'syslog',
      'syslog.1',
      'syslog.2.gz',
      'syslog.3.gz',
      'syslog.4.gz',
      'syslog.5.gz',
      'syslog.6.gz',
      'syslog.7.gz',
    ]);
    expect(play(g, 'cat /etc/logrotate.d/rsyslog')).toContain('/var/log/syslog\n{\n\trotate 7\n\tdaily\n\tmissingok\n\tnotifempty\n\tdelaycompress\n\tcompress\n');
    // one rotation a day, at cron.daily's logrotate
    const r = books(g).rotations;
    expect(r).toHaveLength(8);
    for (let i = 1; i < r.length; i++) expect(r[i]! - r[i - 1]!).toBeGreaterThan(23 * 3_600_000);
  });

  it('count every kill of the day in syslog, bulk reloads included', () => {
    const out = play(g, 'grep -c "Killed process" /var/log/syslog');
    // a spell's moment passes before it runs, so the file was read at the clock the game shows after it
    const b = books(g);
    const from = b.rotations[b.rotations.length - 1]!;
    const expected = killsIn(from, b.now + 1);
    expect(expected).toBeGreaterThan(1000);
    // the simulation counts a reload's kills when it starts; each is logged at its own moment, so a
    // reload still running when the file is read has logged only the kills it has made so far
    const running = counted.filter(([t]) => t >= from && t <= b.now).pop()![1];
    const seen = Number(out);
    expect(out).toBe(`${seen}\n`);
    expect(seen).toBeLessThanOrEqual(expected);
    expect(seen).toBeGreaterThanOrEqual(expected - running);
  });

  it('count every kill of a compressed day with zgrep, and zcat refuses a file that is not gzip', () => {
    const b = books(g);
    const r = b.rotations;
    const out = play(g, 'zgrep -c "Killed process" /var/log/syslog.2.gz');
    const expected = killsIn(r[r.length - 3]!, r[r.length - 2]!);
    expect(expected).toBeGreaterThan(10_000);
    expect(out).toBe(`${expected}\n`);
    expect(play(g, 'zcat /etc/hostname')).toBe('\ngzip: /etc/hostname: not in gzip format\n');
    expect(play(g, 'cat /var/log/syslog.2.gz')).toBe('cat: /var/log/syslog.2.gz: gzip-compressed data is not simulated here; zcat /var/log/syslog.2.gz prints what it holds\n');
  });

  it('every tool that would read the compressed bytes of a rotated log says they are not simulated, and what reads its content', () => {
    const f = '/var/log/syslog.2.gz';
    const why = 'gzip-compressed data is not simulated here';
    expect(play(g, `grep -c Killed ${f}; echo "status $?"`)).toBe(`grep: ${f}: ${why}; zgrep searches what it holds\nstatus 2\n`);
    expect(play(g, `wc -l ${f}; echo "status $?"`)).toBe(`wc: ${f}: ${why}; zcat ${f} | wc counts what it holds\nstatus 1\n`);
    expect(play(g, `head -n 1 ${f}`)).toBe(`head: cannot open '${f}' for reading: ${why}; zcat ${f} | head shows what it holds\n`);
    expect(play(g, `tail -n 1 ${f}`)).toBe(`tail: cannot open '${f}' for reading: ${why}; zcat ${f} | tail shows what it holds\n`);
    expect(play(g, `md5sum ${f}`)).toBe(`md5sum: ${f}: ${why}; zcat ${f} | md5sum hashes what it holds, not the file\n`);
    // the content itself reads as ever, and a plain file's errors are the system's words
    expect(Number(play(g, `zgrep -c Killed ${f}`))).toBeGreaterThan(0);
    expect(play(g, 'grep x /var/log/nothing.gz')).toBe('grep: /var/log/nothing.gz: No such file or directory\n');
  });

  it('less and more open a log too large to print whole by its first screen, and say what reads the rest', () => {
    const sizeNow = (): number => Number(play(g, 'ls -l /var/log/syslog').split(/\s+/)[4]);
    const before = sizeNow();
    expect(before).toBeGreaterThan(8_000_000);
    const first = play(g, 'head -n 40 /var/log/syslog');
    expect(first.split('\n')).toHaveLength(41);
    for (const pager of ['less', 'more']) {
      const shown = play(g, `${pager} /var/log/syslog`);
      // the storm logs on while spells are cast: the size is the file's at that moment
      const note = new RegExp(`^${pager}: /var/log/syslog holds (\\d+) bytes, more than this world's terminal can scroll: only its first screen is shown; grep, head and tail read all of it\n$`);
      expect(shown.startsWith(first)).toBe(true);
      const size = Number(note.exec(shown.slice(first.length))?.[1]);
      expect(size).toBeGreaterThanOrEqual(before);
      expect(size).toBeLessThanOrEqual(sizeNow());
    }
    // a small file is still printed whole
    expect(play(g, 'less /etc/hostname')).toBe(play(g, 'cat /etc/hostname'));
  });

  it('tail -n reads the end of a huge file without rendering the rest', () => {
    const before = reportsRenderedForTest();
    const out = play(g, 'tail -n 20 /var/log/syslog');
    expect(out.split('\n')).toHaveLength(21);
    // twenty lines are at most a report and a bit of the one before
    expect(reportsRenderedForTest() - before).toBeLessThanOrEqual(2);
  });

  it('print the same bytes on every reading, after a save too, and ls -l gives the size wc -c counts', () => {
    const first = play(g, 'head -n 3000 /var/log/syslog.1');
    expect(play(g, 'head -n 3000 /var/log/syslog.1')).toBe(first);
    // the end of a closed file, not the live one: time passes with every command and the storm goes on
    const tail = play(g, 'tail -n 500 /var/log/syslog.1');
    const again = restoreGame(JSON.parse(JSON.stringify(g.snapshot())));
    expect(play(again, 'head -n 3000 /var/log/syslog.1')).toBe(first);
    expect(play(again, 'tail -n 500 /var/log/syslog.1')).toBe(tail);
    const ls = play(g, 'ls -l /var/log/syslog.1');
    const size = Number(ls.split(/\s+/)[4]);
    expect(size).toBeGreaterThan(50_000_000);
    expect(play(g, 'wc -c /var/log/syslog.1')).toBe(`${size} /var/log/syslog.1\n`);
  });
});

describe('a save from before the log store', () => {
  it('loads: its syslog and the tail of syslog.1 become the two files, and the game goes on logging', () => {
    const file = join(__dirname, '..', '..', 'fixtures', 'saves', 'ch1-engine-v1.json.gz');
    let saved = (JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as { payload: SavedGame }).payload;
    for (let v = saved.engineVersion; v < ENGINE_VERSION; v++) saved = ENGINE_MIGRATIONS[v]!(saved);
    // the story is not what this test is about: it is edited more often than the machine's shape
    saved = { ...saved, storyVersion: createGame('1', 1).snapshot().storyVersion };
    const g = restoreGame(saved);
    const names = play(g, 'ls -1 /var/log').split('\n').filter(Boolean);
    expect(names).toEqual(['auth.log', 'kern.log', 'syslog', 'syslog.1']);
    const before = Number(play(g, 'grep -c CRON /var/log/syslog.1'));
    expect(before).toBeGreaterThan(20);
    expect(play(g, 'tail -n 1 /var/log/syslog')).toMatch(/^Mar +\d+ \d\d:\d\d:\d\d\s\S+ /);
    play(g, 'sleep 1d');
    expect(play(g, 'ls -1 /var/log').split('\n').filter(Boolean)).toEqual(['auth.log', 'kern.log', 'syslog', 'syslog.1', 'syslog.2.gz']);
    expect(Number(play(g, 'zgrep -c CRON /var/log/syslog.2.gz'))).toBe(before);
  });
});
