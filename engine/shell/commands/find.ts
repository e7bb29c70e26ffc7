import type { BuiltinSpec, ShellAccess } from '../builtin';
import type { CommandContext, FsStat } from '../types';
import { Out } from '../io';
import { fnmatcher } from '../glob';
import { errnoMessage } from '../../vfs/errno';
import { parseGroup, parsePasswd } from '../../vfs/accounts';
import { absPath } from './util';
import { defineBuiltin } from './define';
import { joinPath, linkOps, treeOps } from './fileops';
import { adjustMode, compileMode } from './modeChange';

/**
 * GNU find 4.4.2 (Ubuntu 14.04's findutils): starting points, then an expression of tests,
 * actions and operators, evaluated for every file of each tree as the walk meets it.
 */

/** findutils 4.4.2 quotes a file name in its messages the old way: `name' */
const fq = (name: string): string => `\`${name}'`;

const USAGE = 'Usage: find [-H] [-L] [-P] [-Olevel] [-D help|tree|search|stat|rates|opt|exec] [path...] [expression]\n';

/** a file as the expression sees it */
interface Entry {
  /** as find prints it: the starting point, then the names below it */
  shown: string;
  path: string;
  name: string;
  st: FsStat;
  depth: number;
}

/** what evaluating a primary may ask of the walk */
interface Walk {
  out: Out;
  sh: ShellAccess;
  ctx: CommandContext;
  prune: boolean;
  quit: boolean;
  failed: boolean;
  /** -exec ... {} + : the names gathered for each such action, run when the walk ends */
  batches: Array<{ argv: string[]; names: string[] }>;
}

type Pred = (e: Entry, w: Walk) => boolean;

interface Expr {
  pred: Pred;
  /** an action was given (-print, -exec, -delete...): no -print is added */
  acts: boolean;
}

class FindError extends Error {}

/** the work a file met costs the line, as a stat does (shell/exec.ts FS_CALL_WORK) */
const ENTRY_WORK = 100;

const DAY = 86_400_000;
const MINUTE = 60_000;

/** real primaries of find 4.4.2 this world does not have */
const NOT_HERE = new Set(['-atime', '-amin', '-ctime', '-cmin', '-anewer', '-cnewer', '-used', '-ls', '-fls', '-printf', '-fprintf', '-fprint', '-fprint0', '-regex', '-iregex', '-regextype', '-lname', '-ilname', '-inum', '-samefile', '-links', '-uid', '-gid', '-nouser', '-nogroup', '-readable', '-writable', '-executable', '-xtype', '-fstype', '-okdir', '-ok', '-execdir', '-context', '-follow']);

class Parser {
  private i = 0;
  /** options (-maxdepth, -depth) met after a test, for find's warning */
  lateOption: { option: string; after: string } | null = null;
  private lastNonOption: string | null = null;
  private daystart = false;
  readonly o = { maxDepth: Infinity, minDepth: 0, depthFirst: false, xdev: false };

  constructor(
    private readonly args: string[],
    private readonly ctx: CommandContext,
  ) {}

  parse(): Expr | null {
    if (this.i >= this.args.length) return null;
    const e = this.comma();
    if (this.i < this.args.length) {
      const t = this.args[this.i]!;
      throw new FindError(t === ')' ? 'invalid expression; you have too many \')\'' : `paths must precede expression: ${t}`);
    }
    return e;
  }

  private peek(): string | undefined {
    return this.args[this.i];
  }

  private comma(): Expr {
    let e = this.or();
    while (this.peek() === ',') {
      this.i++;
      const l = e;
      const r = this.or();
      e = { pred: (x, w) => (l.pred(x, w), r.pred(x, w)), acts: l.acts || r.acts };
    }
    return e;
  }

  private or(): Expr {
    let e = this.and();
    while (this.peek() === '-o' || this.peek() === '-or') {
      const op = this.args[this.i++]!;
      if (this.atEnd()) throw new FindError(`invalid expression; you have used a binary operator '${op}' with nothing after it.`);
      const l = e;
      const r = this.and();
      e = { pred: (x, w) => l.pred(x, w) || r.pred(x, w), acts: l.acts || r.acts };
    }
    return e;
  }

  private atEnd(): boolean {
    const t = this.peek();
    return t === undefined || t === ')' || t === ',' || t === '-o' || t === '-or';
  }

