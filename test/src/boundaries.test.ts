import { join } from 'node:path';
import { ENGINE, importsOf, isInside, readSource, rel, resolveSpecifier, SRC, sourceFiles } from './imports';

/**
 * Front ends talk to the engine through its facade, engine/index.ts, and nothing else: what the
 * engine keeps behind it can move without breaking the terminal, script mode or saves.
 */
const FACADE = join(ENGINE, 'index');

/** The engine paths (other than the facade) that `file` imports, as "file -> specifier" lines. */
function engineImportsPastTheFacade(file: string, source: string): string[] {
  return importsOf(source, file)
    .filter((spec) => {
      const target = resolveSpecifier(file, spec);
      if (target === null || !isInside(ENGINE, target)) return false;
      return target !== FACADE && target !== ENGINE; // `../engine` loads engine/index.ts too
    })
    .map((spec) => `${rel(file)} -> ${spec}`);
}

describe('src/ imports the engine only through engine/index', () => {
  const files = sourceFiles(SRC);

  it('finds the front-end sources', () => {
    expect(files.length).toBeGreaterThan(10);
    expect(files.map(rel)).toEqual(expect.arrayContaining(['src/cli.ts', 'src/terminal/render.ts', 'src/saves/envelope.ts']));
  });

  it('every import of an engine module names engine/index', () => {
    const offenders = files.flatMap((f) => engineImportsPastTheFacade(f, readSource(f)));
    expect(offenders).toEqual([]);
  });

  it('src/ does use the facade (the check is looking at real imports)', () => {
    const users = files.filter((f) => importsOf(readSource(f), f).some((s) => resolveSpecifier(f, s) === FACADE));
    expect(users.length).toBeGreaterThan(3);
  });

  it('the check itself catches every form of import that goes past the facade', () => {
    const file = join(SRC, 'terminal', 'example.ts');
    const bad = [
      "import type { OutputBlock } from '../../engine/types';",
      "import { Game } from '../../engine/game.js';",
      "export { listChapters } from '../../engine/chapters/registry';",
      "const r = require('../../engine/chapters/registry') as typeof import('../../engine/chapters/registry');",
      "const later = () => import('../../engine/api');",
      "import api = require('../../engine/api');",
      "type T = typeof import('../../engine/rng');",
      "import '../terminal/../../engine/shell/index';",
    ].join('\n');
    expect(engineImportsPastTheFacade(file, bad)).toEqual(
      [
        '../../engine/types',
        '../../engine/game.js',
        '../../engine/chapters/registry',
        '../../engine/chapters/registry',
        '../../engine/chapters/registry',
        '../../engine/api',
        '../../engine/api',
        '../../engine/rng',
        '../terminal/../../engine/shell/index',
      ].map((spec) => `src/terminal/example.ts -> ${spec}`),
    );
  });

  it('the check lets the facade, other src modules, packages and look-alikes through', () => {
    const file = join(SRC, 'terminal', 'example.ts');
    const fine = [
      "import type { OutputBlock } from '../../engine/index';",
      "import { createGame } from '../../engine/index.js';",
      "const e = require('../../engine') as typeof import('../../engine');",
      "import { plainColors } from './render';",
      "import { Command } from 'commander';",
      "import { readFileSync } from 'node:fs';",
      "import { x } from '../../engineering/notes';",
      "// import { Game } from '../../engine/game';",
      "const s = \"require('../../engine/game')\";",
    ].join('\n');
    expect(engineImportsPastTheFacade(file, fine)).toEqual([]);
  });
});
