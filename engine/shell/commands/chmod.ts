import type { CommandContext, FsStat } from '../types';
import { Out, failure, ok } from '../io';
import { errnoMessage } from '../../vfs/errno';
import { absPath, tryHelp } from './util';
import { defineCommand } from './define';
import { NO_TREE_OPS, joinPath, linkOps, loginUmask, q, treeOps, type TreeOps } from './fileops';
import { adjustMode, compileMode, permissionString, type ModeChange } from './modeChange';

interface Options {
  recursive: boolean;
  /** 0 quiet, 1 changes (-c), 2 verbose (-v) */
  verbosity: 0 | 1 | 2;
  silent: boolean;
  preserveRoot: boolean;
  /** a mode given as an option (`chmod -w`): its umask surprises are told */
  diagnoseSurprises: boolean;
}

const USAGE =
  'Usage: chmod [OPTION]... MODE[,MODE]... FILE...\n' +
  '  or:  chmod [OPTION]... OCTAL-MODE FILE...\n' +
  '  or:  chmod [OPTION]... --reference=RFILE FILE...\n' +
  'Change the mode of each FILE to MODE.\n';

const LONG = ['changes', 'silent', 'quiet', 'verbose', 'recursive', 'reference', 'preserve-root', 'no-preserve-root', 'help'];

/** the characters an option argument may hold and still be a mode (chmod's getopt string) */
const MODE_CHARS = /^[rwxXstugoa,+=0-7]$/;

interface Parsed {
  o: Options;
  mode: string | null;
  reference: string | null;
  operands: string[];
}

/** chmod.c's option loop: -R -c -f -v and their long names, and modes that look like options (-w, -x,u+s) */
function parse(argv: readonly string[]): Parsed | { usage: string } | { help: true } {
  const o: Options = { recursive: false, verbosity: 0, silent: false, preserveRoot: false, diagnoseSurprises: false };
  let mode: string | null = null;
  let reference: string | null = null;
  const operands: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const matches = LONG.filter((l) => l.startsWith(name));
      const long = LONG.includes(name) ? name : matches.length === 1 ? matches[0]! : null;
      if (!long) return { usage: matches.length > 1 ? `chmod: option '${a}' is ambiguous` : `chmod: unrecognized option '${a}'` };
      if (long === 'reference') {
        if (eq >= 0) reference = a.slice(eq + 1);
        else if (i + 1 < argv.length) reference = argv[++i]!;
        else return { usage: "chmod: option '--reference' requires an argument" };
        continue;
      }
      if (eq >= 0) return { usage: `chmod: option '--${long}' doesn't allow an argument` };
      if (long === 'help') return { help: true };
      if (long === 'changes') o.verbosity = Math.max(o.verbosity, 1) as 1 | 2;
      else if (long === 'verbose') o.verbosity = 2;
      else if (long === 'silent' || long === 'quiet') o.silent = true;
      else if (long === 'recursive') o.recursive = true;
      else o.preserveRoot = long === 'preserve-root';
      continue;
    }
    if (a.length < 2 || !a.startsWith('-')) {
      operands.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      if (MODE_CHARS.test(c)) {
        // the whole argument is a mode, joined to any given before it with a comma
        mode = mode === null ? a : `${mode},${a}`;
        o.diagnoseSurprises = true;
        break;
      }
      if (c === 'R') o.recursive = true;
      else if (c === 'c') o.verbosity = Math.max(o.verbosity, 1) as 1 | 2;
      else if (c === 'v') o.verbosity = 2;
      else if (c === 'f') o.silent = true;
      else return { usage: `chmod: invalid option -- '${c}'` };
    }
  }
  return { o, mode, reference, operands };
}

export const chmod = defineCommand({
  name: 'chmod',
  summary: 'change file mode bits',
  category: 'files',
  argKind: 'path',
  completions: ['-R', '-v', '-c', '+x', 'u+x', 'go-w', '644', '755'],
  synopsis: ['chmod [-R] [-v] MODE[,MODE]... FILE...', 'chmod [-R] [-v] OCTAL-MODE FILE...', 'chmod [-R] --reference=RFILE FILE...'],
  description: [
    'Sets the permission bits of each FILE. An octal MODE (644, 0755, 2775) gives all of them at once. A symbolic MODE changes some: who (u, g, o or a; none means all, less the umask), then + to add, - to take away or = to set, then the bits (r, w, x; X for execute only on directories and files something may already execute; s for set-id, t for sticky) or a class to copy them from (o=u). Several changes are joined with commas: u=rwx,go=rx.',
    'Only a file\'s owner, or root, may change its mode. With -R, directories are changed before what is under them, so taking away your own read or execute permission stops the walk there.',
  ],
  options: [
    ['-R', 'Change directories and everything under them.'],
    ['-v', 'Say what was done for each file.'],
    ['-c', 'Like -v, but only for files whose mode changed.'],
    ['-f', 'Keep quiet about most errors.'],
    ['--reference=RFILE', "Use RFILE's mode instead of a MODE."],
  ],
  examples: [
    ['sudo chmod +x /etc/cron.hourly/disk-report', 'Let run-parts run a script you wrote.'],
    ['chmod 600 ~/notes.txt', 'Make a file yours alone.'],
    ['chmod -R g+w,o-rwx shared', 'Open a tree to the group and close it to everyone else.'],
  ],
  notes: ['The proc files and the rendered logs keep their modes (Operation not permitted).'],
  run(ctx) {
    const p = parse(ctx.argv.slice(1));
    if ('help' in p) return ok(USAGE);
    if ('usage' in p) return tryHelp('chmod', p.usage);
    const { o, reference, operands } = p;
    let mode = p.mode;
    // a mode taken from the operands, not from an option, is what "missing operand after" names
    const modeOperand = reference === null && mode === null && operands.length > 0;
    if (modeOperand) mode = operands.shift()!;
    if (operands.length === 0) return tryHelp('chmod', modeOperand ? `chmod: missing operand after ${q(ctx.argv[ctx.argv.length - 1]!)}` : 'chmod: missing operand');
    const tree = treeOps(ctx);
    if (!tree) return failure(`chmod: ${NO_TREE_OPS}\n`);
    let changes: ModeChange[] | null;
    if (reference !== null) {
      const st = ctx.env.fs.stat(absPath(ctx, reference));
      if (!st.ok) return failure(`chmod: failed to get attributes of ${q(reference)}: ${errnoMessage(st.errno)}\n`);
      changes = compileMode((st.value.mode & 0o7777).toString(8).padStart(5, '0'));
    } else {
      changes = compileMode(mode!);
      if (!changes) return tryHelp('chmod', `chmod: invalid mode: ${q(mode!)}`);
    }
    const run = new Chmod(ctx, tree, changes!, reference === null ? loginUmask(ctx) : 0, o);
    let all = true;
    for (const name of operands) all = run.operand(name) && all;
    return run.out.done(all ? 0 : 1);
  },
});

