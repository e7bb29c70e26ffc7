/**
 * Evaluates the shell's one-line JavaScript (js.ts) over the shell's values (values.ts), with
 * V8 3.12's wording for what goes wrong at run time: "ReferenceError: x is not defined",
 * "TypeError: Cannot call method 'x' of undefined", "TypeError: Object test has no method 'x'",
 * "TypeError: Property 'x' of object events.events is not a function".
 */
import { JsNotSimulated, JsSyntaxError, type Expr, type Stmt } from './js';
import { FnV, HostObj, JsObj, JsThrow, jsString, NumberIntV, NumberLongV, truthy, typeOf, type JsVal } from './values';

export class Scope {
  readonly vars = new Map<string, JsVal>();
  /** the enclosing scope (a function's is the one it was written in) */
  constructor(readonly parent?: Scope) {}
  has(name: string): boolean {
    return this.vars.has(name) || (this.parent?.has(name) ?? false);
  }
  get(name: string): JsVal {
    return this.vars.has(name) ? this.vars.get(name) : this.parent?.get(name);
  }
  /** assignment: the innermost scope that has the name, else the global one (sloppy mode) */
  assign(name: string, v: JsVal): void {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      if (s.vars.has(name) || !s.parent) {
        s.vars.set(name, v);
        return;
      }
    }
  }
}

/** V8's stack holds some thousands of frames; the shell's one-liners never come near a few hundred */
const MAX_CALL_DEPTH = 400;

function typeErr(msg: string): JsThrow {
  return new JsThrow(`TypeError: ${msg}`);
}

/** a property of any value, as JavaScript looks it up (strings and arrays have a few of their own) */
/** the callback a method was given, or V8's TypeError for what it was given instead */
function callback(f: JsVal): FnV {
  if (f instanceof FnV) return f;
  throw typeErr(`${f === undefined ? 'undefined' : jsString(f)} is not a function`);
}

const int = (v: JsVal, dflt: number): number => (v === undefined ? dflt : Math.trunc(toNum(v)) || 0);

/** ES5's array methods that a shell one-liner reaches for (rs.status().members.forEach(...)) */
function arrayMethod(arr: JsVal[], name: string): FnV | undefined {
  const each = (a: JsVal[], fn: (v: JsVal, r: JsVal, i: number) => void): void => {
    const f = callback(a[0]);
    const items = [...arr];
    items.forEach((v, i) => fn(v, f.call(undefined, [v, i, arr]), i));
  };
  switch (name) {
    case 'forEach':
      return new FnV(name, (_s, a) => void each(a, () => undefined));
    case 'map':
      return new FnV(name, (_s, a) => {
        const out: JsVal[] = [];
        each(a, (_v, r) => out.push(r));
        return out;
      });
    case 'filter':
      return new FnV(name, (_s, a) => {
        const out: JsVal[] = [];
        each(a, (v, r) => {
          if (truthy(r)) out.push(v);
        });
        return out;
      });
    case 'indexOf':
      return new FnV(name, (_s, a) => arr.indexOf(a[0]));
    case 'slice':
      return new FnV(name, (_s, a) => arr.slice(int(a[0], 0), a[1] === undefined ? undefined : int(a[1], arr.length)));
    case 'concat':
      return new FnV(name, (_s, a) => arr.concat(...a.map((x) => (Array.isArray(x) ? x : [x]))));
    case 'push':
      return new FnV(name, (_s, a) => arr.push(...a));
    case 'reverse':
      return new FnV(name, () => arr.reverse());
    default:
      return undefined;
  }
}

/** ES5's string methods for printing what a document holds */
function stringMethod(str: string, name: string): FnV | undefined {
  switch (name) {
    case 'toUpperCase':
      return new FnV(name, () => str.toUpperCase());
    case 'toLowerCase':
      return new FnV(name, () => str.toLowerCase());
    case 'trim':
      return new FnV(name, () => str.trim());
    case 'indexOf':
      return new FnV(name, (_s, a) => str.indexOf(jsString(a[0]), int(a[1], 0)));
    case 'substring':
      return new FnV(name, (_s, a) => str.substring(int(a[0], 0), a[1] === undefined ? undefined : int(a[1], str.length)));
    case 'slice':
      return new FnV(name, (_s, a) => str.slice(int(a[0], 0), a[1] === undefined ? undefined : int(a[1], str.length)));
    case 'split':
      // a separator that is not a string (a regular expression) is not simulated: the shell's JavaScript has no literals for it here
      return new FnV(name, (_s, a) => (a[0] === undefined ? [str] : str.split(jsString(a[0]))));
    default:
      return undefined;
  }
}

