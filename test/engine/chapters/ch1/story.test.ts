import * as fs from 'node:fs';
import { InkRunner } from '../../../../engine/story/inkRunner';
import {
  CLUE_IDS,
  FIX_KINDS,
  HINT_LEVELS,
  KNOTS,
  SPEAKERS,
  STORY_COMMANDS,
  TAGS,
  TALK_KNOTS,
  VARIABLES,
  WRONG_FIX_KINDS,
  clueKnot,
  type ClueId,
  type FixKind,
} from '../../../../engine/chapters/ch1/storyContract';
import * as contract from '../../../../engine/chapters/ch1/storyContract';
import {
  CH1_INK,
  DEFAULT_WORLD,
  assertClean,
  ch1,
  explore,
  fakeExternals,
  runKnot,
  runner,
  talkThrough,
  world,
  type FakeWorld,
} from './story.helpers';
import {
  expectContractSpeakers,
  expectGraduatedHints,
  expectNoInventedNumbers,
  expectNoSystemOutput,
  expectPureExternals,
  expectStoryCommands,
  knotsOf,
  recorder,
  storyContractTests,
} from '../storyChecks';

const source = fs.readFileSync(CH1_INK, 'utf8');

const knots = knotsOf(source);

const SOME_CLUES: ReadonlySet<ClueId> = new Set<ClueId>(['dns_failing', 'oom_in_logs']);
const MID_CLUES: ReadonlySet<ClueId> = new Set<ClueId>([
  'dns_failing',
  'oom_in_logs',
  'memory_used_not_by_processes',
  'slab_huge',
  'anon_vma_top',
]);
const WORLDS: Record<string, FakeWorld> = {
  fresh: world(),
  early: world({ found: SOME_CLUES }),
  middle: world({ found: MID_CLUES }),
  late: world({ found: 'all', fixKind: 'kernel' }),
};

/** Every line any test produced, for the whole-story checks at the end. */
const { produced, record } = recorder<FakeWorld>(assertClean);

describe('ch1 story contract', () => {
  storyContractTests(contract, {
    source,
    json: ch1,
    runner: () => runner(),
    fakeExternals,
    defaultWorld: DEFAULT_WORLD,
    eventKnots: {},
    everyClueAsked: false,
    missingBinding: 'hostname',
  });
});

describe('ch1 briefing', () => {
  test('opens the book, delivers the page, says who you are and how to play', () => {
    const lines = record('briefing', runKnot(KNOTS.briefing).lines, DEFAULT_WORLD);
    const text = lines.map((l) => l.text).join('\n');
    expect(lines.find((l) => l.speaker === SPEAKERS.pager)?.text).toMatch(/DNS lookups failing intermittently/);
    expect(text).toContain(DEFAULT_WORLD.hostname);
    for (const cmd of ['help', 'hint', 'talk', 'status', 'journal']) expect(text).toContain(`\`${cmd}\``);
    expect(runKnot(KNOTS.briefing).choices).toEqual([]);
  });
});

