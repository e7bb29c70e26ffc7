/**
 * The control file: how the facilitator's view (`exercise watch`) reaches the running game. The
 * run creates it with a header; the watcher appends one action per line, each with an id, and
 * flushes it; the game polls the file between lines and while it waits, does each new action
 * once, and acknowledges it in the run file by its id.
 */
import * as fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { LineFollower } from './follow';
import type { FacilitatorAction } from './runFile';

export const CONTROL_FORMAT = 'grimoire-exercise-control';
export const CONTROL_VERSION = 1;

export interface ControlAction {
  id: string;
  action: FacilitatorAction;
  /** which injection, for `inject` */
  injection?: string;
  /** when the facilitator asked (wall clock, ISO) */
  at: string;
}

const actionSchema = z.strictObject({
  id: z.string().min(1).max(64),
  action: z.enum(['hint', 'pause', 'resume', 'inject', 'end']),
  injection: z.string().min(1).max(64).optional(),
  at: z.string(),
});

const HEADER = JSON.stringify({ format: CONTROL_FORMAT, version: CONTROL_VERSION }) + '\n';

/** The run makes the control file, empty but for its header; never over an existing file. */
export function createControlFile(file: string): void {
  const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o644);
  try {
    fs.writeSync(fd, HEADER);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function headerOk(line: string): boolean {
  try {
    const h = JSON.parse(line) as { format?: unknown; version?: unknown };
    return h.format === CONTROL_FORMAT && h.version === CONTROL_VERSION;
  } catch {
    return false;
  }
}

/**
 * Appends one action (the watcher's side). The file must be the run's own control file: a plain
 * file whose first line is the control header; anything else is left alone.
 */
export function appendAction(file: string, action: Omit<ControlAction, 'id' | 'at'>, now: () => number): ControlAction {
  const full: ControlAction = { id: randomUUID(), ...action, at: new Date(now()).toISOString() };
  const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_APPEND | (fs.constants.O_NONBLOCK ?? 0));
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new Error(`${file} is not a plain file`);
    const head = Buffer.alloc(HEADER.length);
    fs.readSync(fd, head, 0, head.length, 0);
    if (!headerOk(head.toString('utf8').trimEnd())) throw new Error(`${file} is not this run's control file; nothing was written to it`);
    fs.writeSync(fd, JSON.stringify(full) + '\n');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return full;
}

/** The game's side: new actions since the last poll, each id once; lines that are not actions are reported, not done. */
export class ControlReader {
  private readonly follower: LineFollower;
  private readonly seen = new Set<string>();
  private headerSeen = false;

  constructor(readonly file: string) {
    this.follower = new LineFollower(file);
  }

  poll(): { actions: ControlAction[]; problems: string[] } {
    const actions: ControlAction[] = [];
    const problems: string[] = [];
    for (const line of this.follower.poll()) {
      if (!this.headerSeen) {
        this.headerSeen = true;
        if (!headerOk(line)) problems.push(`${this.file} does not start with the control header`);
        continue;
      }
      if (line.trim() === '') continue;
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch {
        problems.push(`a line of ${this.file} is not JSON; it was ignored`);
        continue;
      }
      const r = actionSchema.safeParse(raw);
      if (!r.success) {
        problems.push(`a line of ${this.file} is not an action (${r.error.issues[0]!.message}); it was ignored`);
        continue;
      }
      if (this.seen.has(r.data.id)) continue;
      this.seen.add(r.data.id);
      actions.push(r.data as ControlAction);
    }
    return { actions, problems };
  }
}
