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
} from '../../../../engine/chapters/ch2/storyContract';
import * as contract from '../../../../engine/chapters/ch2/storyContract';
import {
  CH2_INK,
  DEFAULT_WORLD,
  assertClean,
  ch2,
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

const source = fs.readFileSync(CH2_INK, 'utf8');

const knots = knotsOf(source);

const EARLY: ReadonlySet<ClueId> = new Set<ClueId>(['latency_measured', 'daemon_idle']);
const MIDDLE: ReadonlySet<ClueId> = new Set<ClueId>(['latency_measured', 'daemon_idle', 'curl_fast', 'fresh_fast', 'strace_read_waits']);
const WORLDS: Record<string, FakeWorld> = {
  fresh: world(),
  early: world({ found: EARLY }),
  middle: world({ found: MIDDLE }),
  late: world({ found: 'all', fixKind: 'nodelay_config' }),
};

/** Every line any test produced, for the whole-story checks at the end. */
const { produced, record } = recorder<FakeWorld>(assertClean);

describe('ch2 story builds with the others', () => {
  test('scripts/compile-ink.js picks story/ch2.ink up by itself and compiles it cleanly', () => {
    expectBuildsWithTheOthers(CH2_INK, STORY_NAME);
  });
});

describe('ch2 story contract', () => {
  storyContractTests(contract, {
    source,
    json: ch2,
    runner: () => runner(),
    fakeExternals,
    defaultWorld: DEFAULT_WORLD,
    eventKnots: { eventFixApplied: 'event_fix_applied', eventWrongFix: 'event_wrong_fix', eventRegressed: 'event_regressed' },
    everyClueAsked: false,
    kinds: [...FIX_KINDS, ...WRONG_FIX_KINDS],
    missingBinding: 'delack_ms',
  });
});

describe('ch2 briefing', () => {
  test('opens the book at chapter two, delivers the chat message, says who you are and how to play', () => {
    const out = runKnot(KNOTS.briefing);
    const lines = record('briefing', out.lines, DEFAULT_WORLD);
    const text = textOf(out);
    expect(text).toMatch(/Chapter Two/);
    expect(text).toMatch(/fiNAGLEing/);
    const chat = lines.find((l) => l.speaker === SPEAKERS.app);
    // the 40 ms of the page comes from the simulation, not from the story
    expect(chat?.text).toContain(`${DEFAULT_WORLD.p50Ms} ms`);
    expect(chat?.text).toMatch(/localhost/);
    expect(text).toContain(DEFAULT_WORLD.hostname);
    for (const cmd of ['help', 'hint', 'talk', 'status', 'journal']) expect(text).toContain(`\`${cmd}\``);
    expect(out.choices).toEqual([]);
  });

  test('a different world gives a different page', () => {
    const chat = (w: FakeWorld) => runKnot(KNOTS.briefing, w).lines.find((l) => l.speaker === SPEAKERS.app)!.text;
    expect(chat(world({ p50Ms: '41.07' }))).toContain('41.07 ms');
    expect(chat(world({ p50Ms: '41.07' }))).not.toContain(DEFAULT_WORLD.p50Ms);
  });
});

describe('ch2 talk', () => {
  /** The choice texts written in the talk knots, e.g. "* {found("x")} [Text]". */
  const talkChoices = [...knots.entries()]
    .filter(([name]) => name.startsWith('talk'))
    .flatMap(([, body]) => [...body.matchAll(/^\s*[*+]+\s*(?:\(\w+\)\s*)?(?:\{[^}]*\}\s*)*\[([^\]]+)\]/gm)].map((m) => m[1]));

  test('every topic of every colleague is reachable, and every conversation ends back at the shell', () => {
    expect(talkChoices.length).toBeGreaterThanOrEqual(20);
    const taken = new Set<string>();
    const worlds = { ...WORLDS, liveFix: world({ found: 'all', fixKind: 'nodelay_live' }), route: world({ found: 'all', fixKind: 'route_quickack' }) };
    for (const [name, w] of Object.entries(worlds)) {
      const ex = explore(KNOTS.talk, w);
      record(`talk (${name})`, ex.lines, w);
      ex.taken.forEach((t) => taken.add(t));
    }
    expect(talkChoices.filter((c) => !taken.has(c))).toEqual([]);
  });

  test('both colleagues speak, each in their own lines', () => {
    const ex = explore(KNOTS.talk, WORLDS.late);
    const speakers = new Set(ex.lines.map((l) => l.speaker).filter(Boolean));
    expect(speakers).toEqual(new Set([SPEAKERS.app, SPEAKERS.platform]));
  });

  test('topics unlock with clues', () => {
    const offered = (w: FakeWorld, who: number): string[] => {
      const r = runner(w);
      r.run(KNOTS.talk);
      return r.choose(who).choices.map((c) => c.text);
    };
    const curlTopic = 'curl to nsqd is fast. Only the app is slow.';
    expect(offered(WORLDS.fresh, 1)).not.toContain(curlTopic);
    expect(offered(WORLDS.middle, 1)).toContain(curlTopic);
    const writesTopic = 'Net::HTTP writes the headers and the body separately.';
    expect(offered(WORLDS.middle, 0)).not.toContain(writesTopic);
    expect(offered(WORLDS.late, 0)).toContain(writesTopic);
    // the "how slow?" question is for before the player has measured; afterwards a sharper one replaces it
    expect(offered(WORLDS.fresh, 0)).toContain('How slow is it, exactly?');
    expect(offered(WORLDS.early, 0)).not.toContain('How slow is it, exactly?');
    expect(offered(WORLDS.fresh, 0).some((t) => t.startsWith('The fix is in'))).toBe(false);
    expect(offered(WORLDS.late, 0).some((t) => t.startsWith('The fix is in'))).toBe(true);
  });

  test('the colleagues believe the wrong leads: the pool, the daemon, garbage collection', () => {
    const tomasz = explore(TALK_KNOTS.tomasz, WORLDS.late).lines.filter((l) => l.speaker === SPEAKERS.app);
    const said = tomasz.map((l) => l.text).join(' ');
    expect(said).toMatch(/proud of the pool/);
    expect(said).toMatch(/That's nsqd being slow/);
    expect(said).toMatch(/garbage collector/);
    const imani = explore(TALK_KNOTS.imani, WORLDS.late).lines.filter((l) => l.speaker === SPEAKERS.platform);
    const hers = imani.map((l) => l.text).join(' ');
    expect(hers).toMatch(/nsqd is fine/);
    expect(hers).toMatch(/stats/);
    // the one who remembers the blog post about POSTs two hundred milliseconds slower
    expect(hers).toMatch(/blog post/);
    expect(hers).toMatch(/two hundred milliseconds/);
  });

  test('a measured colleague quotes the measured numbers', () => {
    const r = runner(WORLDS.middle);
    r.run(TALK_KNOTS.tomasz);
    const topic = r.currentChoices().find((c) => c.text.startsWith('Every publish takes almost exactly'))!;
    const out = r.choose(topic.index);
    expect(textOf(out)).toContain(DEFAULT_WORLD.p50Ms);
    expect(textOf(out)).toContain(DEFAULT_WORLD.p99Ms);
    // once a fix is in, the numbers are fast and "slow like a metronome" would be false
    const fixed = runner(world({ found: MIDDLE, fixKind: 'nodelay_live' }));
    fixed.run(TALK_KNOTS.tomasz);
    expect(fixed.currentChoices().map((c) => c.text)).not.toContain(topic.text);
  });

  test('talk_<name> goes straight to one colleague, and a conversation ends with no choices left open', () => {
    const tomasz = runKnot(TALK_KNOTS.tomasz);
    expect(tomasz.lines.some((l) => l.speaker === SPEAKERS.app)).toBe(true);
    expect(tomasz.choices.length).toBeGreaterThan(1);
    const imani = runKnot(TALK_KNOTS.imani);
    expect(imani.choices.map((c) => c.text)).toContain('Is nsqd healthy?');
    const r = runner();
    r.run(KNOTS.talk);
    const first = r.choose(0);
    const bye = first.choices.find((c) => c.text.startsWith('Thanks'))!;
    const out = r.choose(bye.index);
    expect(out.choices).toEqual([]);
    expect(out.lines[0].speaker).toBe(SPEAKERS.app);
    expect(r.awaitingChoice).toBe(false);
  });

  test('once-only topics stay used across talks and across a save', () => {
    const r = runner();
    r.run(KNOTS.talk);
    const imani = r.choose(1);
    const healthy = imani.choices.find((c) => c.text === 'Is nsqd healthy?')!;
    r.choose(healthy.index);
    const again = new InkRunner(ch2(), fakeExternals(DEFAULT_WORLD), r.saveState());
    again.run(KNOTS.talk);
    expect(again.choose(1).choices.map((c) => c.text)).not.toContain('Is nsqd healthy?');
  });

  test('what the colleagues say about the fix depends on the fix', () => {
    const said = (kind: FixKind, who: string) => {
      const r = runner(world({ found: 'all', fixKind: kind }));
      r.run(who);
      const topic = r.currentChoices().find((c) => c.text.startsWith('The fix is in'))!;
      return textOf(r.choose(topic.index));
    };
    const tomasz = ['nodelay_live', 'nodelay_config', 'route_quickack'].map((k) => said(k as FixKind, TALK_KNOTS.tomasz));
    expect(new Set(tomasz).size).toBe(3);
    expect(said('route_quickack', TALK_KNOTS.imani)).not.toEqual(said('single_write', TALK_KNOTS.imani));
  });
});

