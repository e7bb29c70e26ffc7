import * as fs from 'node:fs';
import { InkRunner } from '../../../../engine/story/inkRunner';
import {
  CLUE_IDS,
  FIX_KINDS,
  HINT_LEVELS,
  KNOTS,
  SPEAKERS,
  STORY_COMMANDS,
  STORY_NAME,
  TAGS,
  TALK_KNOTS,
  VARIABLES,
  WRONG_FIX_KINDS,
  clueKnot,
  type ClueId,
  type FixKind,
  type WrongFixKind,
} from '../../../../engine/chapters/ch3/storyContract';
import * as contract from '../../../../engine/chapters/ch3/storyContract';
import {
  CH3_INK,
  DEFAULT_WORLD,
  assertClean,
  ch3,
  explore,
  fakeExternals,
  runKnot,
  runner,
  textOf,
  world,
  type FakeWorld,
} from './story.helpers';
import {
  expectBuildsWithTheOthers,
  expectContractSpeakers,
  expectGraduatedHints,
  expectHintPerTrailStep,
  expectNoInventedNumbers,
  expectNoSystemOutput,
  expectPureExternals,
  expectStoryCommands,
  knotsOf,
  recorder,
  storyContractTests,
} from '../storyChecks';

const source = fs.readFileSync(CH3_INK, 'utf8');

const knots = knotsOf(source);

const EARLY: ReadonlySet<ClueId> = new Set<ClueId>(['bson_error', 'backup_script']);
const MIDDLE: ReadonlySet<ClueId> = new Set<ClueId>(['bson_error', 'backup_script', 'journal_elsewhere', 'hexdump_oints', 'validate_errors']);
const WORLDS: Record<string, FakeWorld> = {
  fresh: world(),
  // before anyone has read a torn record: the error's parts are empty
  unseen: world({ badSize: '', firstElement: '' }),
  // the shape the incident gives when a record's page never reached the snapshot
  zeros: world({ found: EARLY, badSize: '0', firstElement: 'EOO' }),
  early: world({ found: EARLY }),
  middle: world({ found: MIDDLE }),
  late: world({ found: 'all', fixKind: 'lock_in_script' }),
  journal: world({ found: 'all', fixKind: 'journal_same_volume' }),
};

/** Every line any test produced, for the whole-story checks at the end. */
const { produced, record } = recorder<FakeWorld>(assertClean);

describe('ch3 story builds with the others', () => {
  test('scripts/compile-ink.js picks story/ch3.ink up by itself and compiles it with no error or warning', () => {
    expectBuildsWithTheOthers(CH3_INK, STORY_NAME);
  });
});

describe('ch3 story contract', () => {
  storyContractTests(contract, {
    source,
    json: ch3,
    runner: () => runner(),
    fakeExternals,
    defaultWorld: DEFAULT_WORLD,
    eventKnots: { eventFixApplied: 'event_fix_applied', eventWrongFix: 'event_wrong_fix', eventRegressed: 'event_regressed', eventStale: 'event_stale' },
    everyClueAsked: true,
    kinds: [...FIX_KINDS, ...WRONG_FIX_KINDS],
    missingBinding: 'first_element',
  });
});

