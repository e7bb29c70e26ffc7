/** Exercise runs driven through injected streams and a fake wall clock: no terminal, no real minutes. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { runExercise, type ExerciseRunOptions } from '../../../src/exercise/run';
import { createRenderer, plainColors } from '../../../src/terminal/render';
import { Capture, waitFor } from '../terminal/fakes';

export { Capture, waitFor };

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'grimoire-exercise-'));
}

/** an exercise file in `dir`, from settings (YAML text or an object written as JSON) */
export function exerciseFile(dir: string, settings: Record<string, unknown> | string, name = 'ex.json'): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof settings === 'string' ? settings : JSON.stringify(settings));
  return file;
}

export const BASE = { format: 'grimoire-exercise', version: 1, name: 'drill', chapters: [1], timeBox: '30m', hints: 'allowed', seed: 42, participants: ['alice'] };

/** a wall clock the test moves by hand */
export class FakeClock {
  ms = Date.UTC(2026, 11, 3, 14, 0, 0);
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface LiveRun {
  input: PassThrough;
  output: Capture;
  errors: string[];
  done: Promise<number>;
  dir: () => string;
  /** types a line and waits until the prompt is back after its output */
  type(line: string, waitForText?: string): Promise<void>;
}

export async function startRun(file: string, opts: ExerciseRunOptions, clock: FakeClock, pollMs = 10): Promise<LiveRun> {
  const input = new PassThrough();
  const output = new Capture();
  const errors: string[] = [];
  let runDir = '';
  const done = runExercise(file, opts, {
    input,
    output,
    isTTY: false,
    renderer: createRenderer(plainColors, { width: 200 }),
    now: clock.now,
    pollMs,
    err: (m) => errors.push(m),
    onRunDir: (d) => (runDir = d),
  });
  const run: LiveRun = {
    input,
    output,
    errors,
    done,
    dir: () => runDir,
    type: async (line, waitForText) => {
      const before = output.text.length;
      input.write(line + '\n');
      await waitFor(() => {
        const since = output.text.slice(before);
        return (waitForText === undefined || since.includes(waitForText)) && /\] \S+@\S+:\S*\$ $/.test(since);
      }, `the prompt after ${line}`, 60_000);
    },
  };
  await waitFor(() => runDir !== '' || errors.length > 0, 'the run folder', 60_000);
  return run;
}

/** the run file's records, parsed */
export function records(dir: string): Array<Record<string, unknown>> {
  return fs
    .readFileSync(path.join(dir, 'run.jsonl'), 'utf8')
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
