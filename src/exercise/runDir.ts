/**
 * Where runs live: one folder per run (`runs/<exercise>-<participant>-ch<N>-<yyyymmdd-hhmmss>/`)
 * holding its run file and its control file. Commands that take a RUN accept the folder or the
 * run file in it, and refuse anything else by name: a folder without a run, a FIFO, a device, a
 * file the game did not write, a run file of another version.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeFsError, kindOf, PlainFileError } from '../saves/fsErrors';
import { LineFollower } from './follow';
import { checkHeader, checkRecord, CONTROL_FILE, RUN_FILE, type RunHeader, type RunRecord } from './runFile';

export interface RunPaths {
  dir: string;
  file: string;
  control: string;
}

export type Resolved = { ok: true; paths: RunPaths } | { ok: false; message: string };

export function resolveRun(arg: string): Resolved {
  const st = fs.lstatSync(arg, { throwIfNoEntry: false });
  if (!st) return { ok: false, message: `there is no run at ${arg}` };
  let dir: string;
  let file: string;
  if (st.isDirectory()) {
    dir = arg;
    file = path.join(arg, RUN_FILE);
    const f = fs.lstatSync(file, { throwIfNoEntry: false });
    if (!f) return { ok: false, message: `${arg} is a folder without a run in it (no ${RUN_FILE})` };
    if (!f.isFile()) return { ok: false, message: `${file} is ${kindOf(f)}, not a run file` };
  } else if (st.isFile()) {
    dir = path.dirname(arg);
    file = arg;
  } else {
    return { ok: false, message: `${arg} is ${kindOf(st)}, not a run file or a run folder` };
  }
  return { ok: true, paths: { dir, file, control: path.join(dir, CONTROL_FILE) } };
}

export interface RunData {
  paths: RunPaths;
  header: RunHeader;
  records: RunRecord[];
  /** the run has its end record */
  ended: boolean;
}

/** A whole run, checked line by line. */
export function readRun(arg: string): { ok: true; run: RunData } | { ok: false; message: string } {
  const r = resolveRun(arg);
  if (!r.ok) return r;
  let lines: string[];
  try {
    lines = new LineFollower(r.paths.file).poll();
  } catch (e) {
    const why = e instanceof PlainFileError ? e.reason : describeFsError(e);
    return { ok: false, message: `cannot read ${r.paths.file}: ${why}` };
  }
  if (lines.length === 0) return { ok: false, message: `${r.paths.file} is not a grimoire exercise run file (it is empty)` };
  const h = checkHeader(lines[0]!, r.paths.file);
  if (!h.ok) return h;
  const records: RunRecord[] = [];
  for (let i = 1; i < lines.length; i++) {
    const c = checkRecord(lines[i]!, i + 1, r.paths.file);
    if (!c.ok) return c;
    records.push(c.record);
  }
  return { ok: true, run: { paths: r.paths, header: h.header, records, ended: records.some((x) => x.t === 'end') } };
}

/** yyyymmdd-hhmmss, UTC */
export function stampOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
}

/** A new folder for a run under `root` (made if missing); never one that exists. */
export function makeRunDir(root: string, base: string): string {
  fs.mkdirSync(root, { recursive: true });
  for (let n = 1; n < 100; n++) {
    const dir = path.join(root, n === 1 ? base : `${base}-${n}`);
    try {
      fs.mkdirSync(dir);
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  throw new Error(`too many runs named ${base} in ${root}`);
}
