import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InkRunner, InkRunnerError, splitSpeaker } from '../../../engine/story/inkRunner';
import { compiler } from '../../helpers/inkCompiler';

const SOURCE = `EXTERNAL mood()
EXTERNAL count(n)
VAR level = 0
-> DONE
=== hello ===
The room is quiet.
Hi there, I'm {mood()}. # speaker: Ada
# aside
Tagged narration.
-> DONE
=== chat ===
Ada waves. # speaker: Ada
* [Ask about the weather]
    Grey, as usual. # speaker: Ada
    ** [Ask why]
        Because it's always grey. # speaker: Ada
    ** [Nod]
        You nod.
    -- That settles it. # speaker: Ada
* [Ask about the level]
    Level {level}, count {count(level)}. # speaker: Ada
- Bye. # speaker: Ada
-> DONE
= deeper
Down here.
-> DONE
=== broken ===
{mood()}
-> DONE
`;

function compileSource(src: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grimoire-runner-'));
  const file = path.join(dir, 'fixture.ink');
  fs.writeFileSync(file, src);
  const r = compiler.compileInk(file);
  fs.rmSync(dir, { recursive: true, force: true });
  if (r.json === null || r.messages.length > 0) throw new Error(r.messages.join('\n'));
  return r.json;
}

const json = compileSource(SOURCE);
const externals = { mood: () => 'fine', count: (n: number) => n * 2 };

describe('InkRunner', () => {
  test('runs a knot into lines with speakers and tags', () => {
    const r = new InkRunner(json, externals);
    expect(r.run('hello')).toEqual({
      lines: [
        { text: 'The room is quiet.', tags: [] },
        { text: "Hi there, I'm fine.", speaker: 'Ada', tags: [] },
        { text: 'Tagged narration.', tags: ['aside'] },
      ],
      choices: [],
    });
    expect(r.awaitingChoice).toBe(false);
  });

  test('accepts the compiled JSON as an object too', () => {
    const r = new InkRunner(JSON.parse(json) as object, externals);
    expect(r.run('hello').lines).toHaveLength(3);
  });

  test('choices, nested choices and the end of a conversation', () => {
    const r = new InkRunner(json, externals);
    const open = r.run('chat');
    expect(open.lines).toEqual([{ text: 'Ada waves.', speaker: 'Ada', tags: [] }]);
    expect(open.choices).toEqual([
      { index: 0, text: 'Ask about the weather' },
      { index: 1, text: 'Ask about the level' },
    ]);
    const weather = r.choose(0);
    expect(weather.lines.map((l) => l.text)).toEqual(['Grey, as usual.']);
    expect(weather.choices.map((c) => c.text)).toEqual(['Ask why', 'Nod']);
    const end = r.choose(1);
    expect(end.lines.map((l) => l.text)).toEqual(['You nod.', 'That settles it.', 'Bye.']);
    expect(end.choices).toEqual([]);
    expect(() => r.choose(0)).toThrow(InkRunnerError);
  });

  test('variables can be set and read, and ink sees them', () => {
    const r = new InkRunner(json, externals);
    r.setVariable('level', 4);
    expect(r.getVariable('level')).toBe(4);
    r.run('chat');
    expect(r.choose(1).lines[0].text).toBe('Level 4, count 8.');
    expect(() => r.setVariable('no_such_var', 1)).toThrow(/no variable/);
  });

  test('saving mid-conversation and restoring gives the same remaining lines', () => {
    const a = new InkRunner(json, externals);
    a.run('chat');
    a.choose(0);
    const saved = a.saveState();
    const restored = new InkRunner(json, externals, saved);
    expect(restored.awaitingChoice).toBe(true);
    expect(restored.currentChoices()).toEqual(a.currentChoices());
    const fromOriginal = a.choose(0);
    const fromRestored = restored.choose(0);
    expect(fromRestored).toEqual(fromOriginal);
    expect(fromRestored.lines.map((l) => l.text)).toEqual(['Because it\'s always grey.', 'That settles it.', 'Bye.']);
  });

  test('a saved state keeps variables', () => {
    const a = new InkRunner(json, externals);
    a.setVariable('level', 7);
    const b = new InkRunner(json, externals, a.saveState());
    expect(b.getVariable('level')).toBe(7);
  });

  test('run() leaves an open conversation and starts the new knot', () => {
    const r = new InkRunner(json, externals);
    r.run('chat');
    const out = r.run('hello');
    expect(out.choices).toEqual([]);
    expect(out.lines[0].text).toBe('The room is quiet.');
  });

  test('hasKnot knows knots and stitches; run() refuses unknown knots', () => {
    const r = new InkRunner(json, externals);
    expect(r.hasKnot('hello')).toBe(true);
    expect(r.hasKnot('chat.deeper')).toBe(true);
    expect(r.hasKnot('chat.nowhere')).toBe(false);
    expect(r.hasKnot('nowhere')).toBe(false);
    expect(r.hasKnot('')).toBe(false);
    expect(r.run('chat.deeper').lines.map((l) => l.text)).toEqual(['Down here.']);
    expect(() => r.run('nowhere')).toThrow(/no knot 'nowhere'/);
  });

  test('a missing external binding fails at construction, by name', () => {
    expect(() => new InkRunner(json, { mood: () => 'fine' })).toThrow(/count/);
  });

  test('externals must return a boolean, a finite number or a string', () => {
    for (const bad of [undefined, null, {}, NaN, Infinity]) {
      const r = new InkRunner(json, { ...externals, mood: () => bad });
      expect(() => r.run('broken')).toThrow(/external mood\(\) returned/);
    }
  });

  test('a bad saved state is reported clearly', () => {
    expect(() => new InkRunner(json, externals, '{"not":"a state"')).toThrow(/saved ink state/);
  });

  test('splitSpeaker', () => {
    expect(splitSpeaker(['speaker: Odile', ' heading '])).toEqual({ speaker: 'Odile', tags: ['heading'] });
    expect(splitSpeaker(['Speaker:Kwame'])).toEqual({ speaker: 'Kwame', tags: [] });
    expect(splitSpeaker(null)).toEqual({ tags: [] });
    expect(splitSpeaker(['speaker:'])).toEqual({ tags: ['speaker:'] });
  });
});