describe('ch3 briefing', () => {
  test('opens the book at chapter three, delivers Nadia’s message, says who you are and how to play', () => {
    const out = runKnot(KNOTS.briefing);
    const lines = record('briefing', out.lines, DEFAULT_WORLD);
    const text = textOf(out);
    expect(text).toMatch(/Chapter Three/);
    expect(text).toMatch(/\boints\b/);
    const nadia = lines.filter((l) => l.speaker === SPEAKERS.restorer).map((l) => l.text).join('\n');
    // the error's parts come from the simulation, not from the story
    expect(nadia).toContain(DEFAULT_WORLD.badSize);
    expect(nadia).toContain(DEFAULT_WORLD.firstElement);
    expect(nadia).toContain(DEFAULT_WORLD.lastSnapshot);
    expect(nadia).toMatch(/fsync/);
    expect(nadia).toContain('`cat ~/nadia-driver-error.txt`');
    expect(text).toContain(DEFAULT_WORLD.hostname);
    expect(text).toMatch(/secondary/);
    for (const cmd of ['help', 'hint', 'talk', 'status', 'journal']) expect(text).toContain(`\`${cmd}\``);
    expect(out.choices).toEqual([]);
  });

  test('before any error was read, Nadia describes it and points at where it is, quoting nothing', () => {
    const out = runKnot(KNOTS.briefing, WORLDS.unseen);
    record('briefing (unseen)', out.lines, WORLDS.unseen);
    const text = textOf(out);
    expect(text).toMatch(/invalid object size/);
    expect(text).toContain('`cat ~/nadia-driver-error.txt`');
    expect(text).not.toMatch(/first element of/);
  });

  test('a different world gives a different page', () => {
    const page = (w: FakeWorld) => textOf(runKnot(KNOTS.briefing, w));
    const other = world({ badSize: '0', firstElement: 'EOO', hostname: 'db-9' });
    expect(page(other)).toContain('a first element of EOO');
    expect(page(other)).not.toContain(DEFAULT_WORLD.firstElement);
    expect(page(other)).toContain('db-9');
  });
});

describe('ch3 talk', () => {
  /** The choice texts written in the talk knots, e.g. "* {found("x")} [Text]". */
  const talkChoices = [...knots.entries()]
    .filter(([name]) => name.startsWith('talk'))
    .flatMap(([, body]) => [...body.matchAll(/^\s*[*+]+\s*(?:\(\w+\)\s*)?(?:\{[^}]*\}\s*)*\[([^\]]+)\]/gm)].map((m) => m[1]));

  test('every topic of every colleague is reachable, and every conversation ends back at the shell', () => {
    expect(talkChoices.length).toBeGreaterThanOrEqual(20);
    const taken = new Set<string>();
    for (const [name, w] of Object.entries(WORLDS)) {
      const ex = explore(KNOTS.talk, w);
      record(`talk (${name})`, ex.lines, w);
      ex.taken.forEach((t) => taken.add(t));
    }
    // choice texts are written with their ink; compare after the externals are filled in
    const fill = (c: string) => c.replace('{hostname()}', DEFAULT_WORLD.hostname);
    expect(talkChoices.map(fill).filter((c) => !taken.has(c))).toEqual([]);
  });

  test('both colleagues speak, each in their own lines', () => {
    const ex = explore(KNOTS.talk, WORLDS.late);
    const speakers = new Set(ex.lines.map((l) => l.speaker).filter(Boolean));
    expect(speakers).toEqual(new Set([SPEAKERS.restorer, SPEAKERS.scriptAuthor]));
  });

  test('topics unlock with clues, and the fix topic waits for a fix', () => {
    const offered = (w: FakeWorld, who: number): string[] => {
      const r = runner(w);
      r.run(KNOTS.talk);
      return r.choose(who).choices.map((c) => c.text);
    };
    const journalTopic = 'The journal lives on a different volume.';
    expect(offered(WORLDS.early, 0)).not.toContain(journalTopic);
    expect(offered(WORLDS.middle, 0)).toContain(journalTopic);
    const raceTopic = 'A snapshot right after fsync, during the import, came back torn.';
    expect(offered(WORLDS.middle, 1)).not.toContain(raceTopic);
    expect(offered(WORLDS.late, 1)).toContain(raceTopic);
    expect(offered(WORLDS.middle, 1).some((t) => t.startsWith('The fix is in'))).toBe(false);
    expect(offered(WORLDS.late, 1).some((t) => t.startsWith('The fix is in'))).toBe(true);
    // once-only: a topic taken is not offered again in the same conversation
    const r = runner(WORLDS.fresh);
    r.run(TALK_KNOTS.owen);
    const first = r.currentChoices()[0].text;
    expect(r.choose(0).choices.map((c) => c.text)).not.toContain(first);
  });

  test('Owen believes in his fsync, and learns', () => {
    const owen = (w: FakeWorld) =>
      explore(TALK_KNOTS.owen, w)
        .lines.filter((l) => l.speaker === SPEAKERS.scriptAuthor)
        .map((l) => l.text)
        .join(' ');
    const before = owen(WORLDS.fresh);
    expect(before).toMatch(/runs fsync before the snapshot/);
    expect(before).toMatch(/It's fine/);
    expect(before).toMatch(/The lock is just fsync, plus waiting/);
    expect(before).not.toMatch(/It was the lock all along/);
    const after = owen(WORLDS.late);
    expect(after).toMatch(/It was the lock all along/);
    expect(after).toMatch(/Does it unlock if the snapshot call fails/);
    expect(owen(WORLDS.journal)).toMatch(/recoverable/);
  });

  test('Nadia has the restore and the exception, and quotes the world’s numbers', () => {
    const nadia = (w: FakeWorld) =>
      explore(TALK_KNOTS.nadia, w)
        .lines.filter((l) => l.speaker === SPEAKERS.restorer)
        .map((l) => l.text)
        .join('\n');
    const said = nadia(WORLDS.late);
    expect(said).toContain(DEFAULT_WORLD.lastSnapshot);
    expect(said).toContain(DEFAULT_WORLD.dataVolume);
    expect(said).toContain('/restore');
    expect(said).toContain('`mongod --dbpath /restore/db --port 27018 --nojournal --fork --logpath /var/log/mongodb/restore.log`');
    expect(said).toContain(`${DEFAULT_WORLD.oplogHours} hours of writes`);
    expect(said).toContain(`${DEFAULT_WORLD.cleanNights} of ${DEFAULT_WORLD.nightsNeeded} so far`);
    expect(nadia(WORLDS.fresh)).toContain(`a size of ${DEFAULT_WORLD.badSize}`);
    expect(nadia(WORLDS.unseen)).toContain('`mongo --port 27018 events --eval');
    expect(nadia(world({ found: 'all', oplogHours: 1 }))).toContain('1 hour of writes');
  });
});

