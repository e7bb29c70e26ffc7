import { join } from 'node:path';
import { cyclesOf, graphOf, readSource, rel, SRC, sourceFiles } from './imports';

/**
 * No import cycles inside src/: every edge counts, `import type` and lazy `require()` included,
 * so modules stay layered (cli -> play/interactive -> shared options and seed).
 */
describe('src/ has no import cycles', () => {
  const files = sourceFiles(SRC);
  const graph = graphOf(new Map(files.map((f) => [f, readSource(f)])));

  it('sees the imports between front-end modules', () => {
    const edges = [...graph.entries()].flatMap(([from, tos]) => tos.map((to) => `${rel(from)} -> ${rel(to)}`));
    expect(edges).toEqual(expect.arrayContaining(['src/cli.ts -> src/play.ts', 'src/play.ts -> src/script.ts', 'src/session.ts -> src/transcript/markdown.ts']));
  });

  it('finds no cycle', () => {
    expect(cyclesOf(graph)).toEqual([]);
  });

  it('the check itself finds cycles made of type imports and lazy requires', () => {
    const f = (name: string) => join(SRC, name);
    const sources = new Map([
      [f('cli.ts'), "import type { Opts } from './play';\nexport const x = 1;"],
      [f('play.ts'), "const { run } = require('./deep/interactive') as typeof import('./deep/interactive');"],
      [f('deep/interactive.ts'), "import type { Opts } from '../cli';\nimport { helper } from './helper';"],
      [f('deep/helper.ts'), "export type { Opts } from '../deep/helper';"],
      [f('alone.ts'), "import { readFileSync } from 'node:fs';\nimport { x } from './cli';"],
    ]);
    expect(cyclesOf(graphOf(sources))).toEqual([
      'src/cli.ts -> src/play.ts -> src/deep/interactive.ts -> src/cli.ts',
      'src/deep/helper.ts -> src/deep/helper.ts',
    ]);
  });
});