  private and(): Expr {
    if (this.atEnd()) {
      const t = this.peek();
      throw new FindError(t === undefined ? 'invalid expression' : t === ')' ? "invalid expression; empty parentheses are not allowed." : `invalid expression; you have used a binary operator '${t}' with nothing before it.`);
    }
    let e = this.not();
    for (;;) {
      const t = this.peek();
      if (t === undefined || t === ')' || t === ',' || t === '-o' || t === '-or') return e;
      if (t === '-a' || t === '-and') {
        this.i++;
        if (this.atEnd()) throw new FindError(`invalid expression; you have used a binary operator '${t}' with nothing after it.`);
      }
      const l = e;
      const r = this.not();
      e = { pred: (x, w) => l.pred(x, w) && r.pred(x, w), acts: l.acts || r.acts };
    }
  }

  private not(): Expr {
    const t = this.peek();
    if (t === '!' || t === '-not') {
      this.i++;
      if (this.atEnd()) throw new FindError(`invalid expression; you have used a binary operator '${t}' with nothing after it.`);
      const e = this.not();
      return { pred: (x, w) => !e.pred(x, w), acts: e.acts };
    }
    if (t === '(') {
      this.i++;
      if (this.peek() === ')') throw new FindError('invalid expression; empty parentheses are not allowed.');
      const e = this.comma();
      if (this.peek() !== ')') throw new FindError("invalid expression; I was expecting to find a ')' somewhere but did not see one.");
      this.i++;
      return e;
    }
    return this.primary();
  }

  private arg(name: string): string {
    const v = this.args[this.i++];
    if (v === undefined) throw new FindError(`missing argument to ${fq(name)}`);
    return v;
  }

  private option(name: string): void {
    if (this.lastNonOption && !this.lateOption) this.lateOption = { option: name, after: this.lastNonOption };
  }

