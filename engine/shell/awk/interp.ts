import type { Expr, Item, Stmt } from './parser';
import { RegexError, compilePosix, splitByRegex, substitutionMatches, type Regex } from '../regex';
import { LIMITS } from '../limits';
import { formatFloat, formatInt, formatString, scanFormat } from '../../formats/printf';

/**
 * Awk values: numbers, strings, and "strnums" (input fields and the like, which compare as
 * numbers when they look like numbers). Uninitialised variables are the empty strnum.
 */
class StrNum {
  constructor(
    readonly s: string,
    readonly n: number | null,
  ) {}
}

type Val = number | string | StrNum;

export class AwkRuntimeError extends Error {}

const UNINIT = new StrNum('', 0);
const NUMERIC_RE = /^[ \t\n]*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?[ \t\n]*$/;
const STEP_LIMIT = 2_000_000;

function strnum(s: string): StrNum {
  return new StrNum(s, NUMERIC_RE.test(s) ? Number(s.trim()) : null);
}

function leadingNumber(s: string): number {
  const m = /^[ \t\n]*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)/.exec(s);
  return m ? Number(m[1]) : 0;
}

function toNum(v: Val): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return leadingNumber(v);
  return v.n ?? leadingNumber(v.s);
}

function numToStr(n: number, fmt: string): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return String(n);
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  return sprintf(fmt, [n]);
}

function toStr(v: Val, fmt = '%.6g'): string {
  if (typeof v === 'number') return numToStr(v, fmt);
  if (typeof v === 'string') return v;
  return v.s;
}

function truthy(v: Val): boolean {
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v !== '';
  return v.n !== null && v.s !== '' ? v.n !== 0 : v.s !== '';
}

function isNumeric(v: Val): boolean {
  return typeof v === 'number' || (v instanceof StrNum && v.n !== null);
}

function sprintf(fmt: string, args: Val[]): string {
  let out = '';
  let next = 0;
  for (const p of scanFormat(fmt)) {
    if (typeof p === 'string') {
      out += p;
      continue;
    }
    const arg = next < args.length ? args[next++] : UNINIT;
    if ('diouxX'.includes(p.conv)) out += formatInt(toNum(arg), p);
    else if ('fFeEgG'.includes(p.conv)) out += formatFloat(toNum(arg), p);
    else if (p.conv === 'c') out += formatString(typeof arg === 'number' ? String.fromCharCode(arg) : toStr(arg).slice(0, 1), p);
    else out += formatString(toStr(arg), p);
  }
  return out;
}

class NextRecord {}
class ExitProgram {
  constructor(readonly code: number) {}
}
class BreakLoop {}
class ContinueLoop {}

interface AwkIo {
  /** writes for print > "file"; the first write to a file truncates it */
  writeFile(path: string, text: string, append: boolean): string | null;
  /** charged with the work regular expressions do (see ShellEnv.work) */
  work?(units: number): void;
}

interface AwkResult {
  out: string;
  code: number;
}

export class AwkMachine {
  private readonly vars = new Map<string, Val>();
  private readonly arrays = new Map<string, Map<string, Val>>();
  private record = '';
  private fields: string[] = [];
  private out = '';
  private steps = 0;
  private readonly regexCache = new Map<string, Regex>();
  private readonly openedFiles = new Set<string>();
  private randState = 0;

  constructor(
    private readonly items: Item[],
    private readonly io: AwkIo,
    environ: Record<string, string>,
  ) {
    this.vars.set('FS', ' ');
    this.vars.set('OFS', ' ');
    this.vars.set('ORS', '\n');
    this.vars.set('RS', '\n');
    this.vars.set('NR', 0);
    this.vars.set('NF', 0);
    this.vars.set('FNR', 0);
    this.vars.set('SUBSEP', '\x1c');
    this.vars.set('CONVFMT', '%.6g');
    this.vars.set('OFMT', '%.6g');
    this.vars.set('RSTART', 0);
    this.vars.set('RLENGTH', -1);
    this.vars.set('FILENAME', '');
    const env = new Map<string, Val>();
    for (const [k, v] of Object.entries(environ)) env.set(k, strnum(v));
    this.arrays.set('ENVIRON', env);
  }

  setVar(name: string, value: string): void {
    this.vars.set(name, strnum(value));
  }

