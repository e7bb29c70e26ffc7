import type { BuiltinSpec } from '../builtin';
import type { CommandContext, FsStat } from '../types';
import { failure } from '../io';
import { normalizePath } from '../../vfs/path';
import { defineBuiltin } from './define';

/**
 * `test` and `[`: bash 4.3's builtin (test.c) and dash 0.5.7's (bltin/test.c). They parse
 * differently (dash has no ==, and its lexer reads operators by what follows them) and complain
 * in their own words. File tests ask the simulated filesystem, as the caller.
 */

/** A complaint that ends the test with status 2, in the shell's own words. */
class TestError extends Error {}

interface Words {
  bash: string;
  dash: string;
}

const UNARY = new Set(['-e', '-f', '-d', '-x', '-r', '-w', '-s', '-L', '-h', '-n', '-z', '-b', '-c', '-p', '-S', '-g', '-u', '-k', '-t', '-O', '-G', '-a']);
const BINARY = new Set(['=', '==', '!=', '<', '>', '-eq', '-ne', '-lt', '-le', '-gt', '-ge', '-nt', '-ot', '-ef']);

interface FsAccess {
  stat(path: string): { ok: true; value: FsStat } | { ok: false };
  canAccess?(path: string, user: string, want: 'r' | 'w' | 'x'): boolean;
}

/** What a test operator does, shared by both shells' parsers. */
class Operators {
  constructor(
    protected readonly ctx: CommandContext,
    protected readonly dash: boolean,
  ) {}

  protected fail(w: Words): never {
    throw new TestError(this.dash ? w.dash : w.bash);
  }

  // ---- the operators ----

  protected unary(op: string, arg: string): boolean {
    if (op === '-n') return arg !== '';
    if (op === '-z') return arg === '';
    if (op === '-t') {
      if (this.dash) this.integer(arg);
      return false;
    }
    const fs = this.ctx.env.fs as unknown as FsAccess;
    const path = normalizePath(arg, this.ctx.cwd);
    if (arg === '') return false;
    const st = fs.stat(path);
    if (!st.ok) return false;
    const s = st.value;
    const may = (want: 'r' | 'w' | 'x') => (fs.canAccess ? fs.canAccess(path, this.ctx.user, want) : true);
    switch (op) {
      case '-e':
        return true;
      case '-f':
        return s.type === 'file';
      case '-d':
        return s.type === 'dir';
      case '-s':
        return s.size > 0;
      case '-r':
        return may('r');
      case '-w':
        return may('w');
      case '-x':
        return may('x');
      case '-u':
        return (s.mode & 0o4000) !== 0;
      case '-g':
        return (s.mode & 0o2000) !== 0;
      case '-k':
        return (s.mode & 0o1000) !== 0;
      case '-O':
        return s.owner === this.ctx.user;
      case '-G':
        return s.group === this.ctx.user;
      default:
        // -L, -h, -b, -c, -p, -S: this filesystem holds only plain files and directories
        return false;
    }
  }

  protected binary(a: string, op: string, b: string): boolean {
    switch (op) {
      case '=':
      case '==':
        return a === b;
      case '!=':
        return a !== b;
      case '<':
        return a < b;
      case '>':
        return a > b;
      case '-nt':
      case '-ot':
      case '-ef': {
        const fs = this.ctx.env.fs as unknown as FsAccess;
        const [pa, pb] = [normalizePath(a, this.ctx.cwd), normalizePath(b, this.ctx.cwd)];
        const [sa, sb] = [fs.stat(pa), fs.stat(pb)];
        if (op === '-ef') return sa.ok && sb.ok && pa === pb;
        // bash counts a missing file as older than any; dash needs both
        if (this.dash && (!sa.ok || !sb.ok)) return false;
        if (op === '-nt') return sa.ok && (!sb.ok || sa.value.mtime > sb.value.mtime);
        return sb.ok && (!sa.ok || sa.value.mtime < sb.value.mtime);
      }
    }
    const x = this.integer(a);
    const y = this.integer(b);
    switch (op) {
      case '-eq':
        return x === y;
      case '-ne':
        return x !== y;
      case '-lt':
        return x < y;
      case '-le':
        return x <= y;
      case '-gt':
        return x > y;
      default:
        return x >= y;
    }
  }

  /** a whole number as strtoimax reads it: bash allows blanks after it too, dash does not */
  protected integer(s: string): bigint {
    const re = this.dash ? /^[ \t\n\v\f\r]*[-+]?\d+$/ : /^[ \t\n]*[-+]?\d+[ \t\n]*$/;
    if (!re.test(s)) this.fail({ bash: `${s}: integer expression expected`, dash: `Illegal number: ${s}` });
    return BigInt(s.trim().replace(/^\+/, ''));
  }
}

/** bash 4.3's test.c: posixtest() by the number of arguments up to four, expr() beyond */
class BashTest extends Operators {
  private pos = 0;

  constructor(
    private readonly args: string[],
    ctx: CommandContext,
  ) {
    super(ctx, false);
  }