export function getProp(obj: JsVal, name: string): JsVal {
  if (obj === undefined || obj === null) throw typeErr(`Cannot read property '${name}' of ${obj === null ? 'null' : 'undefined'}`);
  if (obj instanceof HostObj) return obj.get(name);
  if (obj instanceof JsObj) return obj.m.get(name);
  if (Array.isArray(obj)) {
    if (name === 'length') return obj.length;
    if (/^\d+$/.test(name)) return obj[Number(name)];
    if (name === 'join') return new FnV('join', (_s, a) => obj.map((x) => (x === undefined || x === null ? '' : jsString(x))).join(a[0] === undefined ? ',' : jsString(a[0])));
    return arrayMethod(obj, name);
  }
  if (typeof obj === 'string') {
    if (name === 'length') return obj.length;
    if (/^\d+$/.test(name)) return obj[Number(name)];
    return stringMethod(obj, name);
  }
  if (obj instanceof NumberLongV) {
    if (name === 'toNumber' || name === 'valueOf') return new FnV(name, () => obj.toNumber());
    if (name === 'toString') return new FnV(name, () => jsString(obj));
    return undefined;
  }
  if (obj instanceof NumberIntV) {
    if (name === 'toNumber' || name === 'valueOf') return new FnV(name, () => obj.v);
    return undefined;
  }
  if (obj instanceof Date) {
    const d = obj;
    const fns: Record<string, () => JsVal> = {
      getTime: () => d.getTime(),
      valueOf: () => d.getTime(),
      toString: () => jsString(d),
      toISOString: () => d.toISOString(),
      getUTCFullYear: () => d.getUTCFullYear(),
      getUTCHours: () => d.getUTCHours(),
    };
    return fns[name] ? new FnV(name, fns[name]!) : undefined;
  }
  return undefined;
}

function setProp(obj: JsVal, name: string, v: JsVal): void {
  if (obj === undefined || obj === null) throw typeErr(`Cannot set property '${name}' of ${obj === null ? 'null' : 'undefined'}`);
  if (obj instanceof JsObj) obj.m.set(name, v);
  else if (obj instanceof HostObj) obj.set?.(name, v);
  else if (Array.isArray(obj) && /^\d+$/.test(name)) obj[Number(name)] = v;
}

function toNum(v: JsVal): number {
  if (typeof v === 'number') return v;
  if (v === undefined) return NaN;
  if (v === null || v === false) return 0;
  if (v === true) return 1;
  if (typeof v === 'string') return v.trim() === '' ? 0 : Number(v);
  if (v instanceof Date) return v.getTime();
  if (v instanceof NumberLongV) return v.toNumber();
  if (v instanceof NumberIntV) return v.v;
  return NaN;
}

function looseEq(a: JsVal, b: JsVal): boolean {
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (a === null || a === undefined || b === null || b === undefined) return false;
  if (typeof a === typeof b && typeof a !== 'object') return a === b;
  if (typeof a === 'object' || typeof b === 'object') {
    if (typeof a === 'object' && typeof b === 'object') return a === b;
    return toNum(a) === toNum(b) || jsString(a) === jsString(b);
  }
  return toNum(a) === toNum(b);
}

function binary(op: string, a: JsVal, b: JsVal): JsVal {
  switch (op) {
    case '+':
      if (typeof a === 'string' || typeof b === 'string' || (typeof a === 'object' && a !== null) || (typeof b === 'object' && b !== null)) {
        const prim = (v: JsVal): JsVal => (v instanceof Date ? jsString(v) : typeof v === 'object' && v !== null ? jsString(v) : v);
        const pa = prim(a);
        const pb = prim(b);
        if (typeof pa === 'string' || typeof pb === 'string') return jsString(pa) + jsString(pb);
        return toNum(pa) + toNum(pb);
      }
      return toNum(a) + toNum(b);
    case '-':
      return toNum(a) - toNum(b);
    case '*':
      return toNum(a) * toNum(b);
    case '/':
      return toNum(a) / toNum(b);
    case '%':
      return toNum(a) % toNum(b);
    case '==':
      return looseEq(a, b);
    case '!=':
      return !looseEq(a, b);
    case '===':
      return a === b;
    case '!==':
      return a !== b;
    case '<':
    case '>':
    case '<=':
    case '>=': {
      if (typeof a === 'string' && typeof b === 'string') return op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
      const x = toNum(a);
      const y = toNum(b);
      return op === '<' ? x < y : op === '>' ? x > y : op === '<=' ? x <= y : x >= y;
    }
    case ',':
      return b;
  }
  throw new JsNotSimulated(`the operator ${op}`);
}

export class Interp {
  private scope: Scope;
  private depth = 0;
  constructor(
    readonly globals: Scope,
    /** constructors `new X(...)` may build (Date, ObjectId...) */
    readonly construct: (name: string, args: JsVal[]) => JsVal | typeof NOT_CONSTRUCTOR,
  ) {
    this.scope = globals;
  }

  /** runs the statements; the value of the last expression statement (what --eval prints) */
  run(stmts: Stmt[], onValue?: (v: JsVal) => void): JsVal {
    let last: JsVal = undefined;
    for (const s of stmts) {
      if (s.k === 'empty' || s.k === 'return') continue;
      if (s.k === 'var') {
        this.declare(s.decls);
        last = undefined;
        continue;
      }
      last = this.eval(s.e);
      onValue?.(last);
    }
    return last;
  }

