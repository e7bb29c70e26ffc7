import type { GlobalOptions } from './options';
import { randomSeed } from './seed';

/** The interactive game: title screen, then the chapter at a prompt with history and completion. */
interface InteractiveStart {
  chapter?: string;
  seed?: number;
  load?: string;
  save?: string;
}

export async function runInteractive(opts: GlobalOptions, start: InteractiveStart = {}): Promise<number> {
  // loaded here, not at start-up: script mode and `grimoire chapters` never need them
  const { runTerminalGame, noColorRequested } = require('./terminal/index') as typeof import('./terminal/index');
  const { FsSaveStore, AUTOSAVE_SLOT } = require('./saves/index') as typeof import('./saves/index');
  const { GameSession, ENGINE_COMPAT } = require('./session') as typeof import('./session');
  const { listChapters } = require('../engine/index') as typeof import('../engine/index');
  const store = new FsSaveStore({ dir: opts.savesDir, engine: ENGINE_COMPAT });
  const deps = { store, autosaveSlot: start.save ?? AUTOSAVE_SLOT, now: () => new Date(), transcriptPath: null };

  const sessionFromSlot = async (slot: string) => {
    const res = await store.read(slot);
    if (res.status === 'missing' || res.status === 'damaged') throw new Error(res.message);
    if (res.status === 'recovered') process.stderr.write(`${res.message}\n`);
    return GameSession.fromSave(res.save, deps, `slot "${slot}"`);
  };

  const color = opts.color !== false && !noColorRequested(process.env) && !!process.stdout.isTTY;
  // `grimoire play N` goes straight to the chapter (or the --load slot) the first time round
  let direct = start.chapter || start.load ? start : null;
  await runTerminalGame({
    chapters: listChapters(),
    hasContinue: async () => (await store.latest()) !== null,
    createSession: async (choice) => {
      if (direct) {
        const d = direct;
        direct = null;
        return d.load ? sessionFromSlot(d.load) : GameSession.newGame(d.chapter!, d.seed ?? randomSeed(), deps);
      }
      if (choice.action === 'continue') {
        const latest = await store.latest();
        if (!latest) throw new Error('There is no saved game to continue.');
        return sessionFromSlot(latest.slot);
      }
      return GameSession.newGame(choice.chapter, randomSeed(), deps);
    },
    ...(direct ? { start: direct.load ? ({ action: 'continue' } as const) : ({ action: 'new', chapter: direct.chapter! } as const) } : {}),
    stdin: process.stdin,
    stdout: process.stdout,
    color,
    unicode: process.env.TERM !== 'dumb',
    signals: process,
  });
  return 0;
}
