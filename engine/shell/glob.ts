import { bracketToRe } from './bracket';
import { linearFromSource } from './regex';

/**
 * Pathname expansion (`*.log`, `/proc/[0-9]*`) over the simulated filesystem. Patterns arrive
 * with quoted metacharacters already escaped by a backslash.
 */

interface GlobFs {
  /** names in a directory, or null when it cannot be read */
  list(absDir: string): string[] | null;
  exists(absPath: string): boolean;
}

export function hasGlobChars(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '*' || c === '?' || c === '[') return true;
  }
  return false;
}

function unescapeGlob(pattern: string): string {
  return pattern.replace(/\\(.)/g, '$1');
}

/** Matches of `pattern` relative to `cwd`, in the given order; [] when nothing matches. */
export function glob(pattern: string, cwd: string, fs: GlobFs, order: (a: string, b: string) => number, max: number): string[] {
  const absolute = pattern.startsWith('/');
  const comps = pattern.split('/').filter((c, i) => c !== '' || i === 0);
  let paths: string[] = [absolute ? '/' : ''];
  const trailingSlash = pattern.endsWith('/');
  for (const comp of comps) {
    if (comp === '') continue;
    const next: string[] = [];
    for (const base of paths) {
      const shown = (name: string) => (base === '' ? name : base.endsWith('/') ? base + name : `${base}/${name}`);
      if (!hasGlobChars(comp)) {
        next.push(shown(unescapeGlob(comp)));
        continue;
      }
      const dir = toAbs(base === '' ? '.' : base, cwd);
      const names = fs.list(dir);
      if (!names) continue;
      const re = fnmatcher(comp);
      const dotOk = comp.startsWith('.') || comp.startsWith('\\.');
      for (const n of [...names].sort(order)) {
        if (!dotOk && n.startsWith('.')) continue;
        if (re.test(n)) next.push(shown(n));
      }
      if (next.length > max) break;
    }
    paths = next;
    if (paths.length === 0) return [];
  }
  const out = paths.filter((p) => fs.exists(toAbs(p, cwd))).map((p) => (trailingSlash ? p + '/' : p));
  return out.slice(0, max);
}

function toAbs(p: string, cwd: string): string {
  return p.startsWith('/') ? p : cwd === '/' ? `/${p}` : `${cwd}/${p}`;
}

/**
 * fnmatch(3) of a whole string against a shell pattern (a glob's path component, find's -name).
 * Without `slash`, as in pathname expansion, a wildcard never matches '/'; find's -path and -name
 * call fnmatch without FNM_PATHNAME, so there one does. `ignoreCase` is FNM_CASEFOLD (-iname).
 * It runs on re2js, in time linear in the name: `*a*a*a*a*b` against a long name of a's would make
 * a backtracking engine crawl.
 */
export function fnmatcher(pat: string, opts: { slash?: boolean; ignoreCase?: boolean } = {}): { test(name: string): boolean } {
  const any = opts.slash ? '(?s:.)' : '[^/]';
  let re = '^';
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i];
    if (c === '\\' && i + 1 < pat.length) {
      re += escapeRe(pat[++i]);
    } else if (c === '*') re += `${any}*`;
    else if (c === '?') re += any;
    else if (c === '[') {
      const end = findClassEnd(pat, i);
      if (end < 0) re += '\\[';
      else {
        re += bracketToRe(pat.slice(i + 1, end));
        i = end;
      }
    } else re += escapeRe(c);
  }
  const linear = linearFromSource(re + '$', opts.ignoreCase === true);
  if (linear) return linear;
  // a class re2 refuses (never seen): match the pattern as plain text
  const plain = unescapeGlob(pat);
  return { test: (name) => name === plain };
}

function findClassEnd(pat: string, start: number): number {
  let i = start + 1;
  if (pat[i] === '!' || pat[i] === '^') i++;
  if (pat[i] === ']') i++;
  for (; i < pat.length; i++) {
    if (pat[i] === '[' && pat[i + 1] === ':') {
      const close = pat.indexOf(':]', i + 2);
      if (close > 0) i = close + 1;
    } else if (pat[i] === ']') return i;
  }
  return -1;
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
