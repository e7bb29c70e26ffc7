/**
 * The exercise file a facilitator writes (`grimoire exercise init`, then edits): which chapters,
 * a time box, how hints work, one seed for everyone or one per participant, and who takes part.
 * YAML or JSON by the file's extension, checked against a zod schema; every problem is told with
 * the field it is in.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { findChapter, listChapters } from '../../engine/index';
import { fsyncDir } from '../saves/durable';
import { describeFsError, PlainFileError } from '../saves/fsErrors';
import { readFileLimited } from '../saves/readLimited';
import { parseTimeBox } from './timeBox';

export const EXERCISE_FORMAT = 'grimoire-exercise';
export const EXERCISE_VERSION = 1;
/** an exercise file is a page of settings: anything bigger is not one */
const MAX_BYTES = 256 * 1024;

export const HINT_MODES = ['allowed', 'off', 'facilitator'] as const;
export type HintMode = (typeof HINT_MODES)[number];

const participantName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'a participant\'s name is 1 to 40 letters, digits, ".", "_" or "-", starting with a letter or digit');
const seed = z.int('a seed is a whole number from 0 to 4294967295').min(0, 'a seed is a whole number from 0 to 4294967295').max(0xffffffff, 'a seed is a whole number from 0 to 4294967295');

const exerciseSchema = z
  .strictObject({
    format: z.literal(EXERCISE_FORMAT, `this is not a grimoire exercise file (format must be '${EXERCISE_FORMAT}')`),
    version: z.literal(EXERCISE_VERSION, `this grimoire reads exercise files of version ${EXERCISE_VERSION}`),
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$/, 'a name is 1 to 60 letters, digits, ".", "_" or "-" (it names the run folders)'),
    // checked field by field, so that one broken field does not hide the others' problems
    chapters: z
      .array(
        z.union([z.int(), z.string()], 'a chapter is its number, as `grimoire chapters` lists it').refine((c) => findChapter(String(c)) !== undefined, {
          error: (i) => `there is no chapter '${String(i.input)}' (chapters: ${listChapters().map((ch) => ch.number).join(', ')})`,
        }),
      )
      .min(1, 'name at least one chapter'),
    timeBox: z.string('a time box is written like 45m, 1h30m or 90s').superRefine((v, ctx) => {
      const box = parseTimeBox(v);
      if (!box.ok) ctx.addIssue({ code: 'custom', message: box.message });
    }),
    hints: z.enum(HINT_MODES, `hints are one of: ${HINT_MODES.join(', ')}`),
    seed: seed.optional(),
    seeds: z.record(participantName, seed).optional(),
    participants: z
      .array(participantName)
      .default([])
      .superRefine((list, ctx) => {
        list.forEach((p, i) => {
          if (list.indexOf(p) !== i) ctx.addIssue({ code: 'custom', path: [i], message: `'${p}' is listed twice` });
        });
      }),
  })
  .superRefine((v, ctx) => {
    const seen = new Set(v.participants);
    if (v.seed !== undefined && v.seeds !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['seeds'], message: 'give either seed (one world for everyone) or seeds (one per participant), not both' });
    } else if (v.seed === undefined && v.seeds === undefined) {
      ctx.addIssue({ code: 'custom', path: ['seed'], message: 'give seed (one world for everyone) or seeds (one per participant)' });
    } else if (v.seeds !== undefined) {
      if (v.participants.length === 0) ctx.addIssue({ code: 'custom', path: ['participants'], message: 'seeds are per participant: list the participants' });
      for (const p of v.participants) if (!(p in v.seeds)) ctx.addIssue({ code: 'custom', path: ['seeds'], message: `no seed for participant '${p}'` });
      for (const p of Object.keys(v.seeds)) if (!seen.has(p)) ctx.addIssue({ code: 'custom', path: ['seeds', p], message: `'${p}' is not one of the participants` });
    }
  });

export interface Exercise {
  name: string;
  /** chapter ids, as the engine names them */
  chapters: string[];
  timeBox: string;
  timeBoxMs: number;
  hints: HintMode;
  seed?: number;
  seeds?: Record<string, number>;
  participants: string[];
}

export type ExerciseRead = { ok: true; exercise: Exercise } | { ok: false; message: string };

type Syntax = 'yaml' | 'json';

function syntaxOf(file: string): Syntax | null {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  if (ext === '.json') return 'json';
  return null;
}

const NEEDS_EXTENSION = 'an exercise file is YAML (.yaml, .yml) or JSON (.json), by its name';

/** `chapters[1]`, `seeds.alice`, `timeBox` */
function fieldName(p: readonly PropertyKey[]): string {
  let out = '';
  for (const k of p) out += typeof k === 'number' ? `[${k}]` : out === '' ? String(k) : `.${String(k)}`;
  return out;
}