  private declare(decls: Array<[string, Expr | undefined]>): void {
    for (const [name, init] of decls) {
      const v = init ? this.eval(init) : undefined;
      if (init || !this.scope.vars.has(name)) this.scope.vars.set(name, v);
    }
  }

  /** a function literal: its parameters in a scope of its own over the one it was written in */
  private closure(params: string[], body: Stmt[]): FnV {
    const outer = this.scope;
    return new FnV('', (_self, args) => {
      if (this.depth >= MAX_CALL_DEPTH) throw new JsThrow('RangeError: Maximum call stack size exceeded');
      const saved = this.scope;
      this.scope = new Scope(outer);
      params.forEach((p, i) => this.scope.vars.set(p, args[i]));
      this.depth++;
      try {
        for (const s of body) {
          if (s.k === 'return') return s.e ? this.eval(s.e) : undefined;
          if (s.k === 'var') this.declare(s.decls);
          else if (s.k === 'expr') this.eval(s.e);
        }
        return undefined;
      } finally {
        this.depth--;
        this.scope = saved;
      }
    });
  }

  eval(e: Expr): JsVal {
    switch (e.k) {
      case 'num':
        return e.v;
      case 'str':
        return e.v;
      case 'bool':
        return e.v;
      case 'null':
        return null;
      case 'ident':
        if (e.name === 'undefined') return undefined;
        if (e.name === 'NaN') return NaN;
        if (e.name === 'Infinity') return Infinity;
        if (!this.scope.has(e.name)) throw new JsThrow(`ReferenceError: ${e.name} is not defined`);
        return this.scope.get(e.name);
      case 'obj': {
        const o = new JsObj();
        for (const [k, v] of e.props) o.set(k, this.eval(v));
        return o;
      }
      case 'arr':
        return e.items.map((x) => this.eval(x));
      case 'member':
        return getProp(this.eval(e.obj), e.prop);
      case 'index': {
        const o = this.eval(e.obj);
        return getProp(o, jsString(this.eval(e.idx)));
      }
      case 'call':
        return this.call(e.callee, e.args.map((a) => this.eval(a)));
      case 'new': {
        const args = e.args.map((a) => this.eval(a));
        const name = e.callee.k === 'ident' ? e.callee.name : null;
        if (name !== null) {
          if (!this.scope.has(name)) throw new JsThrow(`ReferenceError: ${name} is not defined`);
          const made = this.construct(name, args);
          if (made !== NOT_CONSTRUCTOR) return made;
        }
        const f = this.eval(e.callee);
        if (f instanceof FnV) return f.call(undefined, args);
        throw typeErr(`${typeOf(f)} is not a function`);
      }
      case 'unary': {
        if (e.op === 'typeof') {
          if (e.e.k === 'ident' && !this.scope.has(e.e.name) && !['undefined', 'NaN', 'Infinity'].includes(e.e.name)) return 'undefined';
          return typeOf(this.eval(e.e));
        }
        const v = this.eval(e.e);
        if (e.op === '!') return !truthy(v);
        if (e.op === '-') return -toNum(v);
        return toNum(v);
      }
      case 'logic': {
        const l = this.eval(e.l);
        if (e.op === '&&') return truthy(l) ? this.eval(e.r) : l;
        return truthy(l) ? l : this.eval(e.r);
      }
      case 'cond':
        return truthy(this.eval(e.test)) ? this.eval(e.yes) : this.eval(e.no);
      case 'bin':
        return binary(e.op, this.eval(e.l), this.eval(e.r));
      case 'fn':
        return this.closure(e.params, e.body);
      case 'assign': {
        const v = this.eval(e.value);
        if (e.target.k === 'ident') this.scope.assign(e.target.name, v);
        else if (e.target.k === 'member') setProp(this.eval(e.target.obj), e.target.prop, v);
        else if (e.target.k === 'index') {
          const o = this.eval(e.target.obj);
          setProp(o, jsString(this.eval(e.target.idx)), v);
        }
        return v;
      }
    }
  }

  private call(callee: Expr, args: JsVal[]): JsVal {
    if (callee.k === 'member' || callee.k === 'index') {
      const self = this.eval(callee.obj);
      const name = callee.k === 'member' ? callee.prop : jsString(this.eval(callee.idx));
      if (self === undefined || self === null) throw typeErr(`Cannot call method '${name}' of ${self === null ? 'null' : 'undefined'}`);
      const f = getProp(self, name);
      if (f instanceof FnV) return f.call(self, args);
      if (f === undefined) throw typeErr(`Object ${jsString(self)} has no method '${name}'`);
      throw typeErr(`Property '${name}' of object ${jsString(self)} is not a function`);
    }
    if (callee.k === 'ident' && !this.scope.has(callee.name)) throw new JsThrow(`ReferenceError: ${callee.name} is not defined`);
    const f = this.eval(callee);
    if (f instanceof FnV) return f.call(undefined, args);
    throw typeErr(`${typeOf(f)} is not a function`);
  }
}

export const NOT_CONSTRUCTOR = Symbol('not a constructor');

export { JsSyntaxError, JsNotSimulated };
