import * as path from 'node:path';
import { EXIT, type GlobalOptions } from './options';
import { randomSeed } from './seed';

/** The interactive game: title screen, then the chapter at a prompt with history and completion. */
interface InteractiveStart {
  chapter?: string;
  seed?: number;
  load?: string;
  save?: string;
  /** write a Markdown transcript of this first game when it ends */
  transcript?: string;
  /** replace that transcript file even if it is not a grimoire transcript */
  force?: boolean;
}

export const NEEDS_A_TERMINAL =
  'the title screen needs a terminal, and standard input is not one.\n' +
  'To feed spells from a pipe or a file: grimoire play N --script - (or --script FILE).';

export async function runInteractive(opts: GlobalOptions, start: InteractiveStart = {}): Promise<number> {
  const direct = start.chapter || start.load ? start : null;
  // the menu would read (and swallow) the lines piped in for the game: no menu without a terminal
  if (!direct && !process.stdin.isTTY) {
    process.stderr.write(`grimoire: ${NEEDS_A_TERMINAL}\n`);
    return EXIT.usage;
  }

  // loaded here, not at start-up: script mode and `grimoire chapters` never need them
  const { runTerminalGame, noColorRequested, ttyInterrupts } = require('./terminal/index') as typeof import('./terminal/index');
  const { AUTOSAVE_SLOT } = require('./saves/slotName') as typeof import('./saves/slotName');
  const listing = require('./saves/slotListing') as typeof import('./saves/slotListing');
  // the play session (transcripts, exports, its timers) once a game starts, not for the title screen
  const session = () => (require('./session') as typeof import('./session')).GameSession;
  const { listChapters } = require('../engine/index') as typeof import('../engine/index');
  // the store (its formats, compression and the engine's checks) once the menu's first frame is
  // drawn, which needs only the folder's listing
  let opened: import('./saves/index').FsSaveStore | null = null;
  const saves = (): import('./saves/index').FsSaveStore => {
    const { FsSaveStore } = require('./saves/index') as typeof import('./saves/index');
    const { ENGINE_COMPAT } = require('./engineCompat') as typeof import('./engineCompat');
    return (opened ??= new FsSaveStore({ dir: opts.savesDir, engine: ENGINE_COMPAT }));
  };
  const deps = {
    get store() {
      return saves();
    },
    autosaveSlot: start.save ?? AUTOSAVE_SLOT,
    now: () => new Date(),
    transcriptPath: null as string | null,
  };

  const sessionFromSlot = async (slot: string, sessionDeps = deps) => {
    const res = await saves().read(slot);
    if (res.status === 'missing' || res.status === 'damaged') throw new Error(res.message);
    if (res.status === 'recovered') process.stderr.write(`${res.message}\n`);
    return session().fromSave(res.save, sessionDeps, `slot "${slot}"`);
  };

  const color = opts.color !== false && !noColorRequested(process.env) && !!process.stdout.isTTY;
  // `grimoire play N` goes straight to the chapter (or the --load slot) the first time round
  let first = direct;
  await runTerminalGame({
    chapters: listChapters(),
    continueState: async () => {
      const scan = await saves().scan();
      const latest = scan.saves[0];
      // the autosave is the game the player was last playing: if it is damaged, say so first
      const damaged = scan.damaged.find((p) => p.slot === AUTOSAVE_SLOT) ?? scan.damaged[0];
      return {
        available: latest !== undefined,
        ...(latest ? { description: `Chapter ${latest.chapter}: ${latest.chapterTitle} (${latest.progress}, ${latest.virtualTime} in)` } : {}),
        ...(damaged ? { problem: { file: damaged.file, message: damaged.message } } : {}),
      };
    },
    // the menu's first frame needs only whether Continue has something to open: a folder listing, not every save's header
    continueGuess: async () => ({ available: (await listing.slotsIn(path.resolve(opts.savesDir ?? listing.defaultSavesDir()))).length > 0 }),
    createSession: async (choice) => {
      if (first) {
        const d = first;
        first = null;
        const firstDeps = { ...deps, transcriptPath: d.transcript ?? null, transcriptForce: !!d.force };
        return d.load ? sessionFromSlot(d.load, firstDeps) : session().newGame(d.chapter!, d.seed ?? randomSeed(), firstDeps);
      }
      if (choice.action === 'continue') {
        const latest = await saves().latest();
        if (!latest) throw new Error('There is no saved game to continue.');
        return sessionFromSlot(latest.slot);
      }
      return session().newGame(choice.chapter, randomSeed(), deps);
    },
    ...(direct ? { start: direct.load ? ({ action: 'continue' } as const) : ({ action: 'new', chapter: direct.chapter! } as const) } : {}),
    stdin: process.stdin,
    stdout: process.stdout,
    color,
    unicode: process.env.TERM !== 'dumb',
    signals: process,
    ...(process.stdin.isTTY ? { interrupts: ttyInterrupts({ input: process.stdin }) } : {}),
  });
  return EXIT.ok;
}