describe('ch2 hints', () => {
  const hint = (level: number, w: FakeWorld) =>
    runKnot(KNOTS.hints, w, (r) => r.setVariable(VARIABLES.hintLevel, level));

  test.each(Object.keys(WORLDS))('each of the levels prints a different hint (%s)', (name) => {
    expectGraduatedHints(contract, hint, record, WORLDS[name], (level) => `hint ${level} (${name})`);
  });

  test('every step of the trail has its own hint at levels 1 to 3', () => {
    // worlds that stop at each stage of hint_stage(), in order
    const trail: ClueId[][] = [
      [],
      ['latency_measured'],
      ['latency_measured', 'daemon_idle'],
      ['latency_measured', 'daemon_idle', 'curl_fast'],
      ['latency_measured', 'daemon_idle', 'curl_fast', 'strace_read_waits'],
      ['latency_measured', 'daemon_idle', 'curl_fast', 'strace_read_waits', 'tcpdump_ack_gap'],
      [...CLUE_IDS],
    ];
    expectHintPerTrailStep(hint, record, (found) => world({ found }), trail);
  });

  test('levels out of range read as the nearest level', () => {
    expect(hint(0, WORLDS.fresh)).toEqual(hint(1, WORLDS.fresh));
    expect(hint(HINT_LEVELS + 5, WORLDS.fresh)).toEqual(hint(HINT_LEVELS, WORLDS.fresh));
  });

  test('the first hint is a nudge, and the last gives the answer with commands', () => {
    const first = textOf(hint(1, WORLDS.fresh));
    expect(first).toMatch(/measure/);
    expect(first).not.toMatch(/Nagle|ACK|NODELAY/i);
    const last = textOf(hint(HINT_LEVELS, WORLDS.fresh));
    for (const s of ['TCP_NODELAY', '`setsockopt NODELAY`', 'tcp_nodelay: true', 'single_write: true', '/etc/publisher/publisher.yml', '`sudo service publisher restart`', 'a thousand publishes', '`graph publish-latency`', 'TCP_QUICKACK', 'quickack route']) {
      expect(last).toContain(s);
    }
  });

  test('hints at levels 4 and 5 drop the pointers the player no longer needs', () => {
    expect(textOf(hint(4, WORLDS.fresh))).toMatch(/tcpdump/);
    expect(textOf(hint(4, WORLDS.late))).not.toMatch(/tcpdump/);
    expect(textOf(hint(5, WORLDS.fresh))).toMatch(/`setsockopt NODELAY`/);
    expect(textOf(hint(5, WORLDS.late))).not.toMatch(/`setsockopt NODELAY`/);
  });
});

