import { GAME_COMMANDS, gameCommandSpecs } from '../../engine/gameCommands';
import { createGame, type GameHandle, type OutputBlock } from '../../engine/index';
import type { CommandContext } from '../../engine/shell/types';
import { harness } from './shell/fake-env';

/** what a game word says when the shell, not the game, is asked to run it */
const notAProgram = (name: string): string =>
  `${name}: this is a word to the grimoire, not a program on the machine; type it on its own line\n`;

describe('GAME_COMMANDS and their specs', () => {
  it('the set and the specs name the same words', () => {
    for (const levels of [1, 6]) {
      expect(gameCommandSpecs(levels).map((s) => s.name).sort()).toEqual([...GAME_COMMANDS].sort());
    }
    expect(GAME_COMMANDS.size).toBeGreaterThan(0);
  });

  it('every spec is a game word with a summary and a man page under its own name', () => {
    for (const spec of gameCommandSpecs(3)) {
      expect(spec.category).toBe('game');
      expect(spec.argKind).toBe('none');
      expect(spec.summary.trim()).not.toBe('');
      expect(spec.man.startsWith(`NAME\n    ${spec.name} - `)).toBe(true);
    }
  });

  it.each([1, 6, 12])("hint's man page names the number of hints (%i)", (levels) => {
    const hint = gameCommandSpecs(levels).find((s) => s.name === 'hint')!;
    expect(hint.man).toContain(`There are ${levels} hints in this`);
  });

  it('only the hint page depends on the number of hints', () => {
    const a = gameCommandSpecs(2);
    const b = gameCommandSpecs(9);
    for (const [i, spec] of a.entries()) {
      if (spec.name === 'hint') expect(spec.man).not.toBe(b[i]!.man);
      else expect(spec.man).toBe(b[i]!.man);
    }
  });

  it.each([...GAME_COMMANDS])('run by the shell, %s says to type it on its own line and fails', (name) => {
    const spec = gameCommandSpecs(4).find((s) => s.name === name)!;
    expect(spec.run({} as CommandContext)).toEqual({ stdout: '', stderr: notAProgram(name), code: 1 });
  });

  it('inside a pipeline or a list, the shell gives that error and carries on', () => {
    const h = harness({ extra: gameCommandSpecs(4) });
    expect(h.run('echo x | hint')).toMatchObject({ stdout: '', stderr: notAProgram('hint'), code: 1 });
    const listed = h.run('status; echo after');
    expect(listed.stderr).toBe(notAProgram('status'));
    expect(listed.stdout).toBe('after\n');
    expect(listed.code).toBe(0);
  });
});

/** chapter 1, started, through the engine's facade */
function newGame(seed = 7): GameHandle {
  const g = createGame('1', seed);
  g.start();
  return g;
}

const ofKind = <K extends OutputBlock['kind']>(blocks: OutputBlock[], kind: K) =>
  blocks.filter((b): b is Extract<OutputBlock, { kind: K }> => b.kind === kind);

const textOf = (blocks: OutputBlock[]): string =>
  blocks.map((b) => ('text' in b && typeof b.text === 'string' ? b.text : '')).join('');