describe('ch3 hints', () => {
  const hint = (level: number, w: FakeWorld) => runKnot(KNOTS.hints, w, (r) => r.setVariable(VARIABLES.hintLevel, level));

  test('six graduated levels, each different, all narration', () => {
    expectGraduatedHints(contract, hint, record, WORLDS.fresh, (level) => `hint ${level}`);
  });

  test('every step of the trail has its own hint at levels 1 to 3', () => {
    // worlds that stop at each stage of hint_stage(), in order
    const trail: ClueId[][] = [
      [],
      ['bson_error'],
      ['bson_error', 'backup_script'],
      ['bson_error', 'backup_script', 'journal_elsewhere'],
      ['bson_error', 'backup_script', 'journal_elsewhere', 'validate_errors'],
      ['bson_error', 'backup_script', 'journal_elsewhere', 'validate_errors', 'writes_after_fsync'],
      [...CLUE_IDS],
    ];
    expectHintPerTrailStep(hint, record, (found) => world({ found }), trail);
  });

  test('either look at the torn copy (validate, or the talk\'s hexdump) moves the trail on', () => {
    const at = (clues: ClueId[]) => textOf(hint(1, world({ found: new Set<ClueId>(['bson_error', 'backup_script', 'journal_elsewhere', ...clues]) })));
    expect(at(['hexdump_oints'])).toEqual(at(['validate_errors']));
    expect(at(['hexdump_oints'])).not.toEqual(at([]));
  });

  test('the raw bytes hint greps for freed space\'s mark only when the size in the error is that mark', () => {
    const stage3 = new Set<ClueId>(['bson_error', 'backup_script', 'journal_elsewhere']);
    const grep = "`sudo hexdump -C /restore/db/events.0 | grep -A1 'ee ee ee ee'`";
    const oints = textOf(hint(2, world({ found: stage3, badSize: '-286331154', firstElement: 'oints: ?type=112' })));
    expect(oints).toContain(grep);
    expect(textOf(hint(2, world({ found: stage3, badSize: '-286331154', firstElement: 'EOO' })))).toContain(grep);
    const eoo = textOf(hint(2, world({ found: stage3, badSize: '0', firstElement: 'EOO' })));
    expect(eoo).toContain('`sudo hexdump -C /restore/db/events.0`');
    expect(eoo).not.toMatch(/grep/);
  });

  test('levels out of range read as the nearest level', () => {
    expect(hint(0, WORLDS.fresh)).toEqual(hint(1, WORLDS.fresh));
    expect(hint(HINT_LEVELS + 5, WORLDS.fresh)).toEqual(hint(HINT_LEVELS, WORLDS.fresh));
  });

  test('the first hint is a nudge, and the last gives the exact lines to type', () => {
    const first = textOf(hint(1, WORLDS.fresh));
    expect(first).toMatch(/symptom/);
    expect(first).not.toMatch(/lock|journal|race|fsync|snapshot/i);
    const last = textOf(hint(HINT_LEVELS, WORLDS.fresh));
    for (const s of [
      '`cat /usr/local/bin/ebs-backup.sh | tee /tmp/ebs-backup.sh.orig`',
      `\`sudo sed -i '/create-snapshot/i mongo --quiet --eval "printjson(db.fsyncLock())"' /usr/local/bin/ebs-backup.sh\``,
      `\`sudo sed -i '/create-snapshot/a mongo --quiet --eval "printjson(db.fsyncUnlock())"' /usr/local/bin/ebs-backup.sh\``,
      'fsync, lock, snapshot, unlock',
      'trap',
      '`sleep 1d`',
      '`status`',
      `${DEFAULT_WORLD.nightsNeeded} nightly backups`,
      '/data/db/journal',
      "one volume's I/O",
      '`sudo service mongod restart`',
    ]) {
      expect([s, last.includes(s)]).toEqual([s, true]);
    }
  });

  test('hints at levels 4 and 5 drop the pointers the player no longer needs', () => {
    expect(textOf(hint(4, WORLDS.fresh))).toContain(`--volume-id ${DEFAULT_WORLD.dataVolume}`);
    expect(textOf(hint(4, WORLDS.late))).not.toMatch(/create-snapshot/);
    expect(textOf(hint(5, WORLDS.fresh))).toMatch(/`fsyncLock`.*`fsyncUnlock`/);
    expect(textOf(hint(5, WORLDS.late))).not.toMatch(/`fsyncLock`/);
    // the lock's budget is the world's oplog window
    expect(textOf(hint(5, WORLDS.fresh))).toContain(`${DEFAULT_WORLD.oplogHours} hours behind`);
  });
});

