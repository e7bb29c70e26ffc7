/**
 * A slot's step log (src/saves/stepLog.ts): the spells cast since its save, one checked line each.
 * Its format alone here; the store and the session that use it are tested in stepLog.store.test.ts.
 */
import { isStepLog, parseStepLog, stepLogHeader, stepLogLines, type LoggedStep } from '../../../src/saves/stepLog';

const BASE = 'a'.repeat(64);
const meta = (spells: number) => ({ chapter: '1', chapterTitle: 'one', progress: '0/5 objectives done', virtualTime: `${spells}s`, hints: 0, spells });
const steps: LoggedStep[] = ['uname -r', 'free -m', 'sleep 1h'].map((line, i) => ({ line, savedAt: `2026-01-01T00:00:0${i}.000Z`, meta: meta(i + 1) }));
const text = stepLogHeader('autosave', BASE) + stepLogLines(BASE, 1, steps);

describe('a step log', () => {
  it('reads back every spell it was written with, in order', () => {
    const log = parseStepLog(Buffer.from(text));
    expect(log).toEqual({ slot: 'autosave', base: BASE, steps, problem: null });
  });

  it('reads on across appends numbered where the log left off', () => {
    const more = stepLogLines(BASE, 4, [{ line: 'ps aux', savedAt: '2026-01-01T00:00:09.000Z', meta: meta(4) }]);
    expect(parseStepLog(Buffer.from(text + more))!.steps.map((s) => s.line)).toEqual(['uname -r', 'free -m', 'sleep 1h', 'ps aux']);
  });

  it('ends quietly before a line a crash left half written (never answered, so nothing lost)', () => {
    const torn = text + stepLogLines(BASE, 4, [{ line: 'ps aux', savedAt: '2026-01-01T00:00:09.000Z', meta: meta(4) }]).slice(0, 30);
    const log = parseStepLog(Buffer.from(torn))!;
    expect(log.steps).toHaveLength(3);
    expect(log.problem).toBeNull();
  });

  it('ends before a damaged line and says which, keeping the spells before it', () => {
    const lines = text.split('\n');
    lines[2] = lines[2]!.replace('free -m', 'free -g');
    const log = parseStepLog(Buffer.from(lines.join('\n')))!;
    expect(log.steps.map((s) => s.line)).toEqual(['uname -r']);
    expect(log.problem).toMatch(/^spell 2 of the log does not match its checksum/);
  });

  it('will not take a line from another log (the checksum covers the save it follows) nor one out of order', () => {
    const other = stepLogLines('b'.repeat(64), 4, [{ line: 'ps aux', savedAt: '2026-01-01T00:00:09.000Z', meta: meta(4) }]);
    expect(parseStepLog(Buffer.from(text + other))!.problem).toMatch(/spell 4 of the log does not match its checksum/);
    const skipped = stepLogLines(BASE, 5, [{ line: 'ps aux', savedAt: '2026-01-01T00:00:09.000Z', meta: meta(4) }]);
    expect(parseStepLog(Buffer.from(text + skipped))!.problem).toMatch(/spell 4 of the log is not a logged spell/);
  });

  it('is told apart from any other file by its header', () => {
    expect(isStepLog(Buffer.from(text))).toBe(true);
    for (const other of ['', 'uname -r\n', '{"format":"grimoire-save"}\n', '\u0000\u0001binary', '{"format":"grimoire-steps","formatVersion":2,"slot":"a","base":"x"}\n']) {
      expect(isStepLog(Buffer.from(other))).toBe(false);
      expect(parseStepLog(Buffer.from(other))).toBeNull();
    }
  });
});