  private primary(): Expr {
    const name = this.args[this.i++]!;
    const test = (pred: Pred): Expr => {
      this.lastNonOption ??= name;
      return { pred, acts: false };
    };
    const act = (pred: Pred): Expr => {
      this.lastNonOption ??= name;
      return { pred, acts: true };
    };
    if (!name.startsWith('-') || name === '-') throw new FindError(`paths must precede expression: ${name}`);
    if (NOT_HERE.has(name)) throw new FindError(`${name} is not simulated here: the tests on names, types, sizes, modes, owners and modification times are, and -print, -exec and -delete`);
    switch (name) {
      case '-print':
        return act((e, w) => (w.out.out(`${e.shown}\n`), true));
      case '-print0':
        return act((e, w) => (w.out.out(`${e.shown}\0`), true));
      case '-prune':
        return act((_e, w) => ((w.prune = true), true));
      case '-quit':
        return act((_e, w) => ((w.quit = true), true));
      case '-delete':
        this.o.depthFirst = true;
        return act((e, w) => remove(e, w));
      case '-true':
        return test(() => true);
      case '-false':
        return test(() => false);
      case '-empty':
        return test((e, w) => (e.st.type === 'dir' ? listing(w, e)?.length === 0 : e.st.type === 'file' && e.st.size === 0));
      case '-depth':
      case '-d':
        this.option(name);
        this.o.depthFirst = true;
        return { pred: () => true, acts: false };
      case '-xdev':
      case '-mount':
        this.option(name);
        this.o.xdev = true;
        return { pred: () => true, acts: false };
      case '-noleaf':
      case '-ignore_readdir_race':
      case '-nowarn':
      case '-warn':
        this.option(name);
        return { pred: () => true, acts: false };
      case '-daystart':
        // positional: the -mtime and -mmin after it count from the end of today, not from now
        this.option(name);
        this.daystart = true;
        return { pred: () => true, acts: false };
      case '-maxdepth':
      case '-mindepth': {
        this.option(name);
        const v = this.arg(name);
        if (!/^\d+$/.test(v)) throw new FindError(`Expected a positive decimal integer argument to ${name}, but got ${fq(v)}`);
        if (name === '-maxdepth') this.o.maxDepth = Number(v);
        else this.o.minDepth = Number(v);
        return { pred: () => true, acts: false };
      }
      case '-name':
      case '-iname': {
        const m = fnmatcher(this.arg(name), { slash: true, ignoreCase: name === '-iname' });
        return test((e) => m.test(e.name));
      }
      case '-path':
      case '-ipath':
      case '-wholename':
      case '-iwholename': {
        const m = fnmatcher(this.arg(name), { slash: true, ignoreCase: name.startsWith('-i') });
        return test((e) => m.test(e.shown));
      }
      case '-type': {
        const v = this.arg(name);
        if (!/^[bcdpflsD]$/.test(v)) throw new FindError(v.length === 1 ? `Unknown argument to -type: ${v}` : 'Arguments to -type should contain only one letter');
        const want = v === 'f' ? 'file' : v === 'd' ? 'dir' : v === 'l' ? 'link' : null;
        return test((e) => e.st.type === want);
      }
      case '-mtime':
      case '-mmin': {
        const n = number(name, this.arg(name));
        const unit = name === '-mtime' ? DAY : MINUTE;
        const now = this.daystart ? Math.floor(this.ctx.env.now() / DAY) * DAY + DAY : this.ctx.env.now();
        // the age in whole units, the fraction dropped: -mtime +1 is two days old or more
        return test((e) => compare(Math.floor((now - e.st.mtime) / unit), n));
      }
      case '-size': {
        const v = this.arg(name);
        const m = /^([+-]?)(\d+)([bcwkMG]?)$/.exec(v);
        if (!m) throw new FindError(`Invalid argument ${fq(v)} to -size`);
        const unit = { b: 512, c: 1, w: 2, k: 1024, M: 1024 * 1024, G: 1024 * 1024 * 1024, '': 512 }[m[3] as 'b'];
        const n = { sign: m[1] as '' | '+' | '-', n: Number(m[2]) };
        // the size in whole units, rounded up: -size -1M is only an empty file
        return test((e) => compare(Math.ceil(e.st.size / unit), n));
      }
      case '-newer': {
        const ref = this.arg(name);
        const st = this.ctx.env.fs.stat(absPath(this.ctx, ref));
        if (!st.ok) throw new FindError(`${fq(ref)}: ${errnoMessage(st.errno)}`);
        return test((e) => e.st.mtime > st.value.mtime);
      }
      case '-perm': {
        const v = this.arg(name);
        const kind = v[0] === '-' ? 'all' : v[0] === '/' || v[0] === '+' ? 'any' : 'exact';
        const text = kind === 'exact' ? v : v.slice(1);
        const changes = compileMode(text);
        if (!changes) throw new FindError(`invalid mode ${fq(v)}`);
        const bits = adjustMode(0, false, 0, changes);
        return test((e) => {
          const mode = e.st.mode & 0o7777;
          return kind === 'exact' ? mode === bits : kind === 'all' ? (mode & bits) === bits : bits === 0 || (mode & bits) !== 0;
        });
      }
      case '-user':
      case '-group': {
        const v = this.arg(name);
        const text = (p: string): string => {
          const r = this.ctx.env.fs.read(p, 'root');
          return r.ok ? r.value : '';
        };
        const known = name === '-user' ? parsePasswd(text('/etc/passwd')).some((a) => a.name === v) : parseGroup(text('/etc/group')).some((g) => g.name === v);
        if (!known) throw new FindError(name === '-user' ? `${fq(v)} is not the name of a known user` : `${fq(v)} is not the name of an existing group`);
        return test((e) => (name === '-user' ? e.st.owner : e.st.group) === v);
      }
      case '-exec':
        return act(this.exec());
    }
    throw new FindError(`unknown predicate ${fq(name)}`);
  }

  /** -exec COMMAND ; (once per file, true when it exits 0) or -exec COMMAND {} + (batched, always true) */
  private exec(): Pred {
    const argv: string[] = [];
    for (;;) {
      const t = this.args[this.i++];
      if (t === undefined) throw new FindError('missing argument to `-exec\'');
      if (t === ';') break;
      if (t === '+' && argv[argv.length - 1] === '{}') {
        argv.pop();
        if (argv.length === 0) throw new FindError('missing argument to `-exec\'');
        const batch = { argv, names: [] as string[] };
        let registered = false;
        return (e, w) => {
          if (!registered) {
            w.batches.push(batch);
            registered = true;
          }
          batch.names.push(e.shown);
          return true;
        };
      }
      argv.push(t);
    }
    if (argv.length === 0) throw new FindError('missing argument to `-exec\'');
    return (e, w) => {
      const r = w.sh.runArgv(argv.map((a) => a.split('{}').join(e.shown)), w.ctx.user, '');
      w.out.result(r);
      return r.code === 0;
    };
  }
}

