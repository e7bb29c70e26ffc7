import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The engine must stay pure: no I/O, no clock, no ambient randomness, no terminal libraries. */
const ROOT = join(__dirname, '..', '..', 'engine');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

const FORBIDDEN: Array<[string, RegExp]> = [
  ['a Node I/O module', /(?:from|require\()\s*['"](?:node:)?(?:fs|fs\/promises|net|http|https|child_process|readline|dgram|worker_threads|os|process)['"]/],
  ['a terminal library', /(?:from|require\(|import\()\s*['"](?:chalk|inquirer|@inquirer\/[a-z-]+)['"]/],
  ['Math.random', /Math\.random\s*\(/],
  ['the wall clock', /Date\.now\s*\(|new Date\(\s*\)|performance\.now\s*\(|process\.hrtime/],
  ['the console', /\bconsole\.(?:log|error|warn|info|debug)\b/],
  ['timers', /\bset(?:Timeout|Interval|Immediate)\s*\(/],
  ['the process environment', /\bprocess\.(?:env|argv|stdout|stderr|stdin|exit)\b/],
];

describe('engine purity', () => {
  const files = sourceFiles(ROOT);

  it('finds the engine sources', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(FORBIDDEN)('no engine file uses %s', (_what, pattern) => {
    const offenders = files.filter((f) => pattern.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f));
    expect(offenders).toEqual([]);
  });

  it('the pattern check itself catches an offender', () => {
    const bad = "import { readFileSync } from 'node:fs';\nconst x = Math.random();\nconsole.log(Date.now());";
    const caught = FORBIDDEN.filter(([, p]) => p.test(bad)).map(([w]) => w);
    expect(caught).toEqual(expect.arrayContaining(['a Node I/O module', 'Math.random', 'the wall clock', 'the console']));
  });
});
