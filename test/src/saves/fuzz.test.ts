/**
 * Fuzzing save files and the paths export/import/transcript are given (fast-check): random bytes,
 * truncations and bit flips of a real save, random JSON sealed with a valid checksum, and targets
 * that are folders, FIFOs, devices, links or other people's files. Whatever comes in: no crash,
 * no stack trace, no hang past a bound, and no file outside the saves folder changed unless it
 * was named with --force (and is a plain file) or is the game's own.
 *
 * A fixed seed and a few runs by default; GRIMOIRE_FUZZ_RUNS=N runs each property N times
 * (GRIMOIRE_FUZZ_SEED=S picks another seed).
 */
import { execFileSync } from 'node:child_process';
import fs = require('node:fs');
import * as path from 'node:path';
import fc from 'fast-check';
import { checksumOf } from '../../../src/saves/canonical';
import type { SaveData } from '../../../src/saves/envelope';
import { FsSaveStore } from '../../../src/saves/fsStore';
import { ENGINE_COMPAT, GameSession } from '../../../src/session';
import { blocksToPlainText } from '../../../src/text/plain';
import { TRANSCRIPT_MARKER } from '../../../src/transcript/markdown';
import { cleanupTempDirs, tempDir } from './helpers';

afterAll(cleanupTempDirs);

const RUNS = Math.max(1, Number(process.env.GRIMOIRE_FUZZ_RUNS ?? 12));
const SEED = Number(process.env.GRIMOIRE_FUZZ_SEED ?? 20260101);
const options = { seed: SEED, numRuns: RUNS, endOnFailure: true };
/** no single operation may take longer than this */
const BOUND_MS = 15_000;
/** jest's limit for a whole property: every run within the bound, and some slack */
const testTimeout = Math.max(120_000, RUNS * BOUND_MS);

