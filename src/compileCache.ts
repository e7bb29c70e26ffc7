import { hash } from 'node:crypto';
import { closeSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { Script } from 'node:vm';

/**
 * A V8 code cache for the game's own JavaScript and its CommonJS packages, and a memo of where
 * their relative require()s led.
 *
 * Compiling our few hundred modules takes about as long again as node takes to start, and a new
 * game then compiles most of the engine's functions lazily while it builds the world. Node 22
 * caches that compiled code itself (module.enableCompileCache); Node 20 does not, so here the
 * CommonJS loader's compile step is replaced by one that hands V8 the code it produced last
 * time. The cache is written when the process exits, after the run has compiled what it uses,
 * so it holds the lazily compiled functions too, not only each module's top level.
 *
 * Safety: an entry is used only for the exact source it was made from (a SHA-1 of the text, as
 * V8 itself checks no more than the length) and only if its data has the checksum it was
 * written with (V8 accepts damaged cached data without a word, in release builds); any problem
 * reading or writing the cache only means compiling as usual. It lives in the user's cache folder, never in the
 * game's folder; a run that writes its file clears out the files of installs and nodes that are
 * gone (pruneCacheDir). GRIMOIRE_NO_COMPILE_CACHE=1 turns it off.
 *
 * Finding the file a require() names costs as much again as compiling it from the cache: node
 * tries the name as given, then with each extension, then as a folder, and reads every
 * package.json on the way up. So a relative require from the game's files is remembered with
 * where it led, and taken from the memo while the folders node would have looked in are
 * unchanged (their mtimes: adding, removing or renaming a file there changes them).
 */

const MAGIC = 'grimoire-compile-cache 2\n';

interface Entry {
  /** SHA-1 of the module's source, base64 */
  source: string;
  /** SHA-1 of its cached data, base64: checked when the entry is used, so a run pays for what it loads */
  check: string;
  /** where its cached data lies in the blob */
  at: number;
  length: number;
}

/** Where a relative require led, and the folders node looked in for it, each with its mtime then. */
export interface Resolution {
  target: string;
  dirs: [string, number][];
}

interface CacheFile {
  /**
   * The cached data at [at, at + length) of the blob, read from the file when a module asks for
   * it (null if it cannot be read whole). A run loads a few dozen of the hundreds of modules a
   * cache holds, and reading all of it took longer than starting node: a returning player's cache
   * holds everything a game loaded, several MB.
   */
  slice(at: number, length: number): Buffer | null;
  /** lets go of the open file */
  close(): void;
  entries: Record<string, Entry>;
  /** by resolutionKey */
  resolved: Record<string, Resolution>;
}

/** The folder the user's caches go in, by each platform's custom; null when there is no home. */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | null {
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)) return path.join(env.XDG_CACHE_HOME, 'grimoire');
  let home: string;
  try {
    home = homedir();
  } catch {
    return null;
  }
  if (!home) return null;
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'grimoire');
  if (platform === 'win32') return path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'grimoire', 'Cache');
  return path.join(home, '.cache', 'grimoire');
}

/**
 * The cache file for this install of the game on this node, for one way of running it: cached
 * code is only valid for the V8 that made it (and the same V8 flags), two copies of the game must
 * not take turns replacing each other's cache, and a quick command (`--help`) should not read
 * what a new game compiled.
 */
export function cacheFileName(root: string, mode = 'all'): string {
  const key = [process.version, process.arch, process.versions.v8, root, ...process.execArgv].join('\0');
  return `compile-${mode.replace(/[^a-z0-9-]/gi, '_')}-${process.version}-${process.arch}-${hash('sha1', key, 'hex').slice(0, 12)}.bin`;
}

/** Reads a cache file's index (its data is read as modules ask for it); null when it is missing, from another format, or its index is damaged. */
export function readCacheFile(file: string): CacheFile | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const cache = readIndex(fd);
    if (cache) return cache;
  } catch {
    // unreadable: as if there were none
  }
  closeSync(fd);
  return null;
}

/** how much of the blob one read takes in (see CacheFile.slice) */
const READ_WINDOW = 256 * 1024;