describe('ch2 clue reactions', () => {
  test.each([...CLUE_IDS])('clue_%s reacts in a few lines', (id) => {
    for (const [name, w] of Object.entries(WORLDS)) {
      const out = runKnot(clueKnot(id), w);
      record(`clue ${id} (${name})`, out.lines, w);
      expect(out.choices).toEqual([]);
      expect(out.lines.length).toBeLessThanOrEqual(4);
    }
  });

  test('reactions quote numbers only from the simulation', () => {
    const latency = textOf(runKnot(clueKnot('latency_measured')));
    expect(latency).toContain(`${DEFAULT_WORLD.p50Ms} ms`);
    expect(latency).toContain(`${DEFAULT_WORLD.p99Ms} ms`);
    expect(textOf(runKnot(clueKnot('tcpdump_ack_gap')))).toContain(`${DEFAULT_WORLD.delackMs} ms`);
    expect(textOf(runKnot(clueKnot('ss_notsent')))).toContain(`${DEFAULT_WORLD.delackMs} ms`);
  });
});

describe('ch2 events', () => {
  test.each([...FIX_KINDS])('event_fix_applied with fix_kind() = %s', (kind) => {
    const w = world({ found: 'all', fixKind: kind });
    const out = runKnot(KNOTS.eventFixApplied, w);
    record(`event_fix_applied ${kind}`, out.lines, w);
    expect(out.choices).toEqual([]);
    // every fix ends on what is left to prove: the objectives
    expect(out.lines[out.lines.length - 1].text).toMatch(/thousand publishes under a millisecond.*restart/);
  });

  test('event_fix_applied says something different for each fix, and warns that a live fix is not permanent', () => {
    const first = FIX_KINDS.map((k) => runKnot(KNOTS.eventFixApplied, world({ fixKind: k })).lines[0].text);
    expect(new Set(first).size).toBe(FIX_KINDS.length);
    expect(textOf(runKnot(KNOTS.eventFixApplied, world({ fixKind: 'nodelay_live' })))).toMatch(/restarts.*Nagle on again/);
  });

  test.each([...WRONG_FIX_KINDS])('event_wrong_fix with wrong_fix_kind() = %s', (kind) => {
    const w = world({ found: 'all', wrongFixKind: kind });
    const out = runKnot(KNOTS.eventWrongFix, w);
    record(`event_wrong_fix ${kind}`, out.lines, w);
    expect(out.choices).toEqual([]);
  });

  test('event_wrong_fix explains what each experiment shows, in its own terms', () => {
    const text = (k: WrongFixKind) => textOf(runKnot(KNOTS.eventWrongFix, world({ wrongFixKind: k })));
    // QUICKACK once is not sticky
    expect(text('quickack_once')).toMatch(/not a setting/);
    expect(text('quickack_once')).toMatch(/every read/);
    // NODELAY on the server: the server holds no data; it is the one delaying an ACK
    expect(text('server_nodelay')).toMatch(/never holding anything back/);
    expect(text('server_nodelay')).toMatch(/no say over acknowledgements/);
    // a fresh connection is fast only until pingpong and spent quick-ACK credits
    for (const k of ['nsqd_restart', 'app_restart'] as const) {
      expect(text(k)).toMatch(/quick ACKs/);
      expect(text(k)).toMatch(/request and answer|requests and answers/);
    }
    expect(text('pool_size')).toMatch(/every one of them exactly as slow/);
    expect(text('more_cpu')).toMatch(/timers do not run faster/);
    expect(new Set(WRONG_FIX_KINDS.map(text)).size).toBe(WRONG_FIX_KINDS.length);
  });

  test.each([...FIX_KINDS])('event_regressed with fix_kind() = %s', (kind) => {
    const w = world({ found: 'all', fixKind: kind });
    const out = runKnot(KNOTS.eventRegressed, w);
    record(`event_regressed ${kind}`, out.lines, w);
    // the window's median may still be fast when the stall returns; the timer it waits on is not
    expect(textOf(out)).toContain(`${w.delackMs} ms delayed-ACK timeout`);
  });

  test('event_regressed explains the likely cause for each fix', () => {
    const cause = (k: FixKind) => runKnot(KNOTS.eventRegressed, world({ fixKind: k })).lines[1].text;
    expect(cause('nodelay_live')).toMatch(/new socket starts with Nagle on/);
    expect(cause('nodelay_config')).toMatch(/restarted after the edit/);
    expect(cause('single_write')).toEqual(cause('nodelay_config'));
    expect(cause('route_quickack')).toMatch(/`ip route`/);
    expect(new Set(FIX_KINDS.map(cause)).size).toBe(FIX_KINDS.length - 1);
  });
});

