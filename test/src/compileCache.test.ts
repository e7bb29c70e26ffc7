import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_FILES_KEPT, CACHE_MAX_AGE_MS, cacheFileName, cachedDataFor, encodeCacheFile, foldersSearched, pruneCacheDir, readCacheFile, resolutionKey, userCacheDir } from '../../src/compileCache';
import { grimoire, requireBuild, ROOT, tempDir } from './cli.helpers';

/**
 * The compile cache may make a start faster and nothing else: it lives in the user's cache
 * folder, a module whose source changed never runs old code, and a damaged cache file is only
 * compiled over.
 */

describe('where the cache lives', () => {
  it('in XDG_CACHE_HOME when it is an absolute path, else in each platform’s cache folder under the home', () => {
    expect(userCacheDir({ XDG_CACHE_HOME: '/x/cache' }, 'linux')).toBe('/x/cache/grimoire');
    const home = require('node:os').homedir() as string;
    expect(userCacheDir({ XDG_CACHE_HOME: 'relative/cache' }, 'linux')).toBe(join(home, '.cache', 'grimoire'));
    expect(userCacheDir({}, 'linux')).toBe(join(home, '.cache', 'grimoire'));
    expect(userCacheDir({}, 'darwin')).toBe(join(home, 'Library', 'Caches', 'grimoire'));
    expect(userCacheDir({ LOCALAPPDATA: '/appdata' }, 'win32')).toBe(join('/appdata', 'grimoire', 'Cache'));
  });

  it('one file per install of the game, per node and per mode', () => {
    expect(cacheFileName('/a/grimoire')).not.toBe(cacheFileName('/b/grimoire'));
    expect(cacheFileName('/a/grimoire')).toBe(cacheFileName('/a/grimoire'));
    expect(cacheFileName('/a/grimoire', 'play')).not.toBe(cacheFileName('/a/grimoire', 'chapters'));
    expect(cacheFileName('/a/grimoire', 'play')).toMatch(new RegExp(`^compile-play-${process.version.replace(/\./g, '\\.')}-${process.arch}-[0-9a-f]{12}\\.bin$`));
    expect(cacheFileName('/a/grimoire', '../x')).toMatch(/^compile-___x-/);
  });
});

describe('the cache file', () => {
  const data = (text: string) => Buffer.from(text, 'latin1');
  const write = (bytes: Buffer) => {
    const file = join(tempDir('grimoire-cc-'), 'c.bin');
    writeFileSync(file, bytes);
    return file;
  };

  it('gives back each module’s data for the source it was made from, and nothing for another source', () => {
    const cache = readCacheFile(write(encodeCacheFile([['a.js', { source: 'SA', data: data('alpha') }], ['b.js', { source: 'SB', data: data('bravo!') }]])));
    expect(cachedDataFor(cache, 'a.js', 'SA')?.toString('latin1')).toBe('alpha');
    expect(cachedDataFor(cache, 'b.js', 'SB')?.toString('latin1')).toBe('bravo!');
    expect(cachedDataFor(cache, 'a.js', 'SB')).toBeUndefined();
    expect(cachedDataFor(cache, 'c.js', 'SA')).toBeUndefined();
    expect(cachedDataFor(cache, 'constructor', 'SA')).toBeUndefined();
  });

  it('reads each entry whole in any order, however far apart in the file, and none once closed', () => {
    // entries bigger than one read of the file, and small ones between them
    const big = (c: string) => Buffer.alloc(300 * 1024, c);
    const mods: [string, { source: string; data: Buffer }][] = [
      ['a.js', { source: 'SA', data: big('a') }],
      ['b.js', { source: 'SB', data: data('bravo') }],
      ['c.js', { source: 'SC', data: big('c') }],
      ['d.js', { source: 'SD', data: data('delta') }],
    ];
    const cache = readCacheFile(write(encodeCacheFile(mods)))!;
    for (const i of [3, 0, 2, 1, 3, 0]) {
      const [name, { source, data: want }] = mods[i]!;
      expect(cachedDataFor(cache, name, source)?.equals(want)).toBe(true);
    }
    cache.close();
    expect(cachedDataFor(cache, 'b.js', 'SB')).toBeUndefined();
  });

  it('a damaged entry is not used; the others still are', () => {
    const bytes = encodeCacheFile([['a.js', { source: 'SA', data: data('alpha') }], ['b.js', { source: 'SB', data: data('bravo!') }]]);
    const at = bytes.lastIndexOf(data('alpha'));
    bytes[at + 2] = 'X'.charCodeAt(0);
    const cache = readCacheFile(write(bytes));
    expect(cachedDataFor(cache, 'a.js', 'SA')).toBeUndefined();
    expect(cachedDataFor(cache, 'b.js', 'SB')?.toString('latin1')).toBe('bravo!');
  });

  it('a missing, foreign, cut short or garbled file reads as no cache', () => {
    const good = encodeCacheFile([['a.js', { source: 'SA', data: data('alpha') }]]);
    expect(readCacheFile(join(tempDir('grimoire-cc-'), 'none.bin'))).toBeNull();
    expect(readCacheFile(write(Buffer.from('{"not":"a cache"}')))).toBeNull();
    expect(readCacheFile(write(good.subarray(0, good.length - 3)))).toBeNull();
    expect(readCacheFile(write(good.subarray(0, 30)))).toBeNull();
    const garbled = Buffer.from(good);
    garbled[garbled.indexOf(data('"at"')) + 5] = '9'.charCodeAt(0);
    const cache = readCacheFile(write(garbled));
    expect(cache === null || cachedDataFor(cache, 'a.js', 'SA') === undefined).toBe(true);
  });
});