describe('the game answers its own words (chapter 1 through createGame)', () => {
  it('hint says a little more each time, counts up to the last level and stops there', () => {
    const g = newGame();
    const timeBefore = g.result().virtualTime;
    const hints: Extract<OutputBlock, { kind: 'hint' }>[] = [];
    for (let guard = 0; guard < 50; guard++) {
      const blocks = g.step('hint');
      const h = ofKind(blocks, 'hint');
      if (h.length === 0) break;
      expect(h).toHaveLength(1);
      hints.push(h[0]!);
    }
    expect(hints.length).toBeGreaterThan(1);
    const total = hints[0]!.total;
    expect(hints.map((h) => h.level)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(hints.every((h) => h.total === total)).toBe(true);
    expect(hints.every((h) => h.text.trim() !== '')).toBe(true);
    expect(new Set(hints.map((h) => h.text)).size).toBe(total);
    // past the last one: a note, no new hint, and the count stays where it was
    const after = g.step('hint');
    expect(ofKind(after, 'hint')).toHaveLength(0);
    expect(ofKind(after, 'system').map((b) => b.text).join('\n')).toMatch(/no more hints/);
    expect(g.result().hints).toBe(total);
    // asking costs no time, and the man page (a spell, which does) names the same number
    expect(g.result().virtualTime).toBe(timeBefore);
    expect(textOf(g.step('man hint'))).toContain(`There are ${total} hints`);
  });

  it('game words are not spells: they do not count, and the shell never sees them', () => {
    const g = newGame();
    for (const word of ['status', 'journal', 'grimoire', 'history']) {
      const blocks = g.step(word);
      expect(ofKind(blocks, 'error')).toEqual([]);
      expect(ofKind(blocks, 'spell-learned')).toEqual([]);
    }
    expect(g.result().spells).toBe(0);
  });

  it('history lists the typed lines, numbered, oldest first, itself included', () => {
    const g = newGame();
    const typed = ['uname -r', 'hint', 'free -m', '   ', 'history'];
    let last: OutputBlock[] = [];
    for (const line of typed) last = g.step(line);
    const kept = typed.filter((l) => l.trim() !== '');
    expect(g.history()).toEqual(kept);
    expect(last.map((b) => b.kind)).toEqual(['spell-output']);
    const rows = textOf(last).split('\n').filter((l) => l !== '').map((l) => /^\s*(\d+) {2}(.*)$/.exec(l));
    expect(rows.every((m) => m !== null)).toBe(true);
    expect(rows.map((m) => Number(m![1]))).toEqual(kept.map((_, i) => i + 1));
    expect(rows.map((m) => m![2])).toEqual(kept);
  });

  it('journal and grimoire (and spellbook) say so when there is nothing in them yet', () => {
    const g = newGame();
    const journal = g.step('journal');
    expect(journal.map((b) => b.kind)).toEqual(['system']);
    expect(textOf(journal)).toMatch(/journal is empty/);
    const grimoire = g.step('grimoire');
    expect(grimoire.map((b) => b.kind)).toEqual(['system']);
    expect(textOf(grimoire)).toMatch(/spellbook is blank/);
    expect(g.step('spellbook')).toEqual(grimoire);
  });

  it('once something is found and a spell cast, journal and grimoire list them', () => {
    const g = newGame();
    const found = ofKind(g.step('sudo slabtop -o'), 'journal');
    expect(found.length).toBeGreaterThan(0);
    const journal = textOf(g.step('journal'));
    found.forEach((_, i) => expect(journal).toContain(`${String(i + 1).padStart(2)}. [+`));
    for (const entry of found) expect(journal).toContain(entry.text);
    const book = textOf(g.step('grimoire'));
    expect(book).toMatch(/^Spells you have cast \(1\):\n {2}slabtop {2}\S/);
  });

  it('a game word inside a pipeline is handed to the shell, which gives the documented error', () => {
    const g = newGame();
    for (const word of GAME_COMMANDS) {
      const blocks = g.step(`${word} | cat`);
      expect(ofKind(blocks, 'error').map((b) => b.text)).toEqual([notAProgram(word)]);
      expect(ofKind(blocks, 'hint')).toEqual([]);
      expect(ofKind(blocks, 'choices')).toEqual([]);
      expect(ofKind(blocks, 'status')).toEqual([]);
    }
    expect(g.result().hints).toBe(0);
  });

  it('a game word followed by a spell on the same line: the word fails, the spell still runs', () => {
    const g = newGame();
    const alone = textOf(newGame().step('uname -r'));
    const blocks = g.step('status; uname -r');
    expect(ofKind(blocks, 'error').map((b) => b.text)).toEqual([notAProgram('status')]);
    expect(ofKind(blocks, 'spell-output').map((b) => b.text).join('')).toBe(alone);
    expect(ofKind(blocks, 'status')).toEqual([]);
  });

  describe('a number on its own', () => {
    it('outside a conversation is just a line for the shell: not a choice, not a spell', () => {
      const g = newGame();
      const blocks = g.step('1');
      expect(blocks.map((b) => b.kind)).toEqual(['error']);
      expect(textOf(blocks)).toMatch(/^bash: 1: command not found/);
      expect(g.result()).toMatchObject({ spells: 0, hints: 0 });
      expect(g.history()).toEqual(['1']);
    });

    it('during a conversation picks a reply; out of range it names the range', () => {
      const g = newGame();
      const offered = ofKind(g.step('talk'), 'choices');
      expect(offered).toHaveLength(1);
      const n = offered[0]!.options.length;
      expect(textOf(g.step(String(n + 1)))).toBe(`Pick one of the numbered answers (1-${n}), or cast a spell to leave the conversation.`);
      const picked = g.step('1');
      expect(ofKind(picked, 'error')).toEqual([]);
      expect(ofKind(picked, 'narration').length).toBeGreaterThan(0);
    });

    it('after a spell has walked away from the conversation, goes to the shell again', () => {
      const g = newGame();
      expect(ofKind(g.step('talk'), 'choices')).toHaveLength(1);
      g.step('uname -r');
      const blocks = g.step('1');
      expect(blocks.map((b) => b.kind)).toEqual(['error']);
      expect(textOf(blocks)).toMatch(/^bash: 1: command not found/);
    });
  });
});
