/**
 * The shape of a game state, checked before a saved game is restored. A save's checksum proves it
 * was not changed by accident, not that whoever recomputed it wrote a state this engine can run:
 * `"shell": 5` with a fresh checksum used to load and then end the run with a raw JavaScript error.
 *
 * Cheap on purpose (it runs on every load): the game-level fields are checked strictly (no
 * unknown keys, every field of the right type), the chapter's world only at its top level (every
 * chapter's world extends the machine's, engine/machine/world.ts MachineWorld). What is inside
 * the process table, the logs or the files is not walked.
 */
import { z } from 'zod';
import type { SavedGame } from './api';

const count = z.int().nonnegative();
/** an object, not looked into */
const record = z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), {
  message: 'expected an object',
});
const uint32 = z.int().min(0).max(0xffffffff);

/** engine/shell/state.ts ShellState */
const shellSchema = z.strictObject({
  cwd: z.string().startsWith('/'),
  oldpwd: z.string().nullable(),
  vars: z.record(z.string(), z.string()),
  exported: z.array(z.string()),
  lastStatus: z.int(),
  pid: count,
});

/** engine/chapter.ts ChapterProgress */
const progressSchema = z.strictObject({
  clues: z.array(z.string()),
  notes: z.record(z.string(), z.json()),
  hintsUsed: count,
  spellsCast: count,
  openedAt: z.number(),
  solvedAt: z.number().nullable(),
});

/** a persisted xstate snapshot (flow.ts, objectives.ts); null before the first event */
const chartSchema = z
  .looseObject({
    status: z.enum(['active', 'done', 'error', 'stopped']),
    value: z.union([z.string(), record]),
    context: record.optional(),
    children: record.optional(),
    historyValue: record.optional(),
  })
  .nullable();

/** engine/machine/wtmp.ts WtmpLog: a month of boots and logins, a few records a day */
const wtmpSchema = z.strictObject({
  since: z.number(),
  records: z.array(
    z.discriminatedUnion('type', [
      z.strictObject({ type: z.literal('boot'), t: z.number(), release: z.string() }),
      z.strictObject({ type: z.literal('runlevel'), t: z.number(), level: z.string().length(1), release: z.string() }),
      z.strictObject({ type: z.literal('shutdown'), t: z.number(), release: z.string() }),
      z.strictObject({ type: z.literal('login'), t: z.number(), user: z.string(), line: z.string(), host: z.string(), pid: count }),
      z.strictObject({ type: z.literal('logout'), t: z.number(), line: z.string(), pid: count }),
    ]),
  ),
});

/** engine/machine/world.ts MachineStats; a chapter's stats add their own keys, which pass unchecked */
const statsSchema = z.looseObject({
  reboots: z.array(z.number()),
  panics: z.array(z.number()),
  sessionLost: z.array(z.number()),
  /** absent in saves from before wtmp was kept */
  wtmp: wtmpSchema.optional(),
  /** engine/machine/world.ts AuthRecord: auth.log's messages (absent in saves from before they were kept) */
  authlog: z.array(z.strictObject({ t: z.number(), tag: z.string().min(1), pid: count, e: z.looseObject({ kind: z.enum(['accepted', 'session', 'logind', 'sudo']) }) })).optional(),
});

/**
 * engine/kernel/logpack.ts: a save keeps the log store's big lists by column, and `packed` names
 * the layout and the fields so kept (absent when a chapter saves its world as it is)
 */
const logsSchema = z.looseObject({
  packed: z
    .strictObject({
      v: z.literal(1),
      fields: z.array(z.enum(['reports', 'rows', 'runs', 'syslog', 'syslog1', 'compact', 'compact1'])),
      /** the chapter's triggers the bulk runs' and the compact records' times are kept against, and from when */
      triggers: z.strictObject({ model: z.string().min(1), from: z.number() }).optional(),
    })
    .optional(),
});

/**
 * The top level of engine/machine/world.ts MachineWorld, which every chapter's world extends
 * (a chapter adds its own keys; those pass unchecked). test/engine/stateSchema.test.ts keeps
 * this list and the interface in step.
 */
export const WORLD_TOP_LEVEL = {
  scenario: z.string().min(1),
  now: z.number(),
  p: record,
  k: record,
  logs: logsSchema,
  cron: record,
  pkgs: record,
  machine: record,
  files: record,
  stats: statsSchema,
  load: record,
  hardware: z.string(),
  rsyslogPid: count,
  sessionPid: count,
  sessionNo: count,
  logoutExpected: z.boolean().optional(),
} as const;

const worldSchema = z.looseObject(WORLD_TOP_LEVEL);

/** engine/game.ts GameState */
const gameStateSchema = z.strictObject({
  chapter: z.string().min(1),
  seed: z.number(),
  streams: z.record(z.string(), z.tuple([uint32, uint32, uint32, uint32])),
  world: worldSchema,
  shell: shellSchema,
  flow: chartSchema,
  objectives: chartSchema,
  story: z.string().nullable(),
  progress: progressSchema,
  hintLevel: count,
  journal: z.array(z.strictObject({ id: z.string(), text: z.string(), at: z.number() })),
  learned: z.array(z.string()),
  history: z.array(z.string()),
  conversation: z.boolean(),
  started: z.boolean(),
});

function describe(issues: z.ZodError['issues']): string {
  const shown = issues.slice(0, 3).map((i) => {
    const where = ['state', ...i.path.map(String)].join('.');
    return `${where}: ${i.message.replace(/^Invalid input: /, '')}`;
  });
  if (issues.length > 3) shown.push(`and ${issues.length - 3} more`);
  return shown.join('; ');
}

/**
 * Throws a RangeError saying what is wrong when `saved.state` is not a game state this engine can
 * restore (or does not belong to `saved`'s chapter and seed). Returns nothing: the state itself is
 * used as it is, this only looks at it.
 */
export function validateSavedGame(saved: Pick<SavedGame, 'chapter' | 'seed' | 'state'>): void {
  const r = gameStateSchema.safeParse(saved.state);
  if (!r.success) throw new RangeError(`the saved game's state is not one this grimoire can restore (${describe(r.error.issues)})`);
  if (r.data.chapter !== saved.chapter) {
    throw new RangeError(`the saved game's state is for chapter ${JSON.stringify(r.data.chapter)}, but the save says chapter ${JSON.stringify(saved.chapter)}`);
  }
  if (r.data.seed !== saved.seed) {
    throw new RangeError(`the saved game's state has seed ${r.data.seed}, but the save says seed ${saved.seed}`);
  }
}