/** The exercise in `text`, checked; `display` names the file in messages. */
export function parseExercise(text: string, syntax: Syntax, display: string): ExerciseRead {
  let raw: unknown;
  try {
    raw = syntax === 'json' ? JSON.parse(text) : (require('yaml') as typeof import('yaml')).parse(text);
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    return { ok: false, message: `${display} is not valid ${syntax === 'json' ? 'JSON' : 'YAML'}: ${why}` };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, message: `${display} is not a grimoire exercise file: it should be a map of settings (format, name, chapters, timeBox, hints, seed, participants)` };
  }
  const r = exerciseSchema.safeParse(raw);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.length > 0 ? fieldName(i.path) : '(the file)'}: ${i.message}`);
    return { ok: false, message: `${display} is not a usable exercise file:\n${lines.join('\n')}` };
  }
  const v = r.data;
  return {
    ok: true,
    exercise: {
      name: v.name,
      chapters: v.chapters.map((c) => findChapter(String(c))!.id),
      timeBox: v.timeBox,
      timeBoxMs: (parseTimeBox(v.timeBox) as { ms: number }).ms,
      hints: v.hints,
      ...(v.seed !== undefined ? { seed: v.seed } : {}),
      ...(v.seeds !== undefined ? { seeds: v.seeds } : {}),
      participants: v.participants,
    },
  };
}

/** Reads and checks an exercise file: only a plain file, at most 256 KiB, never a FIFO or a device. */
export async function readExerciseFile(file: string): Promise<ExerciseRead> {
  const syntax = syntaxOf(file);
  if (!syntax) return { ok: false, message: `cannot use ${file}: ${NEEDS_EXTENSION}` };
  let bytes: Buffer | null;
  try {
    bytes = await readFileLimited(file, MAX_BYTES, { followLinks: true });
  } catch (e) {
    const why = e instanceof PlainFileError && e.code === 'EFBIG' ? 'it is larger than any exercise file (256 KiB at most)' : describeFsError(e);
    return { ok: false, message: `cannot read exercise file ${file}: ${why}` };
  }
  if (bytes === null) return { ok: false, message: `cannot read exercise file ${file}: no such file (grimoire exercise init ${file} writes one)` };
  return parseExercise(bytes.toString('utf8'), syntax, file);
}

/** The seed a participant's run uses. */
export function seedFor(ex: Exercise, participant: string | null): number {
  if (ex.seed !== undefined) return ex.seed;
  return ex.seeds![participant!]!;
}

/** What `init` writes: a working exercise with every setting explained. */
export function exerciseTemplate(syntax: Syntax, seed: number): string {
  const first = listChapters()[0]!;
  if (syntax === 'json') {
    const doc = {
      format: EXERCISE_FORMAT,
      version: EXERCISE_VERSION,
      name: 'onboarding',
      chapters: [first.number],
      timeBox: '45m',
      hints: 'facilitator',
      seed,
      participants: ['alice', 'bob'],
    };
    return JSON.stringify(doc, null, 2) + '\n';
  }
  return `# A grimoire exercise: one incident, a volunteer at the keyboard, a facilitator, a clock.
#   run it:        grimoire exercise run FILE --participant NAME
#   facilitate it: grimoire exercise watch RUN-FOLDER   (from a second terminal)
format: ${EXERCISE_FORMAT}
version: ${EXERCISE_VERSION}
# names the run folders: letters, digits, ".", "_", "-"
name: onboarding
# chapter numbers (grimoire chapters lists them); a run plays one: --chapter N, the first by default
chapters: [${first.number}]
# how long a run may take on the wall clock, as 45m, 1h30m or 90s
timeBox: 45m
# allowed: the player types hint; off: no hints; facilitator: locked until the facilitator reveals one
hints: facilitator
# one world for everyone ...
seed: ${seed}
# ... or one world per participant, instead of seed:
# seeds: { alice: 7, bob: 8 }
participants: [alice, bob]
`;
}

export type InitResult = { ok: true; file: string } | { ok: false; message: string };

/**
 * Writes a new exercise file; an existing name (a file, a folder, a link, anything) is never
 * replaced. O_EXCL makes that hold even if something appears between the check and the write.
 */
export function writeNewExerciseFile(file: string, seed: number): InitResult {
  const syntax = syntaxOf(file);
  if (!syntax) return { ok: false, message: `cannot write ${file}: ${NEEDS_EXTENSION}` };
  const exists = fs.lstatSync(file, { throwIfNoEntry: false });
  if (exists) return { ok: false, message: `${file} already exists; exercise init never replaces a file. Name a new one.` };
  const text = exerciseTemplate(syntax, seed);
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o644);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return { ok: false, message: `${file} already exists; exercise init never replaces a file. Name a new one.` };
    return { ok: false, message: `cannot write ${file}: ${describeFsError(e)}` };
  }
  try {
    const bytes = Buffer.from(text, 'utf8');
    let off = 0;
    while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off);
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    // the file is ours and new: a half-written one is removed, nothing else was there
    fs.rmSync(file, { force: true });
    return { ok: false, message: `cannot write ${file}: ${describeFsError(e)}` };
  }
  fs.closeSync(fd);
  void fsyncDir(path.dirname(path.resolve(file))).catch(() => undefined);
  return { ok: true, file };
}