describe('ch3 clue reactions', () => {
  test.each([...CLUE_IDS])('clue_%s reacts in a few lines', (id) => {
    for (const [name, w] of Object.entries(WORLDS)) {
      const out = runKnot(clueKnot(id), w);
      record(`clue ${id} (${name})`, out.lines, w);
      expect(out.choices).toEqual([]);
      expect(out.lines.length).toBeLessThanOrEqual(4);
    }
  });

  test('the error quoted is the one the simulation read, or none', () => {
    const seen = textOf(runKnot(clueKnot('bson_error')));
    expect(seen).toContain(`${DEFAULT_WORLD.badSize} bytes long`);
    expect(seen).toContain(DEFAULT_WORLD.firstElement);
    const unseen = textOf(runKnot(clueKnot('bson_error'), WORLDS.unseen));
    expect(unseen).toMatch(/header makes no sense/);
    expect(unseen).toMatch(/wrong place on the disk/);
    expect(seen).toMatch(/negative number of bytes/);
    // a size read from the middle of a string is positive; the story does not call it negative
    const positive = textOf(runKnot(clueKnot('bson_error'), world({ badSize: '779314537', firstElement: 'ms: ?type=99' })));
    expect(positive).toContain('779314537 bytes long');
    expect(positive).toMatch(/anything like that size/);
    expect(positive).not.toMatch(/negative/i);
    // the shape the simulation gives when a record's page never reached the snapshot: zeros
    const zeros = textOf(runKnot(clueKnot('bson_error'), world({ badSize: '0', firstElement: 'EOO' })));
    expect(zeros).toContain('0 bytes long');
    expect(zeros).toContain('first element, it says, is EOO');
    expect(zeros).toMatch(/Zeros, where a document should begin/);
    expect(zeros).not.toMatch(/negative/i);
  });

  test('Nadia calls a size negative only when it is', () => {
    const says = (w: FakeWorld) => {
      const r = runner(w);
      r.run(TALK_KNOTS.nadia);
      const at = r.currentChoices().findIndex((c) => c.text === 'What does the error say?');
      return textOf(r.choose(at));
    };
    expect(says(WORLDS.fresh)).toMatch(/Negative\./);
    expect(says(world({ badSize: '0', firstElement: 'EOO' }))).not.toMatch(/Negative/);
  });

  test('the hexdump reaction teaches the arithmetic of the talk’s error', () => {
    const text = textOf(runKnot(clueKnot('hexdump_oints')));
    for (const s of ['0xEEEEEEEE', '-286331154', 'little-endian', '0x70', '112', 'p, o, i, n, t, s', '"oints"', 'four bytes before the field name "points"']) {
      expect([s, text.includes(s)]).toEqual([s, true]);
    }
  });

  test('the lag reaction reads the lag and the oplog window', () => {
    const text = textOf(runKnot(clueKnot('lag_seen')));
    expect(text).toContain(`${DEFAULT_WORLD.lagSeconds} seconds behind`);
    expect(text).toContain(`${DEFAULT_WORLD.oplogHours} hours of history`);
    expect(textOf(runKnot(clueKnot('lag_seen'), world({ lagSeconds: 0 })))).toMatch(/keeping up/);
    expect(textOf(runKnot(clueKnot('lag_seen'), world({ lagSeconds: 1 })))).toContain('1 second behind');
  });

  test('each reaction teaches its own piece of the mechanism', () => {
    const text = (id: ClueId) => textOf(runKnot(clueKnot(id)));
    expect(text('writes_after_fsync')).toMatch(/fsync is a moment, not a state/);
    expect(text('journal_elsewhere')).toMatch(/leaves that repair kit behind/);
    expect(text('validate_errors')).toMatch(/One insert is several writes/);
    expect(text('race_reproduced')).toMatch(/may come back clean/);
    expect(text('backup_script')).toMatch(/Nothing in between holds the writes back/);
  });
});