describe('a program that loads its modules through the cache (built code)', () => {
  /** a program under root/ that enables the cache and prints what its modules compute */
  function program(): { root: string; cache: string; run: (env?: Record<string, string>) => string } {
    requireBuild();
    const root = tempDir('grimoire-cc-root-');
    const cache = tempDir('grimoire-cc-home-');
    mkdirSync(join(root, 'lib'));
    writeFileSync(
      join(root, 'main.js'),
      `require(${JSON.stringify(join(ROOT, 'dist', 'src', 'compileCache.js'))}).enableCompileCache(__dirname);\n` +
        `process.stdout.write(String(require('./lib/answer').answer()) + ' ' + require('./lib/answer').where());\n`,
    );
    writeFileSync(join(root, 'lib', 'answer.js'), "exports.answer = () => 6 * 7;\nexports.where = () => new Error('here').stack.split('\\n')[1].trim();\n");
    const run = (env: Record<string, string> = {}) => {
      const r = spawnSync(process.execPath, [join(root, 'main.js')], { encoding: 'utf8', env: { ...process.env, GRIMOIRE_NO_COMPILE_CACHE: '', XDG_CACHE_HOME: cache, ...env } });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      return r.stdout;
    };
    return { root, cache, run };
  }
  const cacheFiles = (cache: string) => readdirSync(join(cache, 'grimoire')).map((f) => join(cache, 'grimoire', f));

  it('writes the cache on the first run, uses it unchanged after, and keeps file names and line numbers in errors', () => {
    const p = program();
    expect(p.run()).toMatch(/^42 at .*lib[\\/]answer\.js:2:/);
    const [file] = cacheFiles(p.cache);
    expect(readCacheFile(file!)?.entries).toHaveProperty(['lib/answer.js']);
    const written = statSync(file!).mtimeMs;
    expect(p.run()).toMatch(/^42 /);
    expect(statSync(file!).mtimeMs).toBe(written);
  });

  it('a module whose source changed runs its new code, even at the same length', () => {
    const p = program();
    p.run();
    const answer = join(p.root, 'lib', 'answer.js');
    const before = readFileSync(answer, 'utf8');
    const after = before.replace('6 * 7', '6 * 8');
    expect(after.length).toBe(before.length);
    writeFileSync(answer, after);
    expect(p.run()).toMatch(/^48 /);
  });

  it('a cache file with damaged data is compiled over, not run', () => {
    const p = program();
    p.run();
    const [file] = cacheFiles(p.cache);
    const bytes = readFileSync(file!);
    for (let i = bytes.length - 40; i < bytes.length; i++) bytes[i] = bytes[i]! ^ 0xff;
    writeFileSync(file!, bytes);
    expect(p.run()).toMatch(/^42 /);
    expect(cachedDataFor(readCacheFile(file!), 'lib/answer.js', readCacheFile(file!)!.entries['lib/answer.js']!.source)).toBeDefined();
  });

  it('GRIMOIRE_NO_COMPILE_CACHE=1 writes nothing', () => {
    const p = program();
    expect(p.run({ GRIMOIRE_NO_COMPILE_CACHE: '1' })).toMatch(/^42 /);
    expect(() => readdirSync(join(p.cache, 'grimoire'))).toThrow();
  });
});

