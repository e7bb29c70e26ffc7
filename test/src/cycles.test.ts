import { join } from 'node:path';
import { importsOf, isInside, readSource, rel, resolveSpecifier, SRC, sourceFileFor, sourceFiles } from './imports';

/**
 * No import cycles inside src/: every edge counts, `import type` and lazy `require()` included,
 * so modules stay layered (cli -> play/interactive -> shared options and seed).
 */
type Graph = Map<string, string[]>;

function graphOf(sources: Map<string, string>): Graph {
  const graph: Graph = new Map();
  for (const [file, text] of sources) {
    const targets = new Set<string>();
    for (const spec of importsOf(text, file)) {
      const resolved = resolveSpecifier(file, spec);
      if (resolved === null || !isInside(SRC, resolved)) continue;
      const target = sources.has(`${resolved}.ts`) ? `${resolved}.ts` : sources.has(join(resolved, 'index.ts')) ? join(resolved, 'index.ts') : sourceFileFor(resolved);
      if (target) targets.add(target);
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

/** Each cycle once, as "a -> b -> a", starting from its smallest file name. */
function cyclesOf(graph: Graph): string[] {
  const found = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') {
        const loop = stack.slice(stack.indexOf(next)).map(rel);
        const start = loop.indexOf([...loop].sort()[0]);
        const rotated = [...loop.slice(start), ...loop.slice(0, start)];
        found.add([...rotated, rotated[0]].join(' -> '));
      } else if (!state.has(next)) {
        visit(next);
      }
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return [...found].sort();
}

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
