import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CH1_INK, STORY_DIR, compiler } from '../helpers/inkCompiler';

const made: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grimoire-ink-'));
  made.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

describe('scripts/compile-ink.js', () => {
  test('story/ch1.ink compiles with no error, no warning and no TODO', () => {
    const r = compiler.compileInk(CH1_INK);
    expect(r.messages).toEqual([]);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.authorMessages).toEqual([]);
    expect(r.json).not.toBeNull();
    expect(() => JSON.parse(r.json!)).not.toThrow();
    expect(r.hash).toMatch(/^[0-9a-f]{12}$/);
  });

  test('only top-level stories are compiled: files starting with _ are includes', () => {
    const files = compiler.storyFiles(STORY_DIR).map((f) => path.basename(f));
    expect(files).toContain('ch1.ink');
    expect(files.some((f) => f.startsWith('_'))).toBe(false);
  });

  test('compileAll writes <name>.json and versions.json, stripping a BOM', () => {
    const dir = tempDir();
    const storyDir = path.join(dir, 'story');
    const outDir = path.join(dir, 'out', 'story');
    fs.mkdirSync(storyDir);
    fs.writeFileSync(path.join(storyDir, 'tiny.ink'), '\ufeffINCLUDE _bits.ink\nHello {greet()}.\n-> DONE\n');
    fs.writeFileSync(path.join(storyDir, '_bits.ink'), '=== function greet() ===\n~ return "there"\n');
    const { ok, results, versions } = compiler.compileAll({ storyDir, outDir });
    expect(results.map((r) => r.messages)).toEqual([[]]);
    expect(ok).toBe(true);
    expect(fs.readdirSync(outDir).sort()).toEqual(['tiny.json', 'versions.json']);
    const json = fs.readFileSync(path.join(outDir, 'tiny.json'), 'utf8');
    expect(json.charCodeAt(0)).not.toBe(0xfeff);
    expect(JSON.parse(fs.readFileSync(path.join(outDir, 'versions.json'), 'utf8'))).toEqual({
      tiny: compiler.storyHash(json),
    });
    expect(versions.tiny).toMatch(/^[0-9a-f]{12}$/);
  });

  test('errors and warnings are reported as file:line and nothing is written', () => {
    const dir = tempDir();
    const storyDir = path.join(dir, 'story');
    const outDir = path.join(dir, 'out');
    fs.mkdirSync(storyDir);
    // line 2: unresolved variable (error); knot 'loose' runs out of content (warning)
    fs.writeFileSync(path.join(storyDir, 'bad.ink'), '-> DONE\n=== a ===\n{nope}\n-> DONE\n=== loose ===\nand then\n');
    const { ok, results } = compiler.compileAll({ storyDir, outDir });
    expect(ok).toBe(false);
    expect(fs.existsSync(outDir)).toBe(false);
    const messages = results[0].messages;
    expect(messages.some((m) => /bad\.ink:3: ERROR: .*nope/.test(m))).toBe(true);

    fs.writeFileSync(path.join(storyDir, 'bad.ink'), '-> DONE\n=== loose ===\nand then\n');
    const second = compiler.compileAll({ storyDir, outDir });
    expect(second.ok).toBe(false);
    expect(second.results[0].warnings.some((m) => /bad\.ink:3: WARNING: .*loose end/i.test(m))).toBe(true);
    expect(fs.existsSync(outDir)).toBe(false);
  });

  test('a TODO note fails the build too', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'todo.ink'), 'Hi.\nTODO: finish this\n-> DONE\n');
    const r = compiler.compileInk(path.join(dir, 'todo.ink'));
    expect(r.authorMessages).toHaveLength(1);
    expect(compiler.compileAll({ storyDir: dir, outDir: path.join(dir, 'out') }).ok).toBe(false);
  });
});