/** MAGIC, the index's length as 10 digits and a newline, the index (JSON), then the blob */
function readIndex(fd: number): CacheFile | null {
  const head = MAGIC.length;
  const size = fstatSync(fd).size;
  const start = Buffer.alloc(head + 11);
  if (size < head + 11 || readSync(fd, start, 0, start.length, 0) !== start.length || start.toString('latin1', 0, head) !== MAGIC) return null;
  const indexLength = Number(start.toString('latin1', head, head + 10));
  if (!Number.isSafeInteger(indexLength) || head + 11 + indexLength > size) return null;
  const indexBytes = Buffer.alloc(indexLength);
  if (readSync(fd, indexBytes, 0, indexLength, head + 11) !== indexLength) return null;
  const { entries, resolved } = JSON.parse(indexBytes.toString('utf8')) as { entries: Record<string, Entry>; resolved: Record<string, Resolution> };
  const blobAt = head + 11 + indexLength;
  const blobLength = size - blobAt;
  for (const e of Object.values(entries)) {
    if (!(Number.isSafeInteger(e.at) && Number.isSafeInteger(e.length) && e.at >= 0 && e.length > 0 && e.at + e.length <= blobLength)) return null;
    if (typeof e.source !== 'string' || typeof e.check !== 'string') return null;
  }
  for (const r of Object.values(resolved)) {
    if (typeof r.target !== 'string' || !Array.isArray(r.dirs) || !r.dirs.every((d) => Array.isArray(d) && typeof d[0] === 'string' && typeof d[1] === 'number')) return null;
  }
  let open = true;
  // the blob read a window at a time: modules are stored in the order the last run loaded them,
  // so a run that loads the same ones reads a few windows in order, and the title screen one
  let window = Buffer.alloc(0);
  let windowAt = 0;
  return {
    entries,
    resolved,
    slice(at, length) {
      if (!open) return null;
      if (at < windowAt || at + length > windowAt + window.length) {
        const want = Math.min(Math.max(length, READ_WINDOW), blobLength - at);
        const bytes = Buffer.allocUnsafe(want);
        try {
          if (readSync(fd, bytes, 0, want, blobAt + at) !== want) return null;
        } catch {
          return null;
        }
        window = bytes;
        windowAt = at;
      }
      return window.subarray(at - windowAt, at - windowAt + length);
    },
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}

/** The cached data for a module with this source (its SHA-1), or undefined if there is none or it is damaged. */
export function cachedDataFor(cache: CacheFile | null, name: string, source: string): Buffer | undefined {
  const e = cache && Object.hasOwn(cache.entries, name) ? cache.entries[name]! : undefined;
  if (!e || e.source !== source) return undefined;
  const data = cache!.slice(e.at, e.length);
  return data && hash('sha1', data, 'base64') === e.check ? data : undefined;
}

/** The bytes of a cache file holding these modules' cached data, and these resolutions. */
export function encodeCacheFile(modules: Iterable<[string, { source: string; data: Buffer }]>, resolved: Record<string, Resolution> = {}): Buffer {
  const entries: Record<string, Entry> = {};
  const parts: Buffer[] = [];
  let at = 0;
  for (const [name, { source, data }] of modules) {
    entries[name] = { source, check: hash('sha1', data, 'base64'), at, length: data.length };
    parts.push(data);
    at += data.length;
  }
  const index = Buffer.from(JSON.stringify({ entries, resolved }), 'utf8');
  return Buffer.concat([Buffer.from(`${MAGIC}${String(index.length).padStart(10, '0')}\n`, 'latin1'), index, ...parts]);
}

/**
 * Writes the file whole or not at all: a temporary file of our own, then a rename over the old
 * one. No fsync: a cache lost or torn by a crash fails its checksum and is made again.
 */
function writeAtomically(file: string, bytes: Buffer): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, bytes);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was left behind
    }
    throw err;
  }
}

/** every name cacheFileName gives, and the temporary files writeAtomically makes of them */
const CACHE_FILE = /^compile-[A-Za-z0-9_-]+-v\d+\.\d+\.\d+-[A-Za-z0-9_]+-[0-9a-f]{12}\.bin$/;
const CACHE_TEMP = new RegExp(`${CACHE_FILE.source.slice(0, -1)}\\.\\d+\\.tmp$`);
/** cache files kept in the folder, the newest first: a few installs, each with its modes */
export const CACHE_FILES_KEPT = 24;
/** a cache file not used (read, with relatime, or written) for this long belongs to an install that is gone, or an old node */
export const CACHE_MAX_AGE_MS = 60 * 86_400_000;
/** a temporary file this old was left by a run that died while writing */
const TEMP_MAX_AGE_MS = 3_600_000;

/**
 * Removes the cache files nothing will use again, once a run has written its own (`kept`):
 * every install and every node version leaves one per mode, and a folder of old clones grows
 * without end. Only names this module gives are looked at, and only regular files are removed;
 * a file that cannot be looked at or removed is left.
 */