async function within<T>(what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<T>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no answer after ${BOUND_MS} ms`)), BOUND_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** What a player must never see: a stack trace. */
function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/\n\s+at \S|\bat Object\.<anonymous>|\b(?:TypeError|ReferenceError|SyntaxError|InternalError)\b/);
}

/** What the save commands (load, import, saves, export, transcript) never say: a raw JavaScript message. */
function expectWords(text: string): void {
  expectNoStackTrace(text);
  expect(text).not.toMatch(/Cannot read propert|is not a function|is not iterable|undefined is not|\bE[A-Z]{2,}\b: /);
}

let seq = 0;
/** the played game the sessions start from (restoring it is much cheaper than a new world) */
let realData: SaveData;

/** A session on its own saves folder under `root`, autosaving nowhere (the properties look at reading). */
function session(root: string): { s: GameSession; store: FsSaveStore; saves: string } {
  const saves = path.join(root, 'saves');
  const store = new FsSaveStore({ dir: saves, engine: ENGINE_COMPAT });
  const s = GameSession.fromSave(realData, { store, autosaveSlot: null, now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, seq++)), transcriptPath: null }, 'the fuzz game');
  s.open();
  return { s, store, saves };
}

/**
 * Runs a line; the session answers within the bound, without a stack trace, and is still there.
 * The save commands answer in words. (A spell in a game whose world was filled with garbage
 * below its top level, which restoring does not look at, may fizzle with the engine's reason.)
 */
async function say(s: GameSession, line: string): Promise<string> {
  const out = await within(line, s.handle(line));
  const text = blocksToPlainText(out.blocks);
  if (/^(?:load|import|saves|export|transcript)\b/.test(line)) expectWords(text);
  else expectNoStackTrace(text);
  // the game is still there and answers
  expect(() => s.prompt()).not.toThrow();
  expect(() => s.result()).not.toThrow();
  return text;
}

/** A real save and a real export of a played game, made once. */
let realSave: Buffer;
let realExport: Buffer;
beforeAll(async () => {
  const root = tempDir('grimoire-fuzz-');
  const saves = path.join(root, 'saves');
  const store = new FsSaveStore({ dir: saves, engine: ENGINE_COMPAT });
  const s = GameSession.newGame('1', 8, { store, autosaveSlot: 'autosave', now: () => new Date(Date.UTC(2026, 0, 1)), transcriptPath: null });
  s.open();
  for (const line of ['uname -r', 'cd /var/log', 'talk', 'hint']) await s.handle(line);
  realSave = fs.readFileSync(path.join(saves, 'autosave.json'));
  const r = await store.read('autosave');
  if (r.status !== 'ok') throw new Error(`the real save did not read back: ${r.status}`);
  realData = r.save;
  await s.handle(`export ${path.join(root, 'real-export.json')}`);
  realExport = fs.readFileSync(path.join(root, 'real-export.json'));
}, 120_000);

/** Every entry under dir but `skip`, with its kind and bytes. */
function snapshot(dir: string, skip: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const n of fs.readdirSync(d).sort()) {
      const p = path.join(d, n);
      if (p === skip) continue;
      const st = fs.lstatSync(p);
      if (st.isDirectory()) {
        out.set(p, 'dir');
        walk(p);
      } else if (st.isSymbolicLink()) out.set(p, `link -> ${fs.readlinkSync(p)}`);
      else if (st.isFile()) out.set(p, `file ${fs.readFileSync(p).toString('base64')}`);
      else out.set(p, st.isFIFO() ? 'fifo' : 'special');
    }
  };
  walk(dir);
  return out;
}

const bytesLike = fc.oneof(
  fc.uint8Array({ maxLength: 4096 }),
  // the start of a save, then noise
  fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.concat([Buffer.from('{\n  "format": "grimoire-save",\n  "formatVersion": 1,'), b])),
  fc.string({ maxLength: 2000 }).map((t) => Buffer.from(t)),
);

describe('fuzz: save files', () => {
  it(
    'random bytes as a slot or an import file: reported, never a crash, a hang or a stack trace',
    async () => {
      await fc.assert(
        fc.asyncProperty(bytesLike, bytesLike, async (slotBytes, importBytes) => {
          const root = tempDir('grimoire-fuzz-');
          const { s, store, saves } = session(root);
          fs.mkdirSync(saves, { recursive: true });
          fs.writeFileSync(path.join(saves, 'noise.json'), slotBytes);
          fs.writeFileSync(path.join(saves, 'noise.bak.json'), importBytes);
          const file = path.join(root, 'noise-import.json');
          fs.writeFileSync(file, importBytes);
          const before = snapshot(root, '');
          await within('read', store.read('noise'));
          await within('scan', store.scan());
          await say(s, 'saves');
          await say(s, 'load noise');
          await say(s, `import ${file}`);
          expect(snapshot(root, '')).toEqual(before);
        }),
        options,
      );
    },
    testTimeout,
  );

  it(
    'truncations and bit flips of a real save: damaged or loaded, never a crash, and nothing changed',
    async () => {
      const change = fc.record({
        cut: fc.option(fc.nat({ max: 400_000 }), { nil: undefined }),
        flips: fc.array(fc.record({ at: fc.nat({ max: 400_000 }), bit: fc.integer({ min: 0, max: 7 }) }), { maxLength: 4 }),
      });
      await fc.assert(
        fc.asyncProperty(change, async ({ cut, flips }) => {
          const bytes = Buffer.from(realSave.subarray(0, cut === undefined ? realSave.length : cut % (realSave.length + 1)));
          for (const f of flips) if (bytes.length > 0) bytes[f.at % bytes.length]! ^= 1 << f.bit;
          const root = tempDir('grimoire-fuzz-');
          const { s, saves } = session(root);
          fs.mkdirSync(saves, { recursive: true });
          fs.writeFileSync(path.join(saves, 'hit.json'), bytes);
          const before = snapshot(root, '');
          const out = await say(s, 'load hit');
          // a whole, unchanged save loads; anything else is reported by name
          if (!/^Loaded "hit"/m.test(out)) expect(out).toMatch(/hit\.json/);
          await say(s, 'uname -r');
          expect(snapshot(root, '')).toEqual(before);
        }),
        options,
      );
    },
    testTimeout,
  );

  const STATE_PATHS = [
    [],
    ['chapter'],
    ['seed'],
    ['streams'],
    ['streams', 'spells'],
    ['world'],
    ['world', 'now'],
    ['world', 'k'],
    ['world', 'p'],
    ['world', 'files'],
    ['world', 'scenario'],
    ['world', 'nsd'],
    ['world', 'stats'],
    ['world', 'format'],
    ['shell'],
    ['shell', 'cwd'],
    ['shell', 'vars'],
    ['shell', 'exported'],
    ['flow'],
    ['objectives'],
    ['objectives', 'value'],
    ['story'],
    ['progress'],
    ['progress', 'notes'],
    ['progress', 'clues'],
    ['hintLevel'],
    ['journal'],
    ['learned'],
    ['history'],
    ['conversation'],
    ['started'],
  ] as const;
  const ENVELOPE_PATHS = [['meta'], ['meta', 'hints'], ['history'], ['payload', 'seed'], ['payload', 'chapter'], ['slot'], ['savedAt']] as const;

  it(
    'random JSON in a real export, sealed with a valid checksum: imported and playable, or refused in words',
    async () => {
      const mutation = fc.record({
        where: fc.oneof(
          fc.constantFrom(...STATE_PATHS).map((p) => ['payload', 'state', ...p] as string[]),
          fc.constantFrom(...ENVELOPE_PATHS).map((p) => [...p] as string[]),
        ),
        value: fc.jsonValue({ maxDepth: 2 }),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
          const env = JSON.parse(realExport.toString('utf8')) as Record<string, unknown>;
          for (const { where, value } of mutations) {
            let at = env as Record<string, unknown>;
            for (const key of where.slice(0, -1)) {
              const next = at[key];
              if (typeof next !== 'object' || next === null) break;
              at = next as Record<string, unknown>;
            }
            at[where[where.length - 1]!] = value;
          }
          const { checksum: _c, ...body } = env;
          const root = tempDir('grimoire-fuzz-');
          const file = path.join(root, 'crafted.json');
          fs.writeFileSync(file, JSON.stringify({ ...body, checksum: checksumOf(body) }, null, 2));
          const { s } = session(root);
          const out = await say(s, `import ${file}`);
          if (/^Imported /m.test(out)) {
            // what was accepted must be a game that runs
            await say(s, 'uname -r');
            await say(s, 'status');
          } else {
            expect(out).toMatch(/crafted\.json/);
            expect(out).toMatch(/Nothing was imported\./);
          }
        }),
        options,
      );
    },
    testTimeout,
  );
});

describe('fuzz: export, import and transcript targets', () => {
  type Kind = 'missing' | 'folder' | 'fifo' | 'device' | 'link' | 'export' | 'transcript' | 'foreign';

  function kindOf(p: string): Kind {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch {
      return 'missing';
    }
    if (st.isSymbolicLink()) return 'link';
    if (st.isDirectory()) return 'folder';
    if (st.isFIFO()) return 'fifo';
    if (!st.isFile()) return 'device';
    const head = fs.readFileSync(p).subarray(0, 256).toString('utf8');
    if (/^\s*\{\s*"format"\s*:\s*"grimoire-export"/.test(head)) return 'export';
    if (head.startsWith(`${TRANSCRIPT_MARKER}\n`)) return 'transcript';
    return 'foreign';
  }

  it(
    'folders, FIFOs, devices, links, other files: nothing outside the saves folder changes unless it is ours or named with --force',
    async () => {
      const step = fc.record({
        cmd: fc.constantFrom('export', 'import', 'transcript'),
        force: fc.boolean(),
        target: fc.constantFrom('README.md', 'package.json', 'notes', 'folder', 'fifo', 'link-victim', 'link-zero', 'link-dangling', 'ours.json', 'ours.md', 'new.json', 'no-such-dir/x.json', '/dev/null', '/dev/zero'),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 5 }), async (steps) => {
          const root = tempDir('grimoire-fuzz-');
          const w = path.join(root, 'work');
          fs.mkdirSync(w);
          fs.writeFileSync(path.join(w, 'README.md'), '# my project\n');
          fs.writeFileSync(path.join(w, 'package.json'), '{"name": "mine", "version": "1.0.0"}\n');
          fs.writeFileSync(path.join(w, 'notes'), 'no extension, not ours\n');
          fs.writeFileSync(path.join(w, 'victim.txt'), 'precious\n');
          fs.mkdirSync(path.join(w, 'folder'));
          execFileSync('mkfifo', [path.join(w, 'fifo')]);
          fs.symlinkSync(path.join(w, 'victim.txt'), path.join(w, 'link-victim'));
          fs.symlinkSync('/dev/zero', path.join(w, 'link-zero'));
          fs.symlinkSync(path.join(w, 'gone'), path.join(w, 'link-dangling'));
          fs.writeFileSync(path.join(w, 'ours.json'), realExport);
          fs.writeFileSync(path.join(w, 'ours.md'), `${TRANSCRIPT_MARKER}\n# an old run\n`);
          const { s, saves } = session(root);
          for (const { cmd, force, target } of steps) {
            const abs = path.isAbsolute(target) ? target : path.join(w, target);
            const kind = kindOf(abs);
            const before = snapshot(root, saves);
            const line = `${cmd}${force && cmd !== 'import' ? ' --force' : ''} ${abs}`;
            await say(s, line);
            const after = snapshot(root, saves);
            const mayChange =
              cmd !== 'import' &&
              (kind === 'missing' || (cmd === 'export' && kind === 'export') || (cmd === 'transcript' && kind === 'transcript') || (force && ['export', 'transcript', 'foreign'].includes(kind)));
            for (const [p, was] of before) {
              if (p === abs && mayChange) continue;
              expect({ line, p, now: after.get(p) ?? 'gone' }).toEqual({ line, p, now: was });
            }
            for (const p of after.keys()) if (!before.has(p)) expect({ line, created: p }).toEqual({ line, created: mayChange ? abs : '(nothing)' });
          }
          expect(fs.readFileSync(path.join(w, 'victim.txt'), 'utf8')).toBe('precious\n');
          expect(fs.lstatSync('/dev/null').isCharacterDevice()).toBe(true);
        }),
        options,
      );
    },
    testTimeout,
  );
});