function number(name: string, v: string): { sign: '' | '+' | '-'; n: number } {
  const m = /^([+-]?)(\d+)$/.exec(v);
  if (!m) throw new FindError(`Invalid argument ${fq(v)} to ${name}`);
  return { sign: m[1] as '' | '+' | '-', n: Number(m[2]) };
}

function compare(value: number, want: { sign: '' | '+' | '-'; n: number }): boolean {
  return want.sign === '+' ? value > want.n : want.sign === '-' ? value < want.n : value === want.n;
}

/** a directory's names, or null (and a complaint) when it cannot be read */
function listing(w: Walk, e: Entry): string[] | null {
  const r = w.ctx.env.fs.list(e.path, w.ctx.user);
  if (r.ok) return r.value;
  w.out.errLine(`find: ${fq(e.shown)}: ${errnoMessage(r.errno)}`);
  w.failed = true;
  return null;
}

function remove(e: Entry, w: Walk): boolean {
  const tree = treeOps(w.ctx);
  // find never deletes its starting point '.'
  if (e.shown === '.') return true;
  const r = tree ? (e.st.type === 'dir' ? tree.rmdir(e.path, w.ctx.user) : tree.unlink(e.path, w.ctx.user)) : ({ ok: false, errno: 'EPERM' } as const);
  if (r.ok) return true;
  w.out.errLine(`find: cannot delete ${fq(e.shown)}: ${errnoMessage(r.errno)}`);
  w.failed = true;
  return false;
}

/** the first arguments that are not an expression's: -H -L -P and the starting points */
function splitArgs(args: string[]): { paths: string[]; expr: string[]; follow: 'P' | 'H' | 'L' } {
  let i = 0;
  let follow: 'P' | 'H' | 'L' = 'P';
  for (; i < args.length && /^-[HLP]+$/.test(args[i]!); i++) follow = args[i]!.slice(-1) as 'P' | 'H' | 'L';
  const paths: string[] = [];
  for (; i < args.length; i++) {
    const a = args[i]!;
    if ((a.startsWith('-') && a !== '-') || a === '(' || a === '!' || a === ')' || a === ',') break;
    paths.push(a);
  }
  return { paths, expr: args.slice(i), follow };
}

