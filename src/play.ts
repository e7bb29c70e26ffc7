import { accessSync, constants, createReadStream, existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { findChapter, listChapters } from '../engine/index';
import { EXIT, type GlobalOptions, type PlayOptions } from './options';
import { randomSeed } from './seed';

/**
 * `grimoire play N`: script mode when --script is given, otherwise the interactive game at chapter N.
 *
 * Everything that can be checked before the run is checked before it (options, the script file,
 * the --load slot, where --save and --transcript will write), so a run never goes to the end only
 * to fail on a path: usage errors exit 2, an unusable save exits 3, and the exit status of a run
 * that did start is whether the chapter was solved.
 */
export async function runPlay(chapter: string, opts: PlayOptions): Promise<number> {
  const fail = (status: number, msg: string): number => {
    process.stderr.write(`grimoire: ${msg}\n`);
    return status;
  };
  const usage = (msg: string) => fail(EXIT.usage, msg);
  const info = findChapter(chapter);
  if (!info) {
    const known = listChapters().map((c) => `${c.number} (${c.title})`).join(', ');
    return usage(`there is no chapter '${chapter}'. Chapters: ${known}.`);
  }
  if (opts.json && !opts.script) return usage('--json goes with --script.');
  if (opts.force && !opts.transcript) return usage('--force goes with --transcript.');
  if (opts.load && opts.seed !== undefined) return usage('--load continues a saved world; it cannot take a --seed.');

  const { checkSlotName } = (require('./saves/slotName') as typeof import('./saves/slotName'));
  for (const [flag, name] of [['--save', opts.save], ['--load', opts.load]] as const) {
    if (name === undefined) continue;
    const check = checkSlotName(name, { allowReserved: flag === '--load' });
    if (!check.ok) return usage(`${flag}: ${check.message}`);
  }

  if (opts.script && opts.script !== '-') {
    if (!existsSync(opts.script) || !statSync(opts.script).isFile()) return usage(`cannot read script '${opts.script}': no such file.`);
  }
  const { GameSession, ENGINE_COMPAT, checkTranscriptTarget } = (require('./session') as typeof import('./session'));
  if (opts.transcript !== undefined) {
    // the session checks again when it writes; asking now means a bad path costs nothing
    const file = opts.transcript;
    const check = await checkTranscriptTarget(file, { force: !!opts.force, forceHint: `--transcript ${file} --force` });
    if (!check.ok) return usage(`--transcript: ${check.message}`);
    const problem = folderProblem(file);
    if (problem) return usage(`--transcript: ${problem}`);
  }

  const interactive = !opts.script;
  // the interactive game always saves (the autosave slot); script mode only with --save or --load
  // the store, with its formats and brotli, loads only when this game saves
  const store =
    interactive || opts.save || opts.load ? new (require('./saves/fsStore') as typeof import('./saves/fsStore')).FsSaveStore({ dir: opts.savesDir, engine: ENGINE_COMPAT }) : null;
  if (store && opts.save) {
    const problem = savesDirProblem(store.dir);
    if (problem) return usage(`--save: ${problem}`);
  }

  let loaded: import('./saves/index').SaveData | null = null;
  if (opts.load) {
    const res = await store!.read(opts.load);
    if (res.status === 'missing') return usage(res.message);
    if (res.status === 'damaged') return fail(EXIT.badSave, res.message);
    if (res.status === 'recovered') process.stderr.write(`grimoire: ${res.message}\n`);
    if (res.save.meta.chapter !== info.id) return usage(`slot '${opts.load}' holds chapter ${res.save.meta.chapter}, not chapter ${info.id}.`);
    loaded = res.save;
  }

  if (interactive) {
    const { runInteractive } = (require('./interactive') as typeof import('./interactive'));
    return runInteractive(opts as GlobalOptions, {
      chapter: info.id,
      seed: opts.seed,
      load: opts.load,
      save: opts.save,
      transcript: opts.transcript,
      force: !!opts.force,
    });
  }

  const input: Readable = opts.script === '-' ? process.stdin : createReadStream(opts.script!, { encoding: 'utf8' });
  const deps = { store, autosaveSlot: opts.save ?? null, now: () => new Date(), transcriptPath: opts.transcript ?? null, transcriptForce: !!opts.force };

  let session;
  if (loaded) {
    try {
      session = GameSession.fromSave(loaded, deps, `slot "${opts.load}"`);
    } catch (e) {
      return fail(EXIT.badSave, `cannot continue slot '${opts.load}': ${e instanceof Error ? e.message : String(e)}`);
    }
  } else {
    const seed = opts.seed ?? randomSeed();
    if (opts.seed === undefined) process.stderr.write(`grimoire: seed ${seed} (replay this world with --seed ${seed})\n`);
    session = GameSession.newGame(info.id, seed, deps);
  }

  const { runScript } = (require('./script') as typeof import('./script'));
  const solved = await runScript(session, input, process.stdout, { json: !!opts.json, showOpening: true });
  return solved ? EXIT.ok : EXIT.notSolved;
}

/** Why nothing can be written in FILE's folder (it is written to a temporary file there, then renamed), or null. */
export function folderProblem(file: string): string | null {
  const dir = path.dirname(path.resolve(file));
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
    return null;
  } catch {
    return `cannot write ${file}: no permission to write in the folder ${dir}.`;
  }
}

/** Why saves cannot be written to DIR, or null: DIR, or the nearest folder above it that exists, must be a writable folder. */
export function savesDirProblem(dir: string): string | null {
  let probe = path.resolve(dir);
  for (;;) {
    let st;
    try {
      st = statSync(probe);
    } catch {
      const parent = path.dirname(probe);
      if (parent === probe) return `cannot create the saves folder ${dir}.`;
      probe = parent;
      continue;
    }
    if (!st.isDirectory()) return `${probe} is not a folder, so saves cannot go in ${dir}.`;
    try {
      accessSync(probe, constants.W_OK | constants.X_OK);
    } catch {
      return `no permission to write in ${probe}, so saves cannot go in ${dir}.`;
    }
    return null;
  }
}