describe('ch1 talk', () => {
  /** The choice texts written in the talk knots, e.g. "* {found("x")} [Text]". */
  const talkChoices = [...knots.entries()]
    .filter(([name]) => name.startsWith('talk'))
    .flatMap(([, body]) => [...body.matchAll(/^\s*[*+]+\s*(?:\{[^}]*\}\s*)*\[([^\]]+)\]/gm)].map((m) => m[1]));

  test('every topic of every colleague is reachable, and every conversation ends back at the shell', () => {
    expect(talkChoices.length).toBeGreaterThanOrEqual(20);
    const taken = new Set<string>();
    for (const [name, w] of Object.entries(WORLDS)) {
      const ex = explore(KNOTS.talk, w);
      record(`talk (${name})`, ex.lines, w);
      ex.taken.forEach((t) => taken.add(t));
    }
    // some topics refer back to an earlier conversation with the other colleague
    const afterOdile = talkThrough(KNOTS.talk, WORLDS.late, 0);
    const ex = explore(KNOTS.talk, WORLDS.late, afterOdile);
    record('talk (late, after Odile)', ex.lines, WORLDS.late);
    ex.taken.forEach((t) => taken.add(t));
    expect(talkChoices.filter((c) => !taken.has(c))).toEqual([]);
  });

  test('at least two colleagues speak, each in their own lines', () => {
    const ex = explore(KNOTS.talk, WORLDS.late);
    const speakers = new Set(ex.lines.map((l) => l.speaker).filter(Boolean));
    expect(speakers).toEqual(new Set([SPEAKERS.dns, SPEAKERS.lead]));
  });

  test('topics unlock with clues', () => {
    const offered = (w: FakeWorld, who: number): string[] => {
      const r = runner(w);
      r.run(KNOTS.talk);
      return r.choose(who).choices.map((c) => c.text);
    };
    expect(offered(WORLDS.fresh, 0)).not.toContain("The kernel's OOM killer keeps killing nsd.");
    expect(offered(WORLDS.early, 0)).toContain("The kernel's OOM killer keeps killing nsd.");
    expect(offered(WORLDS.fresh, 1)).not.toContain('What fixes would you accept?');
    expect(offered(WORLDS.late, 1)).toContain('What fixes would you accept?');
  });

  test('talk_<name> goes straight to one colleague', () => {
    const odile = runKnot(TALK_KNOTS.odile);
    expect(odile.lines.some((l) => l.speaker === SPEAKERS.dns)).toBe(true);
    expect(odile.choices.length).toBeGreaterThan(1);
    const kwame = runKnot(TALK_KNOTS.kwame);
    expect(kwame.choices.map((c) => c.text)).toContain("What's the impact right now?");
  });

  test('a conversation ends with no choices left open', () => {
    const r = runner();
    r.run(KNOTS.talk);
    const odile = r.choose(0);
    const bye = odile.choices.find((c) => c.text.startsWith('Thanks'))!;
    const out = r.choose(bye.index);
    expect(out.choices).toEqual([]);
    expect(out.lines[0].speaker).toBe(SPEAKERS.dns);
    expect(r.awaitingChoice).toBe(false);
  });

  test('once-only topics stay used across talks and across a save', () => {
    const r = runner();
    r.run(KNOTS.talk);
    const first = r.choose(1);
    const impact = first.choices.find((c) => c.text === "What's the impact right now?")!;
    r.choose(impact.index);
    const again = new InkRunner(ch1(), fakeExternals(DEFAULT_WORLD), r.saveState());
    again.run(KNOTS.talk);
    expect(again.choose(1).choices.map((c) => c.text)).not.toContain("What's the impact right now?");
  });

  test('saving mid-conversation and restoring gives the same remaining lines', () => {
    const w = WORLDS.late;
    const a = runner(w);
    a.run(KNOTS.talk);
    const kwame = a.choose(1);
    const oom = kwame.choices.find((c) => c.text === 'The OOM killer has been killing nsd.')!;
    const nested = a.choose(oom.index);
    expect(nested.choices.length).toBe(2);
    const saved = a.saveState();
    const b = runner(w, saved);
    expect(b.currentChoices()).toEqual(nested.choices);
    const fromA = [a.choose(0)];
    const fromB = [b.choose(0)];
    // walk on to the end of the conversation the same way in both
    while (fromA[fromA.length - 1].choices.length > 0) {
      const last = fromA[fromA.length - 1].choices.length - 1;
      fromA.push(a.choose(last));
      fromB.push(b.choose(last));
    }
    expect(fromB).toEqual(fromA);
    expect(fromA.flatMap((o) => o.lines).length).toBeGreaterThan(1);
  });
});

