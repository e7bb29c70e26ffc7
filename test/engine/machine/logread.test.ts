import * as stats from '../../../engine/chapters/ch1/sim/stats';
import { createGame, type GameHandle } from '../../../engine/index';
import { fileChunks, fileLines, fileLinesReverse, findLogFile, type LogFileName } from '../../../engine/machine/logfiles';
import type { MachineWorld } from '../../../engine/machine/world';

/**
 * Reading /var/log fast: a file is handed to readers a record at a time, a bulk kill's report
 * stamped from its pattern's template, and grep, wc, head and tail take it in those chunks. All
 * of it must print exactly what formatting every line on its own prints (fileLines).
 */

jest.setTimeout(600_000);

/** the world as the simulation left it: the one the chapter's kill counter was last handed */
let live: MachineWorld | null = null;
const noteOomKills = stats.noteOomKills;
jest.spyOn(stats, 'noteOomKills').mockImplementation((w, t, n) => {
  live = w;
  noteOomKills(w, t, n);
});

function play(g: GameHandle, line: string): string {
  return g
    .step(line)
    .map((b) => (b.kind === 'spell-output' || b.kind === 'error' ? b.text : ''))
    .join('');
}

function logFile(w: MachineWorld, name: string): LogFileName {
  const f = findLogFile(w, name);
  if (!f) throw new Error(`no /var/log/${name}`);
  return f;
}

/**
 * The chunks against the lines, chunk by chunk and without either whole in memory (a file is
 * hundreds of MB): the first chunk that differs, or null. Newest first, a chunk holds the lines
 * before the ones already matched, in file order.
 */
function firstDifference(w: MachineWorld, f: LogFileName, reverse: boolean): string | null {
  const lines = reverse ? fileLinesReverse(w, f) : fileLines(w, f);
  let n = 0;
  for (const c of fileChunks(w, f, reverse)) {
    const taken: string[] = [];
    for (let k = 0; k < c.newlines; k++) {
      const l = lines.next();
      if (l.done) return `chunk ${n} is past the last line`;
      taken.push(l.value);
    }
    const want = (reverse ? taken.reverse() : taken).join('');
    if (c.text !== want) return `chunk ${n}: ${JSON.stringify(c.text.slice(0, 400))}\nlines: ${JSON.stringify(want.slice(0, 400))}`;
    n++;
  }
  return lines.next().done ? null : `the chunks stop before the last line`;
}

/** what the tools should say of a file, worked out from its lines in one pass */
interface Expected {
  lines: number;
  bytes: number;
  words: number;
  kills: number;
  notKernel: number;
  /** `N:line` of each OOM kill decision */
  decisions: string[];
  lastKill: string;
  first250: string[];
  last3: string[];
}

function expected(w: MachineWorld, f: LogFileName): Expected {
  const e: Expected = { lines: 0, bytes: 0, words: 0, kills: 0, notKernel: 0, decisions: [], lastKill: '', first250: [], last3: [] };
  for (const l of fileLines(w, f)) {
    e.lines++;
    e.bytes += Buffer.byteLength(l);
    e.words += l.split(/[ \t\n\v\f\r]+/).filter(Boolean).length;
    if (l.includes('Killed process')) {
      e.kills++;
      e.lastKill = l;
    }
    if (!l.includes(' kernel: ')) e.notKernel++;
    if (l.includes('Out of memory: Kill process')) e.decisions.push(`${e.lines}:${l}`);
    if (e.first250.length < 250) e.first250.push(l);
    e.last3.push(l);
    if (e.last3.length > 3) e.last3.shift();
  }
  return e;
}

/** a new game after `sleep`, and its world */
function storm(seed: number, sleep: string): { g: GameHandle; w: MachineWorld } {
  live = null;
  const g = createGame('1', seed);
  g.start();
  play(g, `sleep ${sleep}`);
  if (!live) throw new Error(`no OOM kill in ${sleep} of the storm`);
  return { g, w: live };
}

// each an hour or two after logrotate's turn, so that syslog is all storm
describe.each([
  [1, '3h'],
  [7, '4h'],
])('a few hours of the storm, seed %i', (seed, sleep) => {
  it('prints syslog in chunks exactly as a line at a time, forwards and backwards', () => {
    const { w } = storm(seed, sleep);
    const f = logFile(w, 'syslog');
    expect(firstDifference(w, f, false)).toBeNull();
    expect(firstDifference(w, f, true)).toBeNull();
  });
});

// syslog.1 is a closed day of the storm: the moment each spell takes adds nothing to it
describe('the tools on a day of the storm', () => {
  let g: GameHandle;
  let e: Expected;
  const file = '/var/log/syslog.1';
  beforeAll(() => {
    const s = storm(1, '3h');
    g = s.g;
    e = expected(s.w, logFile(s.w, 'syslog.1'));
  });

  it('is a storm: most of the file is OOM reports', () => {
    expect(e.kills).toBeGreaterThan(10_000);
    expect(e.lines).toBeGreaterThan(e.kills * 50);
  });

  it('grep counts as the lines say, a fixed string and a pattern alike', () => {
    expect(play(g, `grep -c 'Killed process' ${file}`)).toBe(`${e.kills}\n`);
    expect(play(g, `grep -c 'Killed proces[s]' ${file}`)).toBe(`${e.kills}\n`);
    expect(play(g, `grep -Fc 'Killed process' ${file}`)).toBe(`${e.kills}\n`);
    // no string every match holds: every line is tried
    expect(play(g, `grep -Ec 'Killed process|Xyzzy plugh' ${file}`)).toBe(`${e.kills}\n`);
    expect(play(g, `grep -c 'OUT OF MEMORY: kill' ${file}`)).toBe('0\n');
    expect(play(g, `grep -ic 'OUT OF MEMORY: kill' ${file}`)).toBe(`${e.decisions.length}\n`);
    expect(play(g, `grep -ic 'OUT OF MEMOR[Y]: kill' ${file}`)).toBe(`${e.decisions.length}\n`);
    expect(play(g, `grep -vc ' kernel: ' ${file}`)).toBe(`${e.notKernel}\n`);
    expect(play(g, `grep -vc ' kerne[l]: ' ${file}`)).toBe(`${e.notKernel}\n`);
  });

  it('grep prints the lines and their numbers as the lines say', () => {
    const numbered = e.decisions.join('');
    expect(play(g, `grep -n 'Out of memory: Kill process' ${file}`)).toBe(numbered);
    expect(play(g, `grep -nE 'Out of memory: Kill process|Xyzzy plugh' ${file}`)).toBe(numbered);
    expect(play(g, `grep -m 2 'Out of memory: Kill proces[s]' ${file}`)).toBe(e.decisions.slice(0, 2).map((l) => l.replace(/^\d+:/, '')).join(''));
    expect(play(g, `grep -o 'Killed process [0-9]*' ${file} | tail -n 1`)).toBe(`${/Killed process [0-9]*/.exec(e.lastKill)![0]}\n`);
  });

  it('wc, head and tail count and cut as the lines say', () => {
    expect(play(g, `wc -l ${file}`)).toBe(`${e.lines} ${file}\n`);
    expect(play(g, `wc -c ${file}`)).toBe(`${e.bytes} ${file}\n`);
    expect(play(g, `wc -w ${file}`)).toBe(`${e.words} ${file}\n`);
    expect(play(g, `tail -n 3 ${file}`)).toBe(e.last3.join(''));
    expect(play(g, `head ${file}`)).toBe(e.first250.slice(0, 10).join(''));
    expect(play(g, `head -n 250 ${file} | tail -n 2`)).toBe(e.first250.slice(248, 250).join(''));
  });
});