describe('ch3 events', () => {
  test.each([...FIX_KINDS])('event_fix_applied with fix_kind() = %s', (kind) => {
    const w = world({ found: 'all', fixKind: kind });
    const out = runKnot(KNOTS.eventFixApplied, w);
    record(`event_fix_applied ${kind}`, out.lines, w);
    expect(out.choices).toEqual([]);
    // every fix ends on what is left to prove: the nightly backups and replication, from the world
    const last = out.lines[out.lines.length - 1].text;
    expect(last).toContain(`${w.nightsNeeded} nightly backups`);
    expect(last).toContain(`(${w.cleanNights} so far)`);
    expect(last).toMatch(/replication/);
  });

  test('event_fix_applied says something different for each fix', () => {
    const first = FIX_KINDS.map((k) => runKnot(KNOTS.eventFixApplied, world({ fixKind: k })).lines[0].text);
    expect(new Set(first).size).toBe(FIX_KINDS.length);
    expect(first[FIX_KINDS.indexOf('lock_in_script')]).toMatch(/locks writes before it asks for the snapshot, and lets them go/);
    expect(first[FIX_KINDS.indexOf('journal_same_volume')]).toMatch(/replays the journal/);
    expect(textOf(runKnot(KNOTS.eventFixApplied, world({ nightsNeeded: 1, cleanNights: 0 })))).toContain('1 nightly backup under');
  });

  test.each([...WRONG_FIX_KINDS])('event_wrong_fix with wrong_fix_kind() = %s', (kind) => {
    const w = world({ found: 'all', wrongFixKind: kind });
    const out = runKnot(KNOTS.eventWrongFix, w);
    record(`event_wrong_fix ${kind}`, out.lines, w);
    expect(out.choices).toEqual([]);
  });

  test('event_wrong_fix explains what each experiment shows, in its own terms', () => {
    const text = (k: WrongFixKind) => textOf(runKnot(KNOTS.eventWrongFix, world({ wrongFixKind: k })));
    expect(text('sync_before')).toMatch(/window between the flush and the snapshot is still there/);
    expect(text('lock_once')).toMatch(/Tomorrow at three the script runs as it always did/);
    expect(text('lock_forgotten')).toContain(`${DEFAULT_WORLD.lagSeconds} seconds behind`);
    expect(text('lock_forgotten')).toContain(`${DEFAULT_WORLD.oplogHours} hours`);
    expect(text('lock_forgotten')).toContain('`fsyncUnlock`');
    expect(text('went_stale')).toMatch(/copy everything from the primary again/);
    expect(text('repair')).toMatch(/tomorrow's snapshot will be taken exactly the same way/);
    expect(text('restart_mongod')).toMatch(/does not move that moment/);
    expect(new Set(WRONG_FIX_KINDS.map(text)).size).toBe(WRONG_FIX_KINDS.length);
  });

  test.each([...FIX_KINDS])('event_regressed with fix_kind() = %s', (kind) => {
    const w = world({ found: 'all', fixKind: kind });
    const out = runKnot(KNOTS.eventRegressed, w);
    record(`event_regressed ${kind}`, out.lines, w);
    expect(out.lines[0].text).toMatch(/did not restore clean, or it was taken with writes running and no journal/);
  });

  test('event_regressed explains the likely cause for each fix', () => {
    const cause = (k: FixKind) => runKnot(KNOTS.eventRegressed, world({ fixKind: k })).lines[1].text;
    expect(cause('lock_in_script')).toMatch(/lock that comes after the snapshot/);
    expect(cause('journal_same_volume')).toMatch(/`ls -l \/data\/db`/);
    expect(new Set(FIX_KINDS.map(cause)).size).toBe(FIX_KINDS.length);
  });

  test('event_stale reads the oplog window and says what it costs', () => {
    const w = world({ found: 'all', wrongFixKind: 'went_stale' });
    const out = runKnot(KNOTS.eventStale, w);
    record('event_stale', out.lines, w);
    const text = textOf(out);
    expect(text).toContain(`${w.oplogHours} hours`);
    expect(text).toMatch(/too stale/);
    expect(text).toMatch(/copied again from the primary/);
    expect(out.lines.some((l) => l.speaker === SPEAKERS.restorer)).toBe(true);
  });
});

describe('ch3 debrief', () => {
  const debrief = (w: FakeWorld) => runKnot(KNOTS.debrief, w);

  test.each([...FIX_KINDS])('debrief for fix_kind() = %s', (kind) => {
    const w = world({ found: 'all', fixKind: kind });
    const out = debrief(w);
    record(`debrief ${kind}`, out.lines, w);
    expect(out.choices).toEqual([]);
    const text = textOf(out);
    // the player's numbers, from the externals
    for (const n of [w.hintsUsed, w.spellsCast, w.minutesToSolve, w.cleanNights, w.lagSeconds]) {
      expect(text).toMatch(new RegExp(`\\b${n}\\b`));
    }
    expect(text).toContain(w.dataVolume);
    expect(text).toContain(`The size it read was ${w.badSize}, and the first element ${w.firstElement}.`);
    // the mechanism and the reading
    for (const s of [
      'page cache', 'dirty', 'fsync(2)', 'crash-consistent', 'application-consistent', 'journal', 'MMAPv1',
      'sixty seconds', 'Backup and Restore with Filesystem Snapshots', 'db.fsyncLock()', 'EBS documentation',
      'sync(2)', 'Operating Systems: Three Easy Pieces',
    ]) {
      expect([s, text.includes(s)]).toEqual([s, true]);
    }
    const headings = out.lines.filter((l) => l.tags.includes(TAGS.heading)).map((l) => l.text);
    expect(headings).toEqual([
      'What happened.',
      'The fix you chose.',
      'Why the book calls it oints.',
      'The mechanism, in plain words.',
      'What to read next.',
      'Your numbers.',
    ]);
    // the title's incident, decoded as history: its numbers are arithmetic and ASCII, not this box's
    for (const s of ['0xee', '-286331154', '0x70', '112', 'the letter p', 'four bytes before the field name "points"']) {
      expect([s, text.includes(s)]).toEqual([s, true]);
    }
  });

  test('the verdict on the fix differs by fix_kind(), and says what it costs', () => {
    const verdict = (k: FixKind) => {
      const lines = debrief(world({ fixKind: k })).lines;
      const at = lines.findIndex((l) => l.text === 'The fix you chose.');
      return lines[at + 1].text;
    };
    expect(verdict('lock_in_script')).toMatch(/Its cost is lag/);
    expect(verdict('lock_in_script')).toContain(`${DEFAULT_WORLD.oplogHours} hours`);
    expect(verdict('lock_in_script')).toMatch(/trap/);
    expect(verdict('journal_same_volume')).toMatch(/share one volume's I\/O/);
    expect(verdict('journal_same_volume')).toMatch(/crash-consistent/);
    expect(new Set(FIX_KINDS.map(verdict)).size).toBe(FIX_KINDS.length);
  });

  test('the story does not quote an error it never read', () => {
    const text = textOf(debrief(world({ fixKind: 'lock_in_script', badSize: '', firstElement: '' })));
    expect(text).not.toMatch(/The size it read was/);
    expect(text).toMatch(/four of them as a size/);
  });

  test('the time to solve reads as minutes, hours or days, from the whole minutes the engine gives', () => {
    const took = (m: number) => /You closed it in (.*) of the machine's time,/.exec(textOf(debrief(world({ minutesToSolve: m }))))![1];
    expect(took(53)).toBe('53 minutes');
    expect(took(119)).toBe('119 minutes');
    expect(took(180)).toBe('3 hours');
    expect(took(185)).toBe('3 hours and 5 minutes');
    expect(took(121)).toBe('2 hours and 1 minute');
    expect(took(2879)).toBe('47 hours and 59 minutes');
    expect(took(4323)).toBe('3 days');
    expect(took(4443)).toBe('3 days and 2 hours');
    expect(took(2940)).toBe('2 days and 1 hour');
  });

  test('singular and plural agree with the numbers', () => {
    const text = textOf(debrief(world({ minutesToSolve: 1, spellsCast: 1, hintsUsed: 1, cleanNights: 1, lagSeconds: 1 })));
    expect(text).toMatch(/in 1 minute of/);
    expect(text).toMatch(/1 spell cast/);
    expect(text).toMatch(/1 hint asked/);
    expect(text).toMatch(/Since the fix, 1 nightly backup restored/);
    expect(text).toMatch(/1 second behind/);
    expect(textOf(debrief(world({ hintsUsed: 0 })))).toMatch(/never asked the book/);
    expect(textOf(debrief(world({ hintsUsed: HINT_LEVELS })))).toMatch(/everything it had/);
  });
});

describe('ch3 externals are pure reads', () => {
  const EVENTS = [KNOTS.eventFixApplied, KNOTS.eventWrongFix, KNOTS.eventRegressed, KNOTS.eventStale];

  test('frozen, side-effect-free externals drive every knot, deterministically', () => {
    const w = world({ found: MIDDLE, fixKind: 'journal_same_volume', wrongFixKind: 'lock_forgotten' });
    expectPureExternals(contract, ch3(), fakeExternals, w, EVENTS);
  });

  test('the story keeps no copy of the world: changing the world changes the words', () => {
    const r = runner(world({ lagSeconds: 41 }));
    const before = r.run(clueKnot('lag_seen')).lines[0].text;
    const after = new InkRunner(ch3(), fakeExternals(world({ lagSeconds: 43 })), r.saveState()).run(clueKnot('lag_seen')).lines[0].text;
    expect(before).toContain('41 seconds');
    expect(after).toContain('43 seconds');
  });
});

describe('ch3 whole-story checks (over every line the tests above produced)', () => {
  test('the tests produced lines from every kind of knot', () => {
    expect(produced.length).toBeGreaterThan(60);
  });

  test('every speaker is a contract speaker', () => {
    expectContractSpeakers(contract, produced);
  });

  test('no invented numbers: every digit comes from an external or is a documented fact', () => {
    // Facts about the real world the story may state (/work/shared/reference/ch3-oints.md): the
    // talk's error decoded (ASCII and two's complement), names with digits in them, man sections.
    const FACTS = ['EC2', '0xEEEEEEEE', '-286331154', '0xee', '0x70', '112', 'int32', 'MMAPv1', 'fsync(2)', 'sync(2)'];
    const fromWorld = (w: FakeWorld) =>
      [
        w.hostname, w.badSize, w.firstElement, w.dataVolume, w.lastSnapshot,
        ...[w.hintsUsed, w.spellsCast, w.lagSeconds, w.oplogHours, w.cleanNights, w.nightsNeeded, w.minutesToSolve].map(String),
        // the time to solve, as days, hours and minutes of the same whole minutes
        ...[Math.floor(w.minutesToSolve / 1440), Math.floor((w.minutesToSolve % 1440) / 60), Math.floor(w.minutesToSolve / 60), w.minutesToSolve % 60].map(String),
      ].filter((s) => s !== '');
    // commands in backticks are the player's syntax (ports, paths); the command test checks them
    expectNoInventedNumbers(produced, FACTS, fromWorld, { skipCommands: true });
  });

  test('no made-up system output: no error text, prompts, hexdump rows, log lines or CLI replies', () => {
    // the error string itself only ever comes from bad_size() and first_element()
    for (const s of ['BSONObj', '?type=', '10334', '16793600', 'RS102', 'SnapshotId', 'now locked against writes']) {
      expect([s, source.includes(s)]).toEqual([s, false]);
    }
    expectNoSystemOutput(produced, /^\s*(\$|#|\[\s*\d)|^[0-9a-f]{8}  |\[(conn|rsSync|initandlisten)\d*\]|"(State|VolumeId|ok)"\s*:|^\s*\{/);
  });

  test('braces reach the player only inside a command, as mongo JavaScript', () => {
    for (const { label, lines } of produced) {
      for (const l of lines) {
        for (const m of l.text.matchAll(/`([^`]*)`/g)) {
          const rest = m[1].replace(/\(\{fsync: 1\}\)/g, '');
          if (/[{}]/.test(rest)) throw new Error(`${label}: unresolved ink in a command: ${JSON.stringify(l.text)}`);
        }
      }
    }
  });

  test('every command the story suggests is in STORY_COMMANDS, and every STORY_COMMAND is suggested', () => {
    expectStoryCommands(contract, source, { minSpans: 25, everyCommandSuggested: true });
  });
});
