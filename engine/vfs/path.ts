/** Absolute, canonical paths: the only form the VFS stores and compares. */

/** Resolves `p` against `cwd` and removes `.`, `..` and repeated slashes. `..` at `/` stays at `/`. */
export function normalizePath(p: string, cwd = '/'): string {
  const joined = p.startsWith('/') ? p : `${cwd}/${p}`;
  const out: string[] = [];
  for (const seg of joined.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return '/' + out.join('/');
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
