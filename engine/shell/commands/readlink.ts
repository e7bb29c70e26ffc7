import type { CommandContext, Errno, FsResult } from '../types';
import { Out, ok } from '../io';
import { getopt, has } from '../getopt';
import { errnoMessage } from '../../vfs/errno';
import { normalizePath } from '../../vfs/path';
import { absPath, tryHelp } from './util';
import { defineCommand } from './define';
import { linkOps, type LinkOps } from './fileops';

/** glibc's MAXSYMLINKS on Linux: links one lookup follows before ELOOP */
const MAX_SYMLINKS = 40;

type Mode = 'existing' | 'all-but-last' | 'missing';

/**
 * gnulib's canonicalize_filename_mode: every link on the way replaced by what it names, `.` and
 * `..` taken as the kernel takes them (after the link before them). With 'all-but-last' only the
 * last component may be missing, with 'missing' any may be, with 'existing' none.
 */
export function canonicalize(links: LinkOps, user: string, path: string, mode: Mode): FsResult<string> {
  const todo = path.split('/').filter(Boolean);
  let cur: string[] = [];
  let followed = 0;
  while (todo.length) {
    const name = todo.shift()!;
    if (name === '.') continue;
    if (name === '..') {
      cur.pop();
      continue;
    }
    const here = '/' + [...cur, name].join('/');
    const st = links.lstat(here, user);
    if (!st.ok) {
      const lastOne = todo.length === 0;
      if (st.errno === 'ENOENT' && (mode === 'missing' || (mode === 'all-but-last' && lastOne))) {
        cur.push(name);
        continue;
      }
      return st;
    }
    if (st.value.type === 'link') {
      if (++followed > MAX_SYMLINKS) return { ok: false, errno: 'ELOOP' };
      const target = st.value.target ?? '';
      if (target.startsWith('/')) cur = [];
      todo.unshift(...target.split('/').filter(Boolean));
      continue;
    }
    if (st.value.type !== 'dir' && todo.length > 0 && mode !== 'missing') return { ok: false, errno: 'ENOTDIR' };
    cur.push(name);
  }
  return { ok: true, value: normalizePath('/' + cur.join('/')) };
}

export const readlink = defineCommand({
  name: 'readlink',
  summary: 'print resolved symbolic links or canonical file names',
  category: 'files',
  argKind: 'path',
  completions: ['-f', '-e', '-m', '-n', '-v'],
  synopsis: ['readlink [-f|-e|-m] [-n] [-v] FILE...'],
  description: [
    'Prints the target of each symbolic link FILE, as it is stored in the link (a relative target stays relative). A FILE that is not a link prints nothing and makes the exit status 1.',
    'With -f, prints the whole path with every link in it followed, the way the kernel would walk it.',
  ],
  options: [
    ['-f', 'Canonicalize: follow every link in every component; all but the last must exist.'],
    ['-e', 'Canonicalize; every component must exist.'],
    ['-m', 'Canonicalize; nothing need exist.'],
    ['-n', 'No newline after the name.'],
    ['-v', 'Say why a FILE could not be read.'],
  ],
  examples: [
    ['readlink /data/db/journal', 'Where the link leads, as written in it.'],
    ['readlink -f /data/db/journal/lsn', 'The real path of a file reached through a link.'],
  ],
  run(ctx) {
    const p = getopt('readlink', ctx.argv.slice(1), [
      { key: 'e', short: 'e', long: 'canonicalize-existing' },
      { key: 'f', short: 'f', long: 'canonicalize' },
      { key: 'm', short: 'm', long: 'canonicalize-missing' },
      { key: 'n', short: 'n', long: 'no-newline' },
      { key: 'q', short: 'q', long: 'quiet' },
      { key: 'q', short: 's', long: 'silent' },
      { key: 'v', short: 'v', long: 'verbose' },
      { key: 'z', short: 'z', long: 'zero' },
    ], { builtinHelp: true });
    if (p.help) return ok('Usage: readlink [OPTION]... FILE...\nPrint value of a symbolic link or canonical file name\n');
    if (p.error !== undefined) return tryHelp('readlink', p.error);
    if (p.operands.length === 0) return tryHelp('readlink', 'readlink: missing operand');
    const out = new Out();
    let noNewline = has(p.opts, 'n');
    if (p.operands.length > 1 && noNewline) {
      out.errLine('readlink: ignoring --no-newline with multiple arguments');
      noNewline = false;
    }
    // the last of -e, -f, -m wins; -q and -v likewise
    const canon = p.opts.filter((o) => o.key === 'e' || o.key === 'f' || o.key === 'm').pop()?.key;
    const mode: Mode | undefined = canon === 'e' ? 'existing' : canon === 'f' ? 'all-but-last' : canon === 'm' ? 'missing' : undefined;
    const verbose = p.opts.filter((o) => o.key === 'q' || o.key === 'v').pop()?.key === 'v';
    const end = noNewline ? '' : has(p.opts, 'z') ? '\0' : '\n';
    const links = linkOps(ctx);
    let code = 0;
    for (const name of p.operands) {
      const r = resolve(ctx, links, name, mode);
      if (r.ok) out.out(r.value + end);
      else {
        code = 1;
        if (verbose) out.errLine(`readlink: ${name}: ${errnoMessage(r.errno)}`);
      }
    }
    return out.done(code);
  },
});

function resolve(ctx: CommandContext, links: LinkOps | undefined, name: string, mode: Mode | undefined): FsResult<string> {
  const path = absPath(ctx, name);
  if (mode) {
    if (links) return canonicalize(links, ctx.user, path, mode);
    // no links at all: the path itself, when it exists as the mode requires
    const st = ctx.env.fs.stat(path);
    return st.ok || mode === 'missing' || (mode === 'all-but-last' && ctx.env.fs.stat(normalizePath(path + '/..')).ok) ? { ok: true, value: path } : fail(st.ok ? 'ENOENT' : st.errno);
  }
  if (!links) {
    const st = ctx.env.fs.stat(path);
    return fail(st.ok ? 'EINVAL' : st.errno);
  }
  // a trailing slash makes the kernel follow the link, so readlink("LINK/") is EINVAL
  if (/\/$/.test(name)) {
    const st = ctx.env.fs.stat(path);
    return fail(st.ok ? 'EINVAL' : st.errno);
  }
  return links.readlink(path, ctx.user);
}

const fail = (errno: Errno): FsResult<string> => ({ ok: false, errno });