export function pruneCacheDir(dir: string, kept: string, now: number): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const files: { name: string; used: number }[] = [];
  const removed: string[] = [];
  const remove = (name: string): void => {
    try {
      unlinkSync(path.join(dir, name));
      removed.push(name);
    } catch {
      // someone else's to clear up, or already gone
    }
  };
  for (const name of names) {
    const temp = CACHE_TEMP.test(name);
    if (name === kept || !(temp || CACHE_FILE.test(name))) continue;
    let used: number;
    try {
      const st = lstatSync(path.join(dir, name));
      if (!st.isFile()) continue;
      used = Math.max(st.mtimeMs, st.atimeMs);
    } catch {
      continue;
    }
    if (temp) {
      if (now - used > TEMP_MAX_AGE_MS) remove(name);
    } else files.push({ name, used });
  }
  files.sort((a, b) => b.used - a.used || (a.name < b.name ? -1 : 1));
  // the file just written is one of the kept
  files.forEach((f, i) => {
    if (i >= CACHE_FILES_KEPT - 1 || now - f.used > CACHE_MAX_AGE_MS) remove(f.name);
  });
  return removed;
}

/** The memo's key for a relative request made by a module in `fromDir` (relative to the game's folder). */
export function resolutionKey(fromDir: string, request: string): string {
  return `${fromDir}\0${request}`;
}

/**
 * The folders node looks in to resolve `base` (a relative request, made absolute) to `target`,
 * when `target` is one of the plain cases: `base` itself, `base` with .js, .json or .node, or
 * `base`/index.js. Null otherwise (a package.json's main, a link): such a require is not remembered.
 */
export function foldersSearched(base: string, target: string): string[] | null {
  const dir = path.dirname(base);
  if (target === base || ['.js', '.json', '.node'].some((ext) => target === base + ext)) return [dir];
  if (target === path.join(base, 'index.js')) return [dir, base];
  return null;
}

/** A folder's mtime when it was seen within the last two seconds may not tell the next change from the last one. */
const RACY_MS = 2000;

/** The parts of node's CommonJS loader this replaces or calls (node:module types omit them). */
interface CjsModule {
  exports: unknown;
  filename: string;
  require(id: string): unknown;
  _compile(content: string, filename: string, format?: string): unknown;
}
interface CjsLoader {
  prototype: CjsModule;
  wrap(source: string): string;
  _resolveFilename(request: string, parent: CjsModule | undefined, isMain: boolean, options?: unknown): string;
  _cache: unknown;
  _extensions: Record<string, (module: CjsModule, filename: string) => unknown>;
}

let enabled = false;

/**
 * Compiles every CommonJS module under `root` loaded from now on with the cached code, and
 * writes the cache at exit when this run compiled something it did not have. Returns whether the
 * cache is on. Modules that use import() keep node's own compiler (vm.Script would need a loader
 * of its own for them); so do ES modules. `mode` names the way the game runs (each has a cache
 * file of its own, holding what that way loads).
 */