describe('ch1 hints', () => {
  const hint = (level: number, w: FakeWorld) =>
    runKnot(KNOTS.hints, w, (r) => r.setVariable(VARIABLES.hintLevel, level));

  test.each(Object.keys(WORLDS))('each of the levels gives a different hint (%s)', (name) => {
    expectGraduatedHints(contract, hint, record, WORLDS[name], (level) => `hint ${level} (${name})`);
  });

  test('levels out of range read as the nearest level', () => {
    expect(hint(0, WORLDS.fresh)).toEqual(hint(1, WORLDS.fresh));
    expect(hint(HINT_LEVELS + 5, WORLDS.fresh)).toEqual(hint(HINT_LEVELS, WORLDS.fresh));
  });

  test('hints adapt to what the player already found', () => {
    const text = (level: number, w: FakeWorld) => hint(level, w).lines.map((l) => l.text).join('\n');
    expect(text(1, WORLDS.fresh)).not.toEqual(text(1, WORLDS.early));
    expect(text(3, WORLDS.early)).not.toEqual(text(3, WORLDS.middle));
  });

  test('the first hint is a nudge and the last gives the answer with commands', () => {
    const first = hint(1, WORLDS.fresh).lines.map((l) => l.text).join(' ');
    expect(first).toMatch(/kernel/);
    expect(first).not.toMatch(/anon_vma|slab/i);
    const last = hint(HINT_LEVELS, WORLDS.fresh).lines.map((l) => l.text).join(' ');
    for (const s of ['7a3ef208e662', '4.1.0', 'reboot', 'restart', 'drop_caches', 'oom_score_adj']) expect(last).toContain(s);
    expect(last).toMatch(/`[^`]+`/);
  });
});

describe('ch1 clue reactions', () => {
  test.each([...CLUE_IDS])('clue_%s reacts in a few lines', (id) => {
    for (const [name, w] of Object.entries(WORLDS)) {
      const out = runKnot(clueKnot(id), w);
      record(`clue ${id} (${name})`, out.lines, w);
      expect(out.choices).toEqual([]);
      expect(out.lines.length).toBeLessThanOrEqual(5);
    }
  });

  test('reactions quote numbers and versions only from the simulation', () => {
    const slab = runKnot(clueKnot('slab_huge')).lines.map((l) => l.text).join(' ');
    expect(slab).toContain(`${DEFAULT_WORLD.sunreclaimMb} MB`);
    const versions = runKnot(clueKnot('versions_known')).lines.map((l) => l.text).join(' ');
    expect(versions).toContain(DEFAULT_WORLD.nsdVersion);
    expect(versions).toContain(DEFAULT_WORLD.kernelRelease);
  });
});

describe('ch1 events', () => {
  test('event_oom_again: first kill, many kills, and after a fix', () => {
    const cases: FakeWorld[] = [
      world({ oomKillsSeen: 1 }),
      world({ oomKillsSeen: 17 }),
      world({ oomKillsSeen: 17, fixKind: 'nsd' }),
    ];
    const texts = cases.map((w, i) => {
      const out = runKnot(KNOTS.eventOomAgain, w);
      record(`event_oom_again ${i}`, out.lines, w);
      expect(out.lines.some((l) => l.speaker !== undefined)).toBe(true);
      return out.lines[0].text;
    });
    expect(texts[1]).toContain('17');
    expect(new Set(texts).size).toBe(3);
  });

  test.each([...FIX_KINDS])('event_fix_applied with fix_kind() = %s', (kind) => {
    const w = world({ found: 'all', fixKind: kind });
    const out = runKnot(KNOTS.eventFixApplied, w);
    record(`event_fix_applied ${kind}`, out.lines, w);
    expect(out.choices).toEqual([]);
  });

  test('event_fix_applied says something different for each fix', () => {
    const texts = FIX_KINDS.map((k) => runKnot(KNOTS.eventFixApplied, world({ fixKind: k })).lines[0].text);
    expect(new Set(texts).size).toBe(FIX_KINDS.length);
  });

  test.each([...WRONG_FIX_KINDS])('event_wrong_fix with wrong_fix_kind() = %s', (kind) => {
    const w = world({ found: 'all', wrongFixKind: kind });
    const out = runKnot(KNOTS.eventWrongFix, w);
    record(`event_wrong_fix ${kind}`, out.lines, w);
    expect(out.choices).toEqual([]);
  });

  test('event_wrong_fix explains each wrong fix in its own terms', () => {
    const text = (k: (typeof WRONG_FIX_KINDS)[number]) =>
      runKnot(KNOTS.eventWrongFix, world({ wrongFixKind: k })).lines.map((l) => l.text).join(' ');
    expect(text('drop_caches')).toMatch(/SUnreclaim reads 6143 MB/);
    expect(text('oom_score_adj')).toMatch(/sshd/);
    expect(text('swap')).toMatch(/swap/i);
    expect(text('memory')).toMatch(/slope/);
    expect(text('restart_once')).toMatch(/new chain/);
  });

  test.each([...FIX_KINDS])('event_regressed with fix_kind() = %s', (kind) => {
    const w = world({ found: 'all', fixKind: kind });
    const out = runKnot(KNOTS.eventRegressed, w);
    record(`event_regressed ${kind}`, out.lines, w);
    expect(out.lines.map((l) => l.text).join(' ')).toContain(`${w.sunreclaimMb} MB`);
  });
});

describe('ch1 debrief', () => {
  const debrief = (w: FakeWorld) => runKnot(KNOTS.debrief, w);

  test.each([...FIX_KINDS])('debrief for fix_kind() = %s', (kind) => {
    const w = world({ found: 'all', fixKind: kind });
    const out = debrief(w);
    record(`debrief ${kind}`, out.lines, w);
    expect(out.choices).toEqual([]);
    const text = out.lines.map((l) => l.text).join('\n');
    // the player's numbers, from the externals
    for (const n of [w.hintsUsed, w.spellsCast, w.oomKillsSeen, w.peakSunreclaimMb, w.daysToSolve]) {
      expect(text).toMatch(new RegExp(`\\b${n}\\b`));
    }
    // the mechanism and the history
    for (const s of ['7a3ef208e662', 'Khlebnikov', 'Linux 3.19', '4.1.0', 'anon_vma_chain', 'SUnreclaim', 'linux-mm']) {
      expect(text).toContain(s);
    }
    expect(text).toContain(w.nsdVersion);
    expect(text).toContain(w.kernelRelease);
    // section headings are tagged for the engine
    expect(out.lines.filter((l) => l.tags.includes(TAGS.heading)).length).toBeGreaterThanOrEqual(4);
  });

  test('the verdict on the fix differs by fix_kind()', () => {
    const verdict = (k: FixKind) => {
      const lines = debrief(world({ fixKind: k })).lines;
      const at = lines.findIndex((l) => l.text.startsWith('The fix you chose'));
      return lines[at + 1].text;
    };
    expect(verdict('kernel')).toMatch(/strongest/);
    expect(verdict('nsd')).toMatch(/strong answer/);
    expect(verdict('restarts')).toMatch(/weakest/);
    expect(new Set(FIX_KINDS.map(verdict)).size).toBe(FIX_KINDS.length);
  });

  test('singular and plural agree with the numbers', () => {
    const text = debrief(world({ daysToSolve: 1, spellsCast: 1, hintsUsed: 1, oomKillsSeen: 1 }))
      .lines.map((l) => l.text)
      .join(' ');
    expect(text).toMatch(/1 virtual day,/);
    expect(text).toMatch(/1 spell cast/);
    expect(text).toMatch(/1 hint asked/);
    expect(text).toMatch(/1 time while/);
    const none = debrief(world({ hintsUsed: 0 })).lines.map((l) => l.text).join(' ');
    expect(none).toMatch(/never asked the book/);
  });
});

describe('ch1 externals are pure reads', () => {
  const EVENTS = [KNOTS.eventOomAgain, KNOTS.eventFixApplied, KNOTS.eventWrongFix, KNOTS.eventRegressed];

  test('frozen, side-effect-free externals drive every knot, deterministically', () => {
    const w = world({ found: MID_CLUES, fixKind: 'nsd', wrongFixKind: 'swap' });
    expectPureExternals(contract, ch1(), fakeExternals, w, EVENTS);
  });

  test('the story keeps no copy of the world: changing the world changes the words', () => {
    const r = runner(world({ sunreclaimMb: 100 }));
    const before = r.run(clueKnot('slab_huge')).lines[0].text;
    const after = new InkRunner(ch1(), fakeExternals(world({ sunreclaimMb: 200 })), r.saveState()).run(
      clueKnot('slab_huge'),
    ).lines[0].text;
    expect(before).toContain('100 MB');
    expect(after).toContain('200 MB');
  });
});

describe('ch1 whole-story checks (over every line the tests above produced)', () => {
  test('the tests produced lines from every kind of knot', () => {
    expect(produced.length).toBeGreaterThan(50);
  });

  test('every speaker is a contract speaker', () => {
    expectContractSpeakers(contract, produced);
  });

  test('no invented numbers: every digit comes from an external or is a documented fact', () => {
    // Facts about the real world the story may state (releases, commits, years, manual sections).
    const FACTS = [
      // the kernel PPA's mainline 3.19 build as it was in March 2015 (docs/sources.md); before the years it contains
      'http://kernel.ubuntu.com/~kernel-ppa/mainline/v3.19-vivid/linux-image-3.19.0-031900-generic_3.19.0-031900.201502091451_amd64.deb',
      '7a3ef208e662', '9172b803', 'Linux 3.19', '4.1.0', '2012', '2014', '2015', 'proc(5)',
    ];
    const fromWorld = (w: FakeWorld) => [
      w.nsdVersion, w.kernelRelease, w.hostname,
      ...[w.hintsUsed, w.spellsCast, w.oomKillsSeen, w.peakSunreclaimMb, w.sunreclaimMb, w.daysToSolve].map(String),
    ];
    expectNoInventedNumbers(produced, FACTS, fromWorld, { skipCommands: false });
  });

  test('no made-up tool output: no prompts, log timestamps or kernel log lines', () => {
    expectNoSystemOutput(produced, /^\s*(\$|#|\[\s*\d)|Out of memory: Kill|invoked oom-killer|^\s*(MemTotal|Slab|SUnreclaim):/);
  });

  test('every command the story suggests is in STORY_COMMANDS', () => {
    expectStoryCommands(contract, source, { minSpans: 10, everyCommandSuggested: false });
  });
});