describe('ch2 debrief', () => {
  const debrief = (w: FakeWorld) => runKnot(KNOTS.debrief, w);

  test.each([...FIX_KINDS])('debrief for fix_kind() = %s', (kind) => {
    const w = world({ found: 'all', fixKind: kind });
    const out = debrief(w);
    record(`debrief ${kind}`, out.lines, w);
    expect(out.choices).toEqual([]);
    const text = textOf(out);
    // the player's numbers, from the externals
    for (const n of [w.hintsUsed, w.spellsCast, w.publishesSeen, w.minutesToSolve]) {
      expect(text).toMatch(new RegExp(`\\b${n}\\b`));
    }
    expect(text).toContain(`${w.p50Ms} ms`);
    expect(text).toContain(`${w.p99Ms} ms`);
    expect(text).toContain(`${w.delackMs} ms later`);
    // the mechanism, the numbers of real kernels, the defaults, the reading
    for (const s of [
      'Nagle', 'Minshall', 'delayed-ACK', 'pingpong', 'quick ACKs', 'first publish on a fresh connection', 'curl was fast',
      '40 ms', '200 ms', 'BSD', 'Go sets TCP_NODELAY', 'Ruby 2.1', 'urllib3', 'Hacker News', 'Julia Evans', 'RFC 896',
      'RFC 1122', 'tcp(7)', 'TCP_QUICKACK',
    ]) {
      expect([s, text.includes(s)]).toEqual([s, true]);
    }
    const headings = out.lines.filter((l) => l.tags.includes(TAGS.heading)).map((l) => l.text);
    expect(headings).toEqual([
      'What happened.',
      'The fix you chose.',
      'The mechanism, in plain words.',
      'Why Linux says 40 ms and BSD says 200 ms.',
      'Who turns Nagle off for you.',
      'What to read next.',
      'Your numbers.',
    ]);
  });

  test('the verdict on the fix differs by fix_kind()', () => {
    const verdict = (k: FixKind) => {
      const lines = debrief(world({ fixKind: k })).lines;
      const at = lines.findIndex((l) => l.text === 'The fix you chose.');
      return lines[at + 1].text;
    };
    expect(verdict('nodelay_config')).toMatch(/standard answer/);
    expect(verdict('single_write')).toMatch(/most complete answer/);
    expect(verdict('route_quickack')).toMatch(/workaround on the receiving side/);
    expect(verdict('nodelay_live')).toMatch(/lives exactly as long as that socket/);
    expect(new Set(FIX_KINDS.map(verdict)).size).toBe(FIX_KINDS.length);
  });

  test('singular and plural agree with the numbers', () => {
    const text = textOf(debrief(world({ minutesToSolve: 1, spellsCast: 1, hintsUsed: 1, publishesSeen: 1 })));
    expect(text).toMatch(/in 1 minute of/);
    expect(text).toMatch(/1 spell cast/);
    expect(text).toMatch(/1 hint asked/);
    expect(text).toMatch(/made 1 publish while/);
    expect(textOf(debrief(world({ hintsUsed: 0 })))).toMatch(/never asked the book/);
    expect(textOf(debrief(world({ hintsUsed: HINT_LEVELS })))).toMatch(/everything it had/);
  });
});