export const find: BuiltinSpec = defineBuiltin({
  name: 'find',
  summary: 'search for files in a directory tree',
  category: 'files',
  argKind: 'path',
  completions: ['-name', '-iname', '-type', '-mtime', '-mmin', '-size', '-newer', '-perm', '-user', '-group', '-maxdepth', '-mindepth', '-empty', '-print', '-print0', '-exec', '-delete', '-prune'],
  synopsis: ['find [PATH...] [EXPRESSION]'],
  description: [
    'Walks each PATH (the current directory when none is given) and everything under it, and evaluates EXPRESSION for each file it meets, printing the name of each file for which it is true. Tests: -name and -iname (a shell pattern on the last part of the name; quote it, or the shell expands it first and find complains that paths must precede expression), -path, -type f|d|l, -mtime and -mmin (+N older than N days or minutes, -N newer, N exactly, counted in whole units), -size (+N bigger, -N smaller, in 512-byte blocks or with c, k, M, G; rounded up), -newer FILE, -perm MODE, -perm -MODE (all these bits), -perm /MODE (any), -user, -group, -empty.',
    'Operators: ! or -not, -a or -and (or nothing), -o or -or, parentheses (quote them: \\( ... \\)). Options: -maxdepth N, -mindepth N, -depth. Actions: -print, -print0, -prune (do not go below a directory), -quit, -delete, -exec COMMAND {} \\; (run once per file; true when it succeeds) and -exec COMMAND {} + (run once with many files).',
  ],
  examples: [
    ["find /var/log -name '*.gz' -mtime +3", 'Rotated logs older than three days.'],
    ['sudo find / -xdev -size +100M', 'The big files on the root filesystem.'],
    ['find /etc -newer /etc/hostname -type f', 'Files changed since /etc/hostname was.'],
    ["find /etc/cron.d /etc/cron.hourly -type f -exec ls -l {} +", 'What cron will run, and who may change it.'],
  ],
  notes: ['Files have only a modification time here: the tests on access and change times, -ls, -printf and following links (-L, -follow) are not simulated and say so.'],
  builtin(ctx, sh) {
    const out = new Out();
    const args = ctx.argv.slice(1);
    if (args.includes('--help')) return out.out(USAGE).done(0);
    const { paths, expr, follow } = splitArgs(args);
    if (follow === 'L') return out.errLine('find: -L is not simulated here: symbolic links exist only on the block volumes, and find walks them as links (-P)').done(1);
    const parser = new Parser(expr, ctx);
    let parsed: Expr | null;
    try {
      parsed = parser.parse();
    } catch (e) {
      if (!(e instanceof FindError)) throw e;
      out.errLine(`find: ${e.message}`);
      if (e.message.startsWith('paths must precede expression')) out.err(USAGE);
      return out.done(1);
    }
    if (parser.lateOption) {
      const { option, after } = parser.lateOption;
      out.errLine(`find: warning: you have specified the ${option} option after a non-option argument ${after}, but options are not positional (${option} affects tests specified before it as well as those specified after it).  Please specify options before other arguments.\n`);
    }
    const pred: Pred = !parsed ? (e, w) => (w.out.out(`${e.shown}\n`), true) : parsed.acts ? parsed.pred : (e, w) => (parsed!.pred(e, w) ? (w.out.out(`${e.shown}\n`), true) : false);
    const w: Walk = { out, sh, ctx, prune: false, quit: false, failed: false, batches: [] };
    const { maxDepth, minDepth, depthFirst, xdev } = parser.o;
    const fsOf = (path: string): string => (ctx.env.fs as unknown as { filesystemOf?(p: string): string }).filesystemOf?.(path) ?? '/';
    let startFs = '/';
    const links = linkOps(ctx);
    const lstat = (path: string) => (links ? links.lstat(path, ctx.user) : ctx.env.fs.stat(path));

    const visit = (e: Entry): void => {
      if (w.quit) return;
      // each file met is a stat, charged as the shell charges one: `find / -exec find / \;` ends at the line's work limit
      ctx.env.work?.(ENTRY_WORK);
      const evaluate = (): void => {
        if (e.depth >= minDepth && !w.quit) pred(e, w);
      };
      w.prune = false;
      if (!depthFirst) evaluate();
      // -xdev: a directory on another filesystem is listed itself, but not walked
      const descend = e.st.type === 'dir' && e.depth < maxDepth && !(w.prune && !depthFirst) && !(xdev && fsOf(e.path) !== startFs);
      if (descend && !w.quit) {
        const names = listing(w, e);
        for (const name of names ?? []) {
          if (w.quit) break;
          const path = e.path === '/' ? `/${name}` : `${e.path}/${name}`;
          const st = lstat(path);
          const shown = joinPath(e.shown, name);
          if (!st.ok) {
            out.errLine(`find: ${fq(shown)}: ${errnoMessage(st.errno)}`);
            w.failed = true;
            continue;
          }
          visit({ shown, path, name, st: st.value, depth: e.depth + 1 });
        }
      }
      if (depthFirst) evaluate();
    };

    for (const start of paths.length > 0 ? paths : ['.']) {
      if (w.quit) break;
      const path = absPath(ctx, start);
      // -H follows a link named as a starting point; -P (the default) never follows one
      const st = follow === 'H' ? ctx.env.fs.stat(path) : lstat(path);
      if (!st.ok) {
        out.errLine(`find: ${fq(start)}: ${errnoMessage(st.errno)}`);
        w.failed = true;
        continue;
      }
      startFs = fsOf(path);
      const base = start.replace(/\/+$/, '');
      visit({ shown: start, path, name: base === '' ? '/' : base.slice(base.lastIndexOf('/') + 1), st: st.value, depth: 0 });
    }
    for (const b of w.batches) {
      const r = sh.runArgv([...b.argv, ...b.names], ctx.user, '');
      out.result(r);
      if (r.code !== 0) w.failed = true;
    }
    return out.done(w.failed ? 1 : 0);
  },
});
