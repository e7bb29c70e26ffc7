/** Absolute, canonical paths: the only form the VFS stores and compares. */

/** Resolves `p` against `cwd` and removes `.`, `..` and repeated slashes. `..` at `/` stays at `/`. */
export function normalizePath(p: string, cwd = '/'): string {
  // nearly every path the engine passes is canonical already: the split and join cost more than the check
  if (isCanonical(p)) return p;
  const joined = p.startsWith('/') ? p : `${cwd}/${p}`;
  const out: string[] = [];
  for (const seg of joined.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return '/' + out.join('/');
}

/** absolute, with no empty, `.` or `..` segment and no slash at the end (but `/` itself) */
function isCanonical(p: string): boolean {
  const n = p.length;
  if (n === 0 || p.charCodeAt(0) !== 47) return false;
  if (n === 1) return true;
  let from = 1;
  for (let i = 1; i <= n; i++) {
    if (i < n && p.charCodeAt(i) !== 47) continue;
    const len = i - from;
    if (len === 0) return false;
    if (p.charCodeAt(from) === 46 && (len === 1 || (len === 2 && p.charCodeAt(from + 1) === 46))) return false;
    from = i + 1;
  }
  return true;
}

export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export function baseName(path: string): string {
  if (path === '/') return '/';
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

export function joinPath(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

/** Every proper ancestor of an absolute canonical path, outermost first: /a/b/c → /, /a, /a/b. */
export function ancestorsOf(path: string): string[] {
  if (path === '/') return [];
  const segs = path.split('/').filter(Boolean);
  const out = ['/'];
  for (let i = 1; i < segs.length; i++) out.push('/' + segs.slice(0, i).join('/'));
  return out;
}