  /** Runs BEGIN, every record of every input, then END. */
  run(inputs: { name: string; text: string }[]): AwkResult {
    let code = 0;
    const begins = this.items.filter((i) => i.pattern === 'BEGIN');
    const ends = this.items.filter((i) => i.pattern === 'END');
    const mains = this.items.filter((i) => i.pattern !== 'BEGIN' && i.pattern !== 'END');
    try {
      try {
        for (const b of begins) this.execBlock(b.action ?? []);
        if (mains.length > 0 || ends.length > 0) {
          for (const input of inputs) {
            this.vars.set('FILENAME', input.name);
            this.vars.set('FNR', 0);
            for (const rec of this.records(input.text)) {
              this.vars.set('NR', toNum(this.vars.get('NR')!) + 1);
              this.vars.set('FNR', toNum(this.vars.get('FNR')!) + 1);
              this.setRecord(rec);
              try {
                for (const item of mains) {
                  if (item.pattern === null || truthy(this.eval(item.pattern as Expr))) {
                    if (item.action) this.execBlock(item.action);
                    else this.print([], null);
                  }
                }
              } catch (e) {
                if (!(e instanceof NextRecord)) throw e;
              }
            }
          }
        }
      } catch (e) {
        if (!(e instanceof ExitProgram)) throw e;
        code = e.code;
      }
      for (const end of ends) this.execBlock(end.action ?? []);
    } catch (e) {
      if (e instanceof ExitProgram) code = e.code;
      else throw e;
    }
    return { out: this.out, code };
  }

  private records(text: string): string[] {
    const rs = toStr(this.vars.get('RS')!);
    if (text === '') return [];
    if (rs === '') return text.replace(/^\n+/, '').split(/\n\n+/).filter((r) => r !== '').map((r) => r.replace(/\n+$/, ''));
    // a longer RS is a regular expression, as in gawk and mawk
    const parts = rs.length === 1 ? text.split(rs) : splitByRegex(this.regex(rs), text);
    if (parts[parts.length - 1] === '') parts.pop();
    return parts;
  }

  // ---- records and fields ----

  private setRecord(rec: string): void {
    this.record = rec;
    this.fields = this.split(rec, toStr(this.vars.get('FS')!));
    this.vars.set('NF', this.fields.length);
  }

  private split(s: string, fs: string): string[] {
    if (fs === ' ') {
      const t = s.replace(/^[ \t\n]+|[ \t\n]+$/g, '');
      return t === '' ? [] : t.split(/[ \t\n]+/);
    }
    if (s === '') return [];
    if (fs.length === 1 && fs !== '\\') return s.split(fs);
    // an empty FS splits a record into its characters
    if (fs === '') return [...s];
    return splitByRegex(this.regex(fs), s);
  }

  private getField(i: number): Val {
    if (i < 0) throw new AwkRuntimeError(`trying to access out of range field ${i}`);
    if (i === 0) return strnum(this.record);
    const f = this.fields[i - 1];
    return f === undefined ? UNINIT : strnum(f);
  }

  private setField(i: number, v: string): void {
    if (i < 0) throw new AwkRuntimeError(`trying to access out of range field ${i}`);
    if (i === 0) {
      this.setRecord(v);
      return;
    }
    if (i > 100_000) throw new AwkRuntimeError(`field index ${i} is too large for this world`);
    while (this.fields.length < i) this.fields.push('');
    this.fields[i - 1] = v;
    this.vars.set('NF', this.fields.length);
    this.rebuild();
  }

  private rebuild(): void {
    this.record = this.fields.join(toStr(this.vars.get('OFS')!));
  }

  // ---- statements ----

  private tick(): void {
    if (++this.steps > STEP_LIMIT) throw new AwkRuntimeError('program ran too long for this world, stopped');
  }

  private execBlock(body: Stmt[]): void {
    for (const s of body) this.exec(s);
  }