describe('ch2 externals are pure reads', () => {
  const EVENTS = [KNOTS.eventFixApplied, KNOTS.eventWrongFix, KNOTS.eventRegressed];

  test('frozen, side-effect-free externals drive every knot, deterministically', () => {
    const w = world({ found: MIDDLE, fixKind: 'single_write', wrongFixKind: 'pool_size' });
    expectPureExternals(contract, ch2(), fakeExternals, w, EVENTS);
  });

  test('the story keeps no copy of the world: changing the world changes the words', () => {
    const r = runner(world({ delackMs: 41 }));
    const before = r.run(clueKnot('tcpdump_ack_gap')).lines[0].text;
    const after = new InkRunner(ch2(), fakeExternals(world({ delackMs: 43 })), r.saveState()).run(
      clueKnot('tcpdump_ack_gap'),
    ).lines[0].text;
    expect(before).toContain('41 ms');
    expect(after).toContain('43 ms');
  });
});

describe('ch2 whole-story checks (over every line the tests above produced)', () => {
  test('the tests produced lines from every kind of knot', () => {
    expect(produced.length).toBeGreaterThan(60);
  });

  test('every speaker is a contract speaker', () => {
    expectContractSpeakers(contract, produced);
  });

  test('no invented numbers: every digit comes from an external or is a documented fact', () => {
    // Facts about the real world the story may state (docs/sources.md, "Chapter 2 story"): releases,
    // RFCs, years, a manual section, and the delayed-ACK constants of real kernels as general knowledge.
    const FACTS = [
      'RFC 896', 'RFC 1122', '4.2.3.2', 'tcp(7)', 'Ruby 2.1', 'urllib3 1.8', 'urllib3', 'curl 7.50.2',
      '1984', '2012', '2013', '2014', '2015', '2016', '40 ms', '200 ms',
    ];
    const fromWorld = (w: FakeWorld) => [
      w.hostname, w.p50Ms, w.p99Ms,
      ...[w.hintsUsed, w.spellsCast, w.publishesSeen, w.delackMs, w.minutesToSolve].map(String),
    ];
    // commands in backticks are the player's syntax (ports, counts); the command test checks them
    expectNoInventedNumbers(produced, FACTS, fromWorld, { skipCommands: true });
  });

  test('no made-up tool output: no prompts, packet lines, syscall lines or log lines', () => {
    expectNoSystemOutput(produced, /^\s*(\$|#|\[\s*\d)|Flags \[|\bIP \d|^\s*(write|read|writev|setsockopt)\(\d|INFO -- :|ESTAB\s/);
  });

  test('every command the story suggests is in STORY_COMMANDS, and every STORY_COMMAND is suggested', () => {
    expectStoryCommands(contract, source, { minSpans: 15, everyCommandSuggested: true, timedCommands: true });
  });
});
