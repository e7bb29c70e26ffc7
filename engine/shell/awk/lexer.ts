/** Tokens of the awk subset. `/` is a regex or a division depending on what came before. */

type TokKind = 'num' | 'str' | 'regex' | 'name' | 'builtin' | 'keyword' | 'op' | 'nl' | 'eof' | 'funcname';

export interface Tok {
  kind: TokKind;
  value: string;
  line: number;
}

export class AwkSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly near: string,
    readonly custom?: string,
  ) {
    super(custom ?? `syntax error at or near ${near}`);
  }
}

const KEYWORDS = new Set(['BEGIN', 'END', 'if', 'else', 'while', 'for', 'do', 'in', 'print', 'printf', 'next', 'exit', 'break', 'continue', 'delete', 'getline', 'function', 'func', 'return', 'nextfile']);
const BUILTINS = new Set(['length', 'substr', 'index', 'split', 'sub', 'gsub', 'match', 'sprintf', 'tolower', 'toupper', 'int', 'sqrt', 'exp', 'log', 'sin', 'cos', 'atan2', 'rand', 'srand', 'system', 'close', 'fflush']);
const OPS = ['**=', '^=', '+=', '-=', '*=', '/=', '%=', '==', '<=', '>=', '!=', '++', '--', '&&', '||', '>>', '!~', '**', '{', '}', '(', ')', '[', ']', ';', ',', '+', '-', '*', '/', '%', '^', '!', '>', '<', '|', '?', ':', '~', '$', '='];

/** after these a `/` divides; anywhere else it starts a regex */
function endsOperand(t: Tok | undefined): boolean {
  if (!t) return false;
  if (t.kind === 'num' || t.kind === 'str' || t.kind === 'name' || t.kind === 'regex') return true;
  if (t.kind === 'builtin') return true;
  return t.kind === 'op' && (t.value === ')' || t.value === ']' || t.value === '++' || t.value === '--' || t.value === '$');
}

export function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  let line = 1;
  const push = (kind: TokKind, value: string) => toks.push({ kind, value, line });
  while (i < src.length) {
    const c = src[i];
    if (c === '\\' && src[i + 1] === '\n') {
      i += 2;
      line++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '\n') {
      push('nl', '\n');
      line++;
      i++;
      continue;
    }
    if (c === '"') {
      let s = '';
      i++;
      while (i < src.length && src[i] !== '"') {
        if (src[i] === '\n') throw new AwkSyntaxError(line, '', 'runaway string constant "' + s.slice(0, 10) + ' ...');
        if (src[i] === '\\' && i + 1 < src.length) {
          const n = src[i + 1];
          const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', '/': '/', a: '\x07', b: '\b', f: '\f', v: '\v' };
          if (/[0-7]/.test(n)) {
            const oct = /^[0-7]{1,3}/.exec(src.slice(i + 1))![0];
            s += String.fromCharCode(parseInt(oct, 8));
            i += 1 + oct.length;
            continue;
          }
          s += map[n] ?? '\\' + n;
          i += 2;
          continue;
        }
        s += src[i++];
      }
      if (i >= src.length) throw new AwkSyntaxError(line, '', `runaway string constant "${s.slice(0, 10)} ...`);
      i++;
      push('str', s);
      continue;
    }
    if (c === '/' && !endsOperand(toks[toks.length - 1])) {
      let s = '';
      i++;
      let inClass = false;
      while (i < src.length && (src[i] !== '/' || inClass)) {
        if (src[i] === '\n') throw new AwkSyntaxError(line, '', `runaway regular expression /${s.slice(0, 10)} ...`);
        if (src[i] === '\\' && i + 1 < src.length) {
          s += src[i + 1] === '/' ? '/' : src[i] + src[i + 1];
          i += 2;
          continue;
        }
        if (src[i] === '[') inClass = true;
        else if (src[i] === ']') inClass = false;
        s += src[i++];
      }
      if (i >= src.length) throw new AwkSyntaxError(line, '', `runaway regular expression /${s.slice(0, 10)} ...`);
      i++;
      push('regex', s);
      continue;
    }
    const num = /^(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(src.slice(i, i + 64));
    if (num) {
      push('num', num[0]);
      i += num[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i, i + 256));
    if (name) {
      const w = name[0];
      i += w.length;
      if (KEYWORDS.has(w)) push('keyword', w);
      else if (BUILTINS.has(w)) push('builtin', w);
      else push(src[i] === '(' ? 'funcname' : 'name', w);
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new AwkSyntaxError(line, c);
    push('op', op);
    i += op.length;
  }
  push('eof', 'end of file');
  return toks;
}