describe('remembering where a relative require led', () => {
  it('remembers only the plain cases, with the folders node looked in', () => {
    expect(foldersSearched('/g/dist/engine/rng', '/g/dist/engine/rng.js')).toEqual(['/g/dist/engine']);
    expect(foldersSearched('/g/package.json', '/g/package.json')).toEqual(['/g']);
    expect(foldersSearched('/g/dist/engine/kernel/tcp', '/g/dist/engine/kernel/tcp/index.js')).toEqual(['/g/dist/engine/kernel', '/g/dist/engine/kernel/tcp']);
    // a package.json's main, or a link that led elsewhere
    expect(foldersSearched('/g/dist/pkg', '/g/dist/pkg/lib/main.js')).toBeNull();
    expect(foldersSearched('/g/dist/a', '/elsewhere/a.js')).toBeNull();
    expect(foldersSearched('/g/dist/a', '/g/dist/ab.js')).toBeNull();
  });

  /** root/main.js requires ./lib/answer, a folder with index.js; every folder last changed an hour ago */
  function program() {
    requireBuild();
    const root = tempDir('grimoire-rc-root-');
    const cache = tempDir('grimoire-rc-home-');
    mkdirSync(join(root, 'lib', 'answer'), { recursive: true });
    writeFileSync(join(root, 'main.js'), `require(${JSON.stringify(join(ROOT, 'dist', 'src', 'compileCache.js'))}).enableCompileCache(__dirname);\nprocess.stdout.write(String(require('./lib/answer').answer));\n`);
    writeFileSync(join(root, 'lib', 'answer', 'index.js'), 'exports.answer = 42;\n');
    writeFileSync(join(root, 'lib', 'other.js'), 'exports.answer = 7;\n');
    const settle = () => {
      const past = Date.now() / 1000 - 3600;
      for (const d of [root, join(root, 'lib'), join(root, 'lib', 'answer')]) utimesSync(d, past, past);
    };
    settle();
    const run = () => {
      const r = spawnSync(process.execPath, [join(root, 'main.js')], { encoding: 'utf8', env: { ...process.env, GRIMOIRE_NO_COMPILE_CACHE: '', XDG_CACHE_HOME: cache } });
      expect(r.stderr).toBe('');
      return r.stdout;
    };
    const cacheFile = () => join(cache, 'grimoire', readdirSync(join(cache, 'grimoire'))[0]!);
    return { root, run, settle, cacheFile };
  }
  const KEY = resolutionKey('', './lib/answer');

  it('is used while the folders are unchanged', () => {
    const p = program();
    expect(p.run()).toBe('42');
    const cache = readCacheFile(p.cacheFile())!;
    expect(cache.resolved[KEY]).toEqual({ target: 'lib/answer/index.js', dirs: [['lib', expect.any(Number)], ['lib/answer', expect.any(Number)]] });
    // pointed at another file, the memo is what the program follows
    const modules = Object.entries(cache.entries).map(([name, e]) => [name, { source: e.source, data: cachedDataFor(cache, name, e.source)! }] as [string, { source: string; data: Buffer }]);
    writeFileSync(p.cacheFile(), encodeCacheFile(modules, { ...cache.resolved, [KEY]: { ...cache.resolved[KEY]!, target: 'lib/other.js' } }));
    expect(p.run()).toBe('7');
  });

  it('a file added where node looks first is found, not the remembered one', () => {
    const p = program();
    expect(p.run()).toBe('42');
    expect(readCacheFile(p.cacheFile())!.resolved[KEY]?.target).toBe('lib/answer/index.js');
    // what tsc leaves when a folder module becomes a file: the old folder stays
    writeFileSync(join(p.root, 'lib', 'answer.js'), 'exports.answer = 48;\n');
    expect(p.run()).toBe('48');
  });

  it('a folder changed in the last moments is not remembered (its mtime may not show the next change)', () => {
    const p = program();
    utimesSync(join(p.root, 'lib'), new Date(), new Date());
    expect(p.run()).toBe('42');
    expect(readCacheFile(p.cacheFile())!.resolved[KEY]).toBeUndefined();
  });
});

