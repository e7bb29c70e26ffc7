import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, requireBuild, ROOT } from './cli.helpers';

/**
 * node's options for the game (a young generation capped at 2 MB: a new game's history touches
 * less fresh memory) are given in two places a player starts it from: the CLI's first line, which
 * `grimoire` runs through, and `npm start`. The bench reads the first line; the two must agree.
 */
const firstLine = (file: string): string => readFileSync(file, 'utf8').split('\n', 1)[0]!;
const shebangFlags = (line: string): string[] => {
  const m = /^#!\/usr\/bin\/env -S node((?: --?[\w-]+(?:=\S+)?)*)$/.exec(line);
  if (!m) throw new Error(`not a '#!/usr/bin/env -S node ...' line: ${line}`);
  return m[1]!.trim().split(/\s+/).filter(Boolean);
};

describe('how the CLI is launched', () => {
  beforeAll(requireBuild);

  it('gives node the same options from its first line, once built, and from npm start', () => {
    const source = shebangFlags(firstLine(join(ROOT, 'src', 'cli.ts')));
    expect(source.length).toBeGreaterThan(0);
    expect(shebangFlags(firstLine(CLI))).toEqual(source);
    const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/);
    expect(start[0]).toBe('node');
    expect(start[start.length - 1]).toBe('dist/src/cli.js');
    expect(start.slice(1, -1)).toEqual(source);
  });

  it('starts through its first line as a shell would, with options this node accepts', () => {
    const line = firstLine(CLI).slice(2);
    const r = spawnSync('sh', ['-c', `${line} "$0" --version`, CLI], { encoding: 'utf8', env: { ...process.env, PATH: `${join(process.execPath, '..')}:${process.env.PATH ?? ''}` } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
