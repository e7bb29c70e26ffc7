/**
 * `grimoire exercise watch RUN`: the facilitator's view from a second terminal. It follows the run
 * file as the game appends to it (a poll every pollMs, never a busy loop), prints what happens,
 * keeps the facilitator's view of the truth behind the game (`status`), and sends the
 * facilitator's actions to the game through the control file. Streams and the clock are injected.
 */
import { createInterface } from 'node:readline';
import type { GameInspection } from '../../engine/index';
import { describeFsError, PlainFileError } from '../saves/fsErrors';
import { appendAction } from './control';
import { LineFollower } from './follow';
import { resolveRun } from './runDir';
import { checkHeader, checkRecord, type FacilitatorAction, type RunHeader, type RunRecord } from './runFile';
import { describeRecord, describeState } from './view';

export interface WatchDeps {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  now: () => number;
  /** how often the run file is looked at (default 250 ms) */
  pollMs?: number;
  err: (message: string) => void;
}

const HELP = `Commands:
  status         what is really wrong, the objectives, clues found and not, hints, wrong fixes
  hint           reveal the next hint to the player
  pause, resume  stop or restart the clock (the player cannot cast while it is stopped)
  inject [ID]    make one of the chapter's symptoms happen now (without ID: the list)
  end            end the exercise now, with the debrief
  help           this list
  quit           stop watching (the run goes on)`;

export async function runWatch(runArg: string, deps: WatchDeps): Promise<number> {
  const resolved = resolveRun(runArg);
  if (!resolved.ok) {
    deps.err(resolved.message);
    return 2;
  }
  const { paths } = resolved;
  const follower = new LineFollower(paths.file);
  let first: string[];
  try {
    first = follower.poll();
  } catch (e) {
    deps.err(`cannot read ${paths.file}: ${e instanceof PlainFileError ? e.reason : describeFsError(e)}`);
    return 2;
  }
  if (first.length === 0) {
    deps.err(`${paths.file} is not a grimoire exercise run file (it is empty)`);
    return 2;
  }
  const h = checkHeader(first[0]!, paths.file);
  if (!h.ok) {
    deps.err(h.message);
    return 2;
  }
  const header: RunHeader = h.header;
  const write = (text: string): void => void deps.output.write(text.endsWith('\n') ? text : text + '\n');

  let lineNo = 1;
  let state: GameInspection | null = null;
  let last: RunRecord | null = null;
  let paused = false;
  let ended = false;

  /** checks and prints new record lines; a message when one is not ours */
  const take = (lines: string[]): string | null => {
    for (const line of lines) {
      lineNo++;
      const c = checkRecord(line, lineNo, paths.file);
      if (!c.ok) return c.message;
      const r = c.record;
      last = r;
      if (r.t === 'state') state = r.state;
      if (r.t === 'clock') paused = r.event === 'pause';
      const text = describeRecord(r);
      if (text) write(text);
      if (r.t === 'end') ended = true;
    }
    return null;
  };

  const remaining = (): number | null => {
    const r = last as RunRecord | null;
    if (!r) return null;
    const running = paused || ended ? 0 : Math.max(0, deps.now() - Date.parse(r.wall));
    return Math.max(0, header.exercise.timeBoxMs - r.clockMs - running);
  };

  write(
    `Watching ${header.exercise.name}: ${header.participant ?? 'no participant named'} on chapter ${header.chapter} (${header.chapterTitle}), ` +
      `seed ${header.seed}, ${header.exercise.timeBox} on the clock, hints ${header.exercise.hints}.\n${HELP}\n`,
  );
  const problem = take(first.slice(1));
  if (problem) {
    deps.err(problem);
    return 2;
  }
  if (state) write(describeState(state, header, remaining()));
  if (ended) return 0;

  return new Promise<number>((resolve) => {
    let done = false;
    let timer: NodeJS.Timeout | null = null;
    const rl = createInterface({ input: deps.input, terminal: false, crlfDelay: Infinity });
    const finish = (code: number): void => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      rl.close();
      resolve(code);
    };

    const poll = (): void => {
      timer = null;
      let lines: string[];
      try {
        lines = follower.poll();
      } catch (e) {
        deps.err(`cannot follow ${paths.file}: ${e instanceof PlainFileError ? e.reason : describeFsError(e)}`);
        return finish(2);
      }
      const bad = take(lines);
      if (bad) {
        deps.err(bad);
        return finish(2);
      }
      if (ended) {
        if (state) write(describeState(state, header, null));
        return finish(0);
      }
      timer = setTimeout(poll, deps.pollMs ?? 250);
    };

    const send = (action: FacilitatorAction, injection?: string): void => {
      try {
        const a = appendAction(paths.control, { action, ...(injection ? { injection } : {}) }, deps.now);
        write(`sent ${action}${injection ? ` ${injection}` : ''} (${a.id.slice(0, 8)}); the game acknowledges it between lines`);
      } catch (e) {
        write(`could not send ${action}: ${e instanceof Error ? e.message : String(e)}`);
      }
    };

    rl.on('line', (raw) => {
      if (done) return;
      const [cmd = '', arg, ...rest] = raw.trim().split(/\s+/);
      if (rest.length > 0) return write(`${cmd}: too many words (help lists the commands)`);
      switch (cmd) {
        case '':
          return;
        case 'status': {
          const s = state as GameInspection | null;
          return write(s ? describeState(s, header, remaining()) : 'The game has not opened yet.');
        }
        case 'hint':
        case 'pause':
        case 'resume':
        case 'end':
          return send(cmd);
        case 'inject': {
          const s = state as GameInspection | null;
          const list = s?.injections ?? [];
          if (!arg) return write(list.length > 0 ? `inject ID, with ID one of:\n${list.map((i) => `  ${i.id}: ${i.label}`).join('\n')}` : 'This chapter defines no injections.');
          if (!list.some((i) => i.id === arg)) return write(`no injection '${arg}' in this chapter (${list.map((i) => i.id).join(', ') || 'it defines none'})`);
          return send('inject', arg);
        }
        case 'help':
          return write(HELP);
        case 'quit':
        case 'exit':
          write('You stop watching; the run goes on (watch it again any time).');
          return finish(0);
        default:
          return write(`${cmd}: not a facilitator's command (help lists them)`);
      }
    });
    // without input (a pipe that ended) the watcher keeps following until the run ends
    timer = setTimeout(poll, deps.pollMs ?? 250);
  });
}