class Chmod {
  readonly out = new Out();

  constructor(
    private readonly ctx: CommandContext,
    private readonly tree: TreeOps,
    private readonly changes: readonly ModeChange[],
    private readonly umask: number,
    private readonly o: Options,
  ) {}

  private complain(line: string): void {
    if (!this.o.silent) this.out.errLine(`chmod: ${line}`);
  }

  /** a FILE operand: a link named there is followed (fts's FTS_COMFOLLOW) */
  operand(name: string): boolean {
    const path = absPath(this.ctx, name);
    const st = this.ctx.env.fs.stat(path);
    if (!st.ok) {
      const link = linkOps(this.ctx)?.lstat(path, this.ctx.user);
      if (st.errno === 'ENOENT' && link?.ok && link.value.type === 'link') this.complain(`cannot operate on dangling symlink ${q(name)}`);
      else this.complain(`cannot access ${q(name)}: ${errnoMessage(st.errno)}`);
      return false;
    }
    if (this.o.recursive && this.o.preserveRoot && path === '/') {
      this.complain(`it is dangerous to operate recursively on ${q('/')}`);
      this.complain('use --no-preserve-root to override this failsafe');
      return false;
    }
    return this.walk(name, path, st.value);
  }

  /** the file, then (with -R) what a directory holds, each named under the operand as fts spells it */
  private walk(name: string, path: string, st: FsStat): boolean {
    let all = this.one(name, path, st);
    if (!this.o.recursive || st.type !== 'dir') return all;
    const listed = this.ctx.env.fs.list(path, this.ctx.user);
    if (!listed.ok) {
      this.complain(`cannot read directory ${q(name)}: ${errnoMessage(listed.errno)}`);
      return false;
    }
    for (const child of listed.value) {
      const childPath = path === '/' ? `/${child}` : `${path}/${child}`;
      const childName = joinPath(name, child);
      // fts stats each entry through the directory: without search permission on it, that fails
      const links = linkOps(this.ctx);
      const cst = links ? links.lstat(childPath, this.ctx.user) : this.tree.statAs(childPath, this.ctx.user);
      if (!cst.ok) {
        this.complain(`cannot access ${q(childName)}: ${errnoMessage(cst.errno)}`);
        all = false;
        continue;
      }
      all = this.walk(childName, childPath, cst.value) && all;
    }
    return all;
  }

  private one(name: string, path: string, st: FsStat): boolean {
    const oldMode = st.mode & 0o7777;
    const newMode = adjustMode(oldMode, st.type === 'dir', this.umask, this.changes);
    if (st.type === 'link') {
      // a link met inside the tree is neither followed nor changed
      if (this.o.verbosity === 2) this.out.out(`neither symbolic link ${q(name)} nor referent has been changed\n`);
      return true;
    }
    const r = this.tree.chmod(path, this.ctx.user, newMode);
    if (!r.ok) {
      this.complain(`changing permissions of ${q(name)}: ${errnoMessage(r.errno)}`);
      if (this.o.verbosity === 2) this.describe('failed', name, oldMode, newMode);
      return false;
    }
    const after = this.tree.statAs(path, 'root');
    const now = after.ok ? after.value.mode & 0o7777 : newMode;
    const changed = now !== oldMode;
    if (changed ? this.o.verbosity > 0 : this.o.verbosity === 2) this.describe(changed ? 'changed' : 'retained', name, oldMode, now);
    if (this.o.diagnoseSurprises) {
      const naive = adjustMode(oldMode, st.type === 'dir', 0, this.changes);
      if (now & ~naive) {
        this.out.errLine(`chmod: ${name}: new permissions are ${permissionString(now)}, not ${permissionString(naive)}`);
        return false;
      }
    }
    return true;
  }

  /** chmod.c's describe_change */
  private describe(how: 'changed' | 'retained' | 'failed', name: string, from: number, to: number): void {
    const octal = (m: number): string => m.toString(8).padStart(4, '0');
    if (how === 'retained') this.out.out(`mode of ${q(name)} retained as ${octal(to)} (${permissionString(to)})\n`);
    else {
      const lead = how === 'changed' ? 'mode of' : 'failed to change mode of';
      this.out.out(`${lead} ${q(name)} ${how === 'changed' ? 'changed ' : ''}from ${octal(from)} (${permissionString(from)}) to ${octal(to)} (${permissionString(to)})\n`);
    }
  }
}