describe('clearing up the cache folder', () => {
  const DAY = 86_400_000;
  const name = (i: number, mode = 'play') => `compile-${mode}-v20.1.0-x64-${i.toString(16).padStart(12, '0')}.bin`;
  /** a file last used `ago` ms before `now` */
  const put = (dir: string, file: string, now: number, ago: number) => {
    writeFileSync(join(dir, file), 'x');
    utimesSync(join(dir, file), (now - ago) / 1000, (now - ago) / 1000);
  };

  it('keeps the newest cache files and the one just written, removes the rest and the long unused, and touches nothing else', () => {
    const dir = tempDir('grimoire-cc-prune-');
    const now = Date.now();
    // the one just written, as a run would leave it (its times do not matter)
    put(dir, name(0), now, 400 * DAY);
    // cache files of other installs, one a minute apart, the newest first
    const others = Array.from({ length: CACHE_FILES_KEPT + 6 }, (_, i) => name(i + 1, i % 2 ? 'title' : 'play'));
    others.forEach((f, i) => put(dir, f, now, (i + 1) * 60_000));
    // recent enough to be among the newest, but unused for longer than a cache is kept
    put(dir, name(999), now, CACHE_MAX_AGE_MS + DAY);
    // what a run that died while writing leaves, long ago and just now
    put(dir, `${name(5)}.1234.tmp`, now, 2 * DAY);
    put(dir, `${name(6)}.5678.tmp`, now, 1000);
    // not ours, or not files: never removed, however old
    put(dir, 'notes.txt', now, 400 * DAY);
    put(dir, 'compile-play-v20.1.0-x64-zzz.bin', now, 400 * DAY);
    mkdirSync(join(dir, name(1000)));
    symlinkSync(join(dir, 'notes.txt'), join(dir, name(1001)));

    const removed = pruneCacheDir(dir, name(0), now);
    const left = readdirSync(dir).sort();
    const keptOthers = others.slice(0, CACHE_FILES_KEPT - 1);
    expect(left).toEqual(
      [name(0), ...keptOthers, `${name(6)}.5678.tmp`, 'notes.txt', 'compile-play-v20.1.0-x64-zzz.bin', name(1000), name(1001)].sort(),
    );
    expect(removed.sort()).toEqual([...others.slice(CACHE_FILES_KEPT - 1), name(999), `${name(5)}.1234.tmp`].sort());
  });

  it('a folder that is missing or unreadable is left as it is', () => {
    expect(pruneCacheDir(join(tempDir('grimoire-cc-prune-'), 'none'), name(0), Date.now())).toEqual([]);
  });

  it('a run that writes its cache clears out a cache file left by a node long gone, and nothing else', () => {
    const home = tempDir('grimoire-cc-cli-');
    const dir = join(home, 'grimoire');
    mkdirSync(dir);
    const now = Date.now();
    put(dir, 'compile-play-v20.0.0-x64-0123456789ab.bin', now, CACHE_MAX_AGE_MS + DAY);
    put(dir, 'mine.txt', now, CACHE_MAX_AGE_MS + DAY);
    // an unsolved chapter ends with status 1; the game itself ran
    expect(grimoire(['play', '1', '--seed', '3', '--script', '-'], 'uname -r\n', { XDG_CACHE_HOME: home, GRIMOIRE_NO_COMPILE_CACHE: '' }).stdout).toContain('3.16.0-30-generic');
    const left = readdirSync(dir);
    expect(left).toContain('mine.txt');
    expect(left).not.toContain('compile-play-v20.0.0-x64-0123456789ab.bin');
    expect(left.filter((f) => f.startsWith('compile-play-'))).toHaveLength(1);
  });
});

describe('the grimoire command', () => {
  it('keeps a cache for play in the user’s cache folder, and plays the same with it; the quick commands do without', () => {
    const home = tempDir('grimoire-cc-cli-');
    const env = { XDG_CACHE_HOME: home, GRIMOIRE_NO_COMPILE_CACHE: '' };
    for (const args of [['chapters'], ['--help'], ['--version'], ['play', '--help']]) expect(grimoire(args, '', env).status).toBe(0);
    expect(() => readdirSync(join(home, 'grimoire'))).toThrow();
    const plain = grimoire(['play', '1', '--seed', '3', '--script', '-'], 'uname -r\n', { GRIMOIRE_NO_COMPILE_CACHE: '1' });
    const cached = [1, 2].map(() => grimoire(['play', '1', '--seed', '3', '--script', '-'], 'uname -r\n', env));
    expect(readdirSync(join(home, 'grimoire'))).toEqual([expect.stringMatching(/^compile-play-/)]);
    for (const r of cached) {
      expect(r.stdout).toBe(plain.stdout);
      expect(r.status).toBe(plain.status);
    }
  });
});