  run(): boolean {
    const n = this.args.length;
    // POSIX decides by the number of arguments first; bash follows it up to four
    if (n === 0) return false;
    if (n === 1) return this.args[0] !== '';
    if (n === 2) return this.two(0);
    if (n === 3) return this.three(0);
    if (n === 4) {
      if (this.args[0] === '!') return !this.three(1);
      if (this.args[0] === '(' && this.args[3] === ')') return this.two(1);
    }
    const r = this.or();
    if (this.pos < n) this.fail({ bash: 'too many arguments', dash: `${this.args[this.pos]}: unexpected operator` });
    return r;
  }

  private two(i: number): boolean {
    const [a, b] = [this.args[i], this.args[i + 1]];
    if (a === '!') return b === '';
    if (UNARY.has(a)) return this.unary(a === '-a' ? '-e' : a, b);
    return this.fail({ bash: `${a}: unary operator expected`, dash: `${a}: unexpected operator` });
  }

  private three(i: number): boolean {
    const [a, op, b] = [this.args[i], this.args[i + 1], this.args[i + 2]];
    if (BINARY.has(op)) return this.binary(a, op, b);
    if (op === '-a') return a !== '' && b !== '';
    if (op === '-o') return a !== '' || b !== '';
    if (a === '!') return !this.two(i + 1);
    if (a === '(' && b === ')') return op !== '';
    return this.fail({ bash: `${op}: binary operator expected`, dash: `${op}: unexpected operator` });
  }

  // ---- the general grammar, for five words or more: or := and (-o and)*; and := not (-a not)* ----

  private or(): boolean {
    let r = this.and();
    while (this.args[this.pos] === '-o') {
      this.pos++;
      r = this.and() || r;
    }
    return r;
  }

  private and(): boolean {
    let r = this.not();
    while (this.args[this.pos] === '-a') {
      this.pos++;
      r = this.not() && r;
    }
    return r;
  }

  private not(): boolean {
    if (this.args[this.pos] === '!') {
      this.pos++;
      return !this.not();
    }
    return this.primary();
  }

  private primary(): boolean {
    const a = this.args[this.pos];
    if (a === undefined) return this.fail({ bash: 'argument expected', dash: 'argument expected' });
    if (a === '(') {
      this.pos++;
      const r = this.or();
      if (this.args[this.pos] !== ')') {
        const found = this.args[this.pos];
        return this.fail({ bash: found === undefined ? "`)' expected" : `\`)' expected, found ${found}`, dash: 'closing paren expected' });
      }
      this.pos++;
      return r;
    }
    const op = this.args[this.pos + 1];
    if (op !== undefined && BINARY.has(op) && this.pos + 2 < this.args.length) {
      this.pos += 3;
      return this.binary(a, op, this.args[this.pos - 1]);
    }
    if (UNARY.has(a) && a !== '-a' && this.pos + 1 < this.args.length) {
      this.pos += 2;
      return this.unary(a, this.args[this.pos - 1]);
    }
    this.pos++;
    return a !== '';
  }
}

const DASH_UNARY = new Set(['-r', '-w', '-x', '-e', '-f', '-d', '-c', '-b', '-p', '-u', '-g', '-k', '-s', '-t', '-z', '-n', '-h', '-O', '-G', '-L', '-S']);
/** dash knows no == */
const DASH_BINARY = new Set(['=', '!=', '<', '>', '-eq', '-ne', '-ge', '-gt', '-le', '-lt', '-nt', '-ot', '-ef']);

type DashToken = 'EOI' | 'OPERAND' | 'UNOP' | 'BINOP' | '!' | '-a' | '-o' | '(' | ')';

/**
 * dash 0.5.7's bltin/test.c, step for step: its lexer decides whether a word is an operator by
 * what follows it, and a word left over is "unexpected" at the last word it read.
 */
class DashTest extends Operators {
  /** t_wp: the word being read */
  private wp = 0;
  /** t_wp_op: the operator the last lexed word was, if any */
  private wpOp: string | null = null;

  constructor(
    private words: string[],
    ctx: CommandContext,
  ) {
    super(ctx, true);
  }

  /** the exit status: 0 true, 1 false */
  run(): number {
    let argv = this.words;
    let res = 1;
    for (;;) {
      if (argv.length < 1) return res;
      if (argv.length === 3 && DASH_BINARY.has(argv[1])) return this.evaluate(argv, res, 'OPERAND');
      if (argv.length === 3 || argv.length === 4) {
        if (argv[0] === '(' && argv[argv.length - 1] === ')') argv = argv.slice(1, -1);
        else if (argv[0] === '!') {
          res = 0;
          argv = argv.slice(1);
          continue;
        }
      }
      return this.evaluate(argv, res, null);
    }
  }

  private evaluate(argv: string[], res: number, first: DashToken | null): number {
    this.words = argv;
    this.wp = 0;
    this.wpOp = null;
    const n = first ?? this.lex(0);
    const r = res ^ (this.or(n) ? 1 : 0);
    if (this.word(this.wp) !== undefined && this.word(this.wp + 1) !== undefined) this.fail({ bash: '', dash: `${this.word(this.wp)}: unexpected operator` });
    return r;
  }