  private exec(s: Stmt): void {
    this.tick();
    switch (s.k) {
      case 'print':
        this.print(s.args.map((a) => this.eval(a)), s.dest ? { append: s.dest.append, file: toStr(this.eval(s.dest.file)) } : null);
        return;
      case 'printf': {
        const [fmt, ...rest] = s.args.map((a) => this.eval(a));
        this.emit(sprintf(toStr(fmt), rest), s.dest ? { append: s.dest.append, file: toStr(this.eval(s.dest.file)) } : null);
        return;
      }
      case 'expr':
        this.eval(s.e);
        return;
      case 'if':
        if (truthy(this.eval(s.c))) this.exec(s.t);
        else if (s.e) this.exec(s.e);
        return;
      case 'while':
        while (truthy(this.eval(s.c))) {
          this.tick();
          if (this.loopBody(s.body)) break;
        }
        return;
      case 'do':
        do {
          this.tick();
          if (this.loopBody(s.body)) break;
        } while (truthy(this.eval(s.c)));
        return;
      case 'for':
        if (s.init) this.eval(s.init);
        while (!s.c || truthy(this.eval(s.c))) {
          this.tick();
          if (this.loopBody(s.body)) break;
          if (s.step) this.eval(s.step);
        }
        return;
      case 'forin': {
        const arr = this.array(s.arr);
        for (const key of [...arr.keys()]) {
          this.tick();
          this.vars.set(s.v, strnum(key));
          if (this.loopBody(s.body)) break;
        }
        return;
      }
      case 'block':
        this.execBlock(s.body);
        return;
      case 'next':
        throw new NextRecord();
      case 'exit':
        throw new ExitProgram(s.e ? Math.trunc(toNum(this.eval(s.e))) : 0);
      case 'break':
        throw new BreakLoop();
      case 'continue':
        throw new ContinueLoop();
      case 'delete':
        if (s.subs) this.array(s.name).delete(this.subscript(s.subs));
        else this.array(s.name).clear();
        return;
    }
  }

  /** true when the loop should stop */
  private loopBody(body: Stmt): boolean {
    try {
      this.exec(body);
    } catch (e) {
      if (e instanceof BreakLoop) return true;
      if (e instanceof ContinueLoop) return false;
      throw e;
    }
    return false;
  }

  private print(vals: Val[], dest: { append: boolean; file: string } | null): void {
    const ofmt = toStr(this.vars.get('OFMT')!);
    const text = vals.length === 0 ? this.record : vals.map((v) => toStr(v, ofmt)).join(toStr(this.vars.get('OFS')!));
    this.emit(text + toStr(this.vars.get('ORS')!), dest);
  }

  private emit(text: string, dest: { append: boolean; file: string } | null): void {
    if (!dest) {
      this.out += text;
      if (this.out.length > LIMITS.output) throw new AwkRuntimeError('output too large for this world, stopped');
      return;
    }
    const first = !this.openedFiles.has(dest.file);
    this.openedFiles.add(dest.file);
    const err = this.io.writeFile(dest.file, text, dest.append || !first);
    if (err) throw new AwkRuntimeError(err);
  }

  // ---- expressions ----

  private array(name: string): Map<string, Val> {
    if (this.vars.has(name)) throw new AwkRuntimeError(`can't use scalar ${name} as array`);
    let a = this.arrays.get(name);
    if (!a) {
      a = new Map();
      this.arrays.set(name, a);
    }
    return a;
  }

  private subscript(subs: Expr[]): string {
    const conv = toStr(this.vars.get('CONVFMT')!);
    return subs.map((e) => toStr(this.eval(e), conv)).join(toStr(this.vars.get('SUBSEP')!));
  }

  private regex(src: string): Regex {
    let re = this.regexCache.get(src);
    if (!re) {
      try {
        re = compilePosix(src, { extended: true, awk: true, work: this.io.work });
      } catch (e) {
        if (!(e instanceof RegexError)) throw e;
        throw new AwkRuntimeError(`regular expression compile failed (${e.message.toLowerCase()})\n${src}`);
      }
      if (this.regexCache.size > 1000) this.regexCache.clear();
      this.regexCache.set(src, re);
    }
    return re;
  }

  private regexOf(e: Expr): Regex {
    return e.k === 'regex' ? this.regex(e.re) : this.regex(toStr(this.eval(e)));
  }

  private get(e: Expr): Val {
    switch (e.k) {
      case 'var': {
        if (this.arrays.has(e.name)) throw new AwkRuntimeError(`can't use array ${e.name} in scalar context`);
        if (e.name === 'NF') return this.fields.length;
        return this.vars.get(e.name) ?? UNINIT;
      }
      case 'field':
        return this.getField(Math.trunc(toNum(this.eval(e.index))));
      case 'index':
        return this.array(e.name).get(this.subscript(e.subs)) ?? UNINIT;
      default:
        throw new AwkRuntimeError('assignment to a value that is not a variable');
    }
  }

