import { join, relative, sep } from 'node:path';
import { cyclesOf, ENGINE, graphOf, readSource, rel, sourceFiles, type Graph } from '../src/imports';

/**
 * The engine's layers (README, "Architecture"): foundations (shell, vfs, formats, story, rng...)
 * < kernel < machine < chapters < the game and its facade. Each layer imports only from layers
 * below it; generic code never imports a chapter (only chapters/registry.ts loads them); a chapter
 * never imports another; and there are no import cycles at all.
 */
type Layer = 'foundation' | 'kernel' | 'machine' | 'registry' | `chapter:${string}` | 'game';

const GAME = new Set(['game.ts', 'gameCommands.ts', 'index.ts', 'migrations.ts', 'version.ts']);

function layerOf(file: string): Layer {
  const r = relative(ENGINE, file).split(sep).join('/');
  if (r === 'chapters/registry.ts') return 'registry';
  if (r.startsWith('chapters/')) return `chapter:${r.split('/')[1]}`;
  if (r.startsWith('kernel/')) return 'kernel';
  if (r.startsWith('machine/')) return 'machine';
  if (GAME.has(r)) return 'game';
  return 'foundation';
}

const BELOW: Record<string, readonly string[]> = {
  foundation: ['foundation'],
  kernel: ['foundation', 'kernel'],
  machine: ['foundation', 'kernel', 'machine'],
  // the registry lists chapters and loads them lazily: the one place generic code reaches into one
  registry: ['foundation', 'chapter:*'],
  chapter: ['foundation', 'kernel', 'machine', 'registry'],
  game: ['foundation', 'registry', 'game'],
};

/** edges that break the layering: "from -> to (from-layer -> to-layer)" */
function violations(graph: Graph): string[] {
  const out: string[] = [];
  for (const [from, tos] of graph) {
    const a = layerOf(from);
    for (const to of tos) {
      const b = layerOf(to);
      const allowed = a.startsWith('chapter:')
        ? BELOW.chapter!.includes(b) || b === a
        : BELOW[a]!.includes(b) || (BELOW[a]!.includes('chapter:*') && b.startsWith('chapter:'));
      if (!allowed) out.push(`${rel(from)} -> ${rel(to)} (${a} -> ${b})`);
    }
  }
  return out.sort();
}

describe('the engine is layered', () => {
  const files = sourceFiles(ENGINE);
  const graph = graphOf(new Map(files.map((f) => [f, readSource(f)])), ENGINE);

  it('sees every layer and the edges between them', () => {
    const layers = new Set(files.map(layerOf));
    for (const l of ['foundation', 'kernel', 'machine', 'registry', 'chapter:ch1', 'game']) expect(layers).toContain(l);
    const edges = [...graph.entries()].flatMap(([from, tos]) => tos.map((to) => `${rel(from)} -> ${rel(to)}`));
    expect(edges).toEqual(expect.arrayContaining(['engine/machine/boot.ts -> engine/machine/scenario.ts', 'engine/chapters/ch1/sim/scenario.ts -> engine/machine/scenario.ts']));
  });

  it('imports only downwards: no generic code reaches into a chapter, no chapter into another', () => {
    expect(violations(graph)).toEqual([]);
  });

  it('has no import cycles', () => {
    expect(cyclesOf(graph)).toEqual([]);
  });

  it('the check itself catches a machine that names a chapter, a kernel that uses the machine, and a chapter that uses another', () => {
    const f = (name: string) => join(ENGINE, name);
    const bad = graphOf(
      new Map([
        [f('machine/boot.ts'), "import { startNsd } from '../chapters/ch1/sim/nsd';"],
        [f('chapters/ch1/sim/nsd.ts'), "import type { X } from '../../ch2/tcp';"],
        [f('chapters/ch2/tcp.ts'), "export type X = 1;"],
        [f('kernel/oom.ts'), "import { scenarioOf } from '../machine/scenario';"],
        [f('machine/scenario.ts'), 'export const scenarioOf = 1;'],
        [f('game.ts'), "const c = require('./chapters/ch1') as unknown;"],
        [f('chapters/ch1/index.ts'), 'export {};'],
      ]),
      ENGINE,
    );
    expect(violations(bad)).toEqual([
      'engine/chapters/ch1/sim/nsd.ts -> engine/chapters/ch2/tcp.ts (chapter:ch1 -> chapter:ch2)',
      'engine/game.ts -> engine/chapters/ch1/index.ts (game -> chapter:ch1)',
      'engine/kernel/oom.ts -> engine/machine/scenario.ts (kernel -> machine)',
      'engine/machine/boot.ts -> engine/chapters/ch1/sim/nsd.ts (machine -> chapter:ch1)',
    ]);
  });
});