  private word(i: number): string | undefined {
    return this.words[i];
  }

  private lex(i: number): DashToken {
    const s = this.word(i);
    this.wpOp = null;
    if (s === undefined) return 'EOI';
    const kind: DashToken | null = DASH_UNARY.has(s) ? 'UNOP' : DASH_BINARY.has(s) ? 'BINOP' : s === '!' || s === '-a' || s === '-o' || s === '(' || s === ')' ? s : null;
    if (kind === null) return 'OPERAND';
    if (kind === 'UNOP' && this.isOperand(i)) return 'OPERAND';
    if (kind === '(' && this.word(i + 1) === undefined) return 'OPERAND';
    this.wpOp = s;
    return kind;
  }

  /** a unary operator followed by a binary one is an operand: -f = x compares strings */
  private isOperand(i: number): boolean {
    const next = this.word(i + 1);
    if (next === undefined) return true;
    if (this.word(i + 2) === undefined) return false;
    return DASH_BINARY.has(next);
  }

  private or(n: DashToken): boolean {
    let res = false;
    for (;;) {
      res = this.and(n) || res;
      n = this.lex(this.wp + 1);
      if (n !== '-o') break;
      this.wp += 2;
      n = this.lex(this.wp);
    }
    return res;
  }

  private and(n: DashToken): boolean {
    let res = true;
    for (;;) {
      if (!this.not(n)) res = false;
      n = this.lex(this.wp + 1);
      if (n !== '-a') break;
      this.wp += 2;
      n = this.lex(this.wp);
    }
    return res;
  }

  private not(n: DashToken): boolean {
    if (n !== '!') return this.primary(n);
    n = this.lex(this.wp + 1);
    if (n !== 'EOI') this.wp++;
    return !this.not(n);
  }

  private primary(n: DashToken): boolean {
    if (n === 'EOI') return false;
    if (n === '(') {
      const nn = this.lex(++this.wp);
      if (nn === ')') return false;
      const res = this.or(nn);
      if (this.lex(++this.wp) !== ')') this.fail({ bash: '', dash: 'closing paren expected' });
      return res;
    }
    if (n === 'UNOP' && this.wpOp !== null) {
      const op = this.wpOp;
      const arg = this.word(++this.wp);
      if (arg === undefined) this.fail({ bash: '', dash: `${op}: argument expected` });
      return this.unary(op, arg);
    }
    const here = this.wp;
    if (this.lex(here + 1) === 'BINOP' && this.wpOp !== null) {
      const op = this.wpOp;
      this.wp = here + 2;
      const b = this.word(this.wp);
      if (b === undefined) this.fail({ bash: '', dash: `${op}: argument expected` });
      return this.binary(this.word(here)!, op, b);
    }
    return (this.word(here) ?? '') !== '';
  }
}

function evaluate(name: 'test' | '[', ctx: CommandContext, prefix: string, dash: boolean) {
  let args = ctx.argv.slice(1);
  if (name === '[') {
    if (args[args.length - 1] !== ']') return failure(`${prefix}: [: ${dash ? 'missing ]' : "missing `]'"}\n`, 2);
    args = args.slice(0, -1);
  }
  try {
    const code = dash ? new DashTest(args, ctx).run() : new BashTest(args, ctx).run() ? 0 : 1;
    return { stdout: '', stderr: '', code };
  } catch (e) {
    if (e instanceof TestError) return failure(`${prefix}: ${name}: ${e.message}\n`, 2);
    throw e;
  }
}

function testBuiltin(name: 'test' | '['): BuiltinSpec {
  return defineBuiltin({
    name,
    summary: 'check a condition: files, strings, numbers',
    category: 'shell',
    argKind: 'path',
    synopsis: name === 'test' ? ['test EXPRESSION'] : ['[ EXPRESSION ]'],
    description: [
      'Succeeds (exit status 0) when EXPRESSION is true, fails (1) when it is false, and exits with 2 when EXPRESSION makes no sense. Scripts use it in if, while, && and ||. [ is the same command; its last argument must be ].',
      'File tests: -e FILE exists, -f is a plain file, -d is a directory, -s is not empty, -r -w -x you may read, write, execute it. Strings: -n S not empty, -z S empty, S1 = S2, S1 != S2. Numbers: N1 -eq -ne -lt -le -gt -ge N2. Combine with ! (not), -a (and), -o (or) and ( ).',
    ],
    examples: [
      ['[ -x /usr/sbin/logrotate ] || echo missing', 'Say so when a program is not there.'],
      ['test $(cat /proc/sys/vm/swappiness) -gt 10 && echo high', 'Compare a number read from /proc.'],
    ],
    notes: ['This filesystem has no symbolic links, devices, pipes or sockets: -L, -h, -b, -c, -p and -S are always false.'],
    builtin: (ctx, sh) => evaluate(name, ctx, sh.messagePrefix ?? 'bash', sh.dash === true),
  });
}

export const testCmd = testBuiltin('test');
export const bracketCmd = testBuiltin('[');
