import { createReadStream, existsSync, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { findChapter, listChapters } from '../engine/index';
import type { GlobalOptions, PlayOptions } from './options';
import { randomSeed } from './seed';

/** `grimoire play N`: script mode when --script is given, otherwise the interactive game at chapter N. */
export async function runPlay(chapter: string, opts: PlayOptions): Promise<number> {
  const usage = (msg: string) => {
    process.stderr.write(`grimoire: ${msg}\n`);
    return 2;
  };
  const info = findChapter(chapter);
  if (!info) {
    const known = listChapters().map((c) => `${c.number} (${c.title})`).join(', ');
    return usage(`there is no chapter '${chapter}'. Chapters: ${known}.`);
  }
  if (opts.json && !opts.script) return usage('--json goes with --script.');
  if (opts.load && opts.seed !== undefined) return usage('--load continues a saved world; it cannot take a --seed.');

  const { FsSaveStore, checkSlotName } = (require('./saves/index') as typeof import('./saves/index'));
  for (const [flag, name] of [['--save', opts.save], ['--load', opts.load]] as const) {
    if (name === undefined) continue;
    const check = checkSlotName(name, { allowReserved: flag === '--load' });
    if (!check.ok) return usage(`${flag}: ${check.message}`);
  }

  if (!opts.script) {
    const { runInteractive } = (require('./interactive') as typeof import('./interactive'));
    return runInteractive(opts as GlobalOptions, { chapter: info.id, seed: opts.seed, load: opts.load, save: opts.save });
  }

  let input: Readable;
  if (opts.script === '-') {
    input = process.stdin;
  } else {
    if (!existsSync(opts.script) || !statSync(opts.script).isFile()) return usage(`cannot read script '${opts.script}': no such file.`);
    input = createReadStream(opts.script, { encoding: 'utf8' });
  }

  const { GameSession, ENGINE_COMPAT } = (require('./session') as typeof import('./session'));
  const store = opts.save || opts.load ? new FsSaveStore({ dir: opts.savesDir, engine: ENGINE_COMPAT }) : null;
  const deps = { store, autosaveSlot: opts.save ?? null, now: () => new Date(), transcriptPath: opts.transcript ?? null };

  let session;
  if (opts.load) {
    const res = await store!.read(opts.load);
    if (res.status === 'missing' || res.status === 'damaged') return usage(res.message);
    if (res.status === 'recovered') process.stderr.write(`grimoire: ${res.message}\n`);
    if (res.save.meta.chapter !== info.id) return usage(`slot '${opts.load}' holds chapter ${res.save.meta.chapter}, not chapter ${info.id}.`);
    try {
      session = GameSession.fromSave(res.save, deps, `slot "${opts.load}"`);
    } catch (e) {
      return usage(`cannot continue slot '${opts.load}': ${e instanceof Error ? e.message : String(e)}`);
    }
  } else {
    const seed = opts.seed ?? randomSeed();
    if (opts.seed === undefined) process.stderr.write(`grimoire: seed ${seed} (replay this world with --seed ${seed})\n`);
    session = GameSession.newGame(info.id, seed, deps);
  }

  const { runScript } = (require('./script') as typeof import('./script'));
  const solved = await runScript(session, input, process.stdout, { json: !!opts.json, showOpening: true });
  return solved ? 0 : 1;
}