  private set(e: Expr, v: Val): Val {
    switch (e.k) {
      case 'var':
        if (this.arrays.has(e.name)) throw new AwkRuntimeError(`can't assign to ${e.name}; it's an array name.`);
        if (e.name === 'NF') {
          const n = Math.max(0, Math.trunc(toNum(v)));
          this.fields = this.fields.slice(0, n);
          while (this.fields.length < n) this.fields.push('');
          this.rebuild();
        }
        this.vars.set(e.name, v);
        if (e.name === 'FS' || e.name === 'OFS') this.vars.set(e.name, toStr(v));
        return v;
      case 'field':
        this.setField(Math.trunc(toNum(this.eval(e.index))), toStr(v, toStr(this.vars.get('CONVFMT')!)));
        return v;
      case 'index': {
        if (this.vars.has(e.name)) throw new AwkRuntimeError(`can't use scalar ${e.name} as array`);
        const a = this.array(e.name);
        a.set(this.subscript(e.subs), v);
        if (a.size > 1_000_000) throw new AwkRuntimeError('array too large for this world');
        return v;
      }
      default:
        throw new AwkRuntimeError('assignment to a value that is not a variable');
    }
  }

  private arith(op: string, a: number, b: number): number {
    switch (op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        if (b === 0) throw new AwkRuntimeError('division by zero');
        return a / b;
      case '%':
        if (b === 0) throw new AwkRuntimeError('division by zero in %');
        return a % b;
      default:
        return Math.pow(a, b);
    }
  }

  eval(e: Expr): Val {
    switch (e.k) {
      case 'num':
        return e.v;
      case 'str':
        return e.v;
      case 'regex':
        return this.regex(e.re).test(this.record) ? 1 : 0;
      case 'var':
      case 'field':
      case 'index':
        return this.get(e);
      case 'group':
        return this.subscript(e.list);
      case 'assign': {
        if (e.op === '=') {
          const v = this.eval(e.value);
          return this.set(e.target, v instanceof StrNum ? v : v);
        }
        const rhs = toNum(this.eval(e.value));
        const cur = toNum(this.get(e.target));
        return this.set(e.target, this.arith(e.op.replace('=', '').replace('**', '^'), cur, rhs));
      }
      case 'cond':
        return truthy(this.eval(e.c)) ? this.eval(e.a) : this.eval(e.b);
      case 'logic': {
        const a = truthy(this.eval(e.a));
        if (e.op === '&&') return a && truthy(this.eval(e.b)) ? 1 : 0;
        return a || truthy(this.eval(e.b)) ? 1 : 0;
      }
      case 'in':
        return this.array(e.name).has(this.subscript(e.subs)) ? 1 : 0;
      case 'match': {
        const s = toStr(this.eval(e.a));
        const m = this.regexOf(e.re).test(s);
        return m !== e.neg ? 1 : 0;
      }
      case 'cmp': {
        const a = this.eval(e.a);
        const b = this.eval(e.b);
        let c: number;
        if (isNumeric(a) && isNumeric(b)) c = toNum(a) - toNum(b);
        else {
          const conv = toStr(this.vars.get('CONVFMT')!);
          const x = toStr(a, conv);
          const y = toStr(b, conv);
          c = x < y ? -1 : x > y ? 1 : 0;
        }
        switch (e.op) {
          case '<':
            return c < 0 ? 1 : 0;
          case '<=':
            return c <= 0 ? 1 : 0;
          case '>':
            return c > 0 ? 1 : 0;
          case '>=':
            return c >= 0 ? 1 : 0;
          case '==':
            return c === 0 ? 1 : 0;
          default:
            return c !== 0 ? 1 : 0;
        }
      }
      case 'concat': {
        const conv = toStr(this.vars.get('CONVFMT')!);
        const s = toStr(this.eval(e.a), conv) + toStr(this.eval(e.b), conv);
        if (s.length > 1_000_000) throw new AwkRuntimeError('string too long for this world');
        return s;
      }
      case 'bin':
        return this.arith(e.op, toNum(this.eval(e.a)), toNum(this.eval(e.b)));
      case 'unary': {
        const v = this.eval(e.a);
        if (e.op === '!') return truthy(v) ? 0 : 1;
        return e.op === '-' ? -toNum(v) : toNum(v);
      }
      case 'incdec': {
        const old = toNum(this.get(e.target));
        const nv = e.op === '++' ? old + 1 : old - 1;
        this.set(e.target, nv);
        return e.prefix ? nv : old;
      }
      case 'call':
        return this.call(e.name, e.args);
    }
  }