export function enableCompileCache(root: string, opts: { mode?: string; env?: NodeJS.ProcessEnv } = {}): boolean {
  const env = opts.env ?? process.env;
  if (enabled || env.GRIMOIRE_NO_COMPILE_CACHE) return enabled;
  const dir = userCacheDir(env);
  if (!dir) return false;
  const Module = require('node:module') as CjsLoader & { enableCompileCache?: (dir: string) => unknown };
  enabled = true;
  // node 22.1 and later keep such a cache themselves
  if (typeof Module.enableCompileCache === 'function') {
    Module.enableCompileCache(path.join(dir, 'node'));
    return true;
  }
  const file = path.join(dir, cacheFileName(root, opts.mode));
  const cache = readCacheFile(file);
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  const top = prefix.slice(0, -1);
  const compiled = new Map<string, { source: string; script: Script }>();
  let stale = false;
  const original = Module.prototype._compile;

  const relative = (abs: string): string | null => (abs === top ? '' : abs.startsWith(prefix) ? abs.slice(prefix.length) : null);
  const resolved: Record<string, Resolution> = { ...cache?.resolved };
  let learned = false;
  const mtimes = new Map<string, number | null>();
  const mtimeOf = (folder: string): number | null => {
    if (!mtimes.has(folder)) {
      let m: number | null = null;
      try {
        m = statSync(folder).mtimeMs;
      } catch {
        // gone: nothing remembered about it holds
      }
      mtimes.set(folder, m);
    }
    return mtimes.get(folder)!;
  };
  const originalResolve = Module._resolveFilename;
  Module._resolveFilename = function resolveFromMemo(this: unknown, request: string, parent: CjsModule | undefined, isMain: boolean, options?: unknown): string {
    const from = parent?.filename ? relative(path.dirname(parent.filename)) : null;
    if (from === null || options !== undefined || !(request.startsWith('./') || request.startsWith('../')) || request.endsWith('/')) {
      return originalResolve.call(this, request, parent, isMain, options);
    }
    const key = resolutionKey(from, request);
    const known = Object.hasOwn(resolved, key) ? resolved[key]! : undefined;
    if (known && known.dirs.every(([d, m]) => mtimeOf(d === '' ? top : prefix + d) === m)) return prefix + known.target;
    const target = originalResolve.call(this, request, parent, isMain, options);
    const rel = relative(target);
    const folders = rel === null ? null : foldersSearched(path.resolve(path.dirname(parent!.filename), request), target);
    const stamped = (folders ?? []).map((f) => [relative(f), mtimeOf(f)] as const);
    const settled = Date.now() - RACY_MS;
    if (folders && stamped.every(([d, m]) => d !== null && m !== null && m < settled)) {
      resolved[key] = { target: rel!, dirs: stamped as [string, number][] };
      learned = true;
    }
    return target;
  };

  // node reads every package.json above a .js file it loads to see whether it is an ES module; the
  // game's own files (not its packages) are CommonJS unless its package.json says otherwise
  const originalJs = Module._extensions['.js'];
  let ownType: unknown = 'module';
  try {
    ownType = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { type?: unknown }).type;
  } catch {
    // no package.json to go by: node's own loader decides
  }
  if (originalJs && ownType !== 'module') {
    const packages = `${path.sep}node_modules${path.sep}`;
    Module._extensions['.js'] = function loadOwnJs(this: unknown, module: CjsModule, filename: string) {
      if (!filename.startsWith(prefix) || filename.includes(packages, top.length)) return originalJs.call(this, module, filename);
      return module._compile(readFileSync(filename, 'utf8'), filename);
    };
  }

  Module.prototype._compile = function compileFromCache(this: CjsModule, content: string, filename: string, format?: string) {
    if ((format !== undefined && format !== 'commonjs') || !filename.startsWith(prefix) || content.includes('import(')) {
      return original.call(this, content, filename, format);
    }
    // node strips a #! line the same way: it stays a line, so line numbers hold
    const text = content.startsWith('#!') ? '//' + content.slice(2) : content;
    const name = filename.slice(prefix.length);
    const source = hash('sha1', text, 'base64');
    const cachedData = cachedDataFor(cache, name, source);
    const script = new Script(Module.wrap(text), { filename, cachedData });
    if (!cachedData || script.cachedDataRejected) stale = true;
    compiled.set(name, { source, script });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    const mod = this;
    const req = Object.assign((id: string) => mod.require(id), {
      resolve: Object.assign((request: string, options?: unknown) => Module._resolveFilename(request, mod, false, options), {
        paths: (request: string) => (require('node:module') as { _resolveLookupPaths?: (r: string, m: CjsModule) => string[] | null })._resolveLookupPaths?.(request, mod) ?? null,
      }),
      main: require.main,
      cache: Module._cache,
      extensions: Module._extensions,
    });
    return wrapper.call(mod.exports, mod.exports, req, mod, filename, path.dirname(filename));
  };

  process.once('exit', () => {
    Module.prototype._compile = original;
    if (!stale && !learned) {
      cache?.close();
      return;
    }
    try {
      // in the order this run loaded them (the next run reads the blob in that order), then what
      // other runs cached and this one did not load (the rest of a game started from the title)
      const modules = new Map<string, { source: string; data: Buffer }>();
      for (const [name, { source, script }] of compiled) modules.set(name, { source, data: script.createCachedData() });
      for (const [name, e] of Object.entries(cache?.entries ?? {})) {
        const data = modules.has(name) ? undefined : cachedDataFor(cache, name, e.source);
        if (data) modules.set(name, { source: e.source, data });
      }
      cache?.close();
      writeAtomically(file, encodeCacheFile(modules, resolved));
      pruneCacheDir(dir, path.basename(file), Date.now());
    } catch {
      // no cache this time: the next run compiles as usual
    } finally {
      cache?.close();
    }
  });
  return true;
}