  private call(name: string, args: Expr[]): Val {
    const str = (i: number) => toStr(this.eval(args[i]), toStr(this.vars.get('CONVFMT')!));
    const num = (i: number) => toNum(this.eval(args[i]));
    const need = (min: number, max: number) => {
      if (args.length < min || args.length > max) throw new AwkRuntimeError(`wrong number of arguments in call to ${name}`);
    };
    switch (name) {
      case 'length':
        need(0, 1);
        if (args.length === 0) return [...this.record].length;
        if (args[0].k === 'var' && this.arrays.has(args[0].name)) return this.arrays.get(args[0].name)!.size;
        return [...str(0)].length;
      case 'substr': {
        need(2, 3);
        const s = str(0);
        let start = Math.round(num(1));
        let len = args.length === 3 ? Math.round(num(2)) : Infinity;
        if (start < 1) {
          len += start - 1;
          start = 1;
        }
        if (len <= 0) return '';
        return s.substr(start - 1, len === Infinity ? undefined : len);
      }
      case 'index':
        need(2, 2);
        return str(0).indexOf(str(1)) + 1;
      case 'split': {
        need(2, 3);
        const s = str(0);
        if (args[1].k !== 'var') throw new AwkRuntimeError('split: second argument must be an array name');
        const fs = args.length === 3 ? (args[2].k === 'regex' ? args[2].re : str(2)) : toStr(this.vars.get('FS')!);
        const parts = args.length === 3 && args[2].k === 'regex' ? (s === '' ? [] : splitByRegex(this.regex(fs), s)) : this.split(s, fs);
        const arr = this.array(args[1].name);
        arr.clear();
        parts.forEach((p, i) => arr.set(String(i + 1), strnum(p)));
        return parts.length;
      }
      case 'sub':
      case 'gsub': {
        need(2, 3);
        const re = this.regexOf(args[0]);
        const repl = str(1);
        const target: Expr = args[2] ?? { k: 'field', index: { k: 'num', v: 0 } };
        const src = toStr(this.get(target));
        let out = '';
        let last = 0;
        const matches = substitutionMatches(re, src, name === 'sub' ? 1 : Infinity);
        for (const m of matches) {
          const matched = src.slice(m.index, m.end);
          out += src.slice(last, m.index) + repl.replace(/\\\\|\\&|&/g, (t) => (t === '&' ? matched : t === '\\&' ? '&' : '\\'));
          last = m.end;
          if (out.length > 1_000_000) throw new AwkRuntimeError('string too long for this world');
        }
        const count = matches.length;
        if (count > 0) this.set(target, out + src.slice(last));
        return count;
      }
      case 'match': {
        need(2, 2);
        const m = this.regexOf(args[1]).exec(str(0));
        this.vars.set('RSTART', m ? m.index + 1 : 0);
        this.vars.set('RLENGTH', m ? m.end - m.index : -1);
        return m ? m.index + 1 : 0;
      }
      case 'sprintf':
        if (args.length === 0) throw new AwkRuntimeError('wrong number of arguments in call to sprintf');
        return sprintf(str(0), args.slice(1).map((a) => this.eval(a)));
      case 'tolower':
        need(1, 1);
        return str(0).toLowerCase();
      case 'toupper':
        need(1, 1);
        return str(0).toUpperCase();
      case 'int':
        need(1, 1);
        return Math.trunc(num(0));
      case 'sqrt':
        return Math.sqrt(num(0));
      case 'exp':
        return Math.exp(num(0));
      case 'log':
        return Math.log(num(0));
      case 'sin':
        return Math.sin(num(0));
      case 'cos':
        return Math.cos(num(0));
      case 'atan2':
        need(2, 2);
        return Math.atan2(num(0), num(1));
      case 'srand': {
        const prev = this.randState;
        this.randState = args.length ? Math.trunc(num(0)) >>> 0 : 0;
        return prev;
      }
      case 'rand':
        // a fixed-seed generator: the game must replay identically
        this.randState = (Math.imul(this.randState, 1103515245) + 12345) >>> 0;
        return this.randState / 4294967296;
      case 'close':
      case 'fflush':
        return 0;
      default:
        throw new AwkRuntimeError(`${name}() is not available in this world's awk`);
    }
  }
}
