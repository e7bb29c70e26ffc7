import { bracketToRe } from './glob';

/**
 * POSIX regular expressions (GNU flavour) translated to JavaScript ones. Basic expressions (grep
 * without -E) treat ( ) { } | + ? as literal unless backslashed; extended ones the other way round.
 * Errors use GNU grep's wording.
 */
export class RegexError extends Error {}

interface RegexOptions {
  extended: boolean;
  ignoreCase?: boolean;
}

function posixToJs(pattern: string, extended: boolean): string {
  let out = '';
  let depth = 0;
  /** at a place where * is literal and ^ is an anchor in a basic expression */
  let atStart = true;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    const startHere = atStart;
    atStart = false;
    if (c === '[') {
      const end = bracketEnd(pattern, i);
      if (end < 0) throw new RegexError('Unmatched [ or [^');
      out += bracketToRe(pattern.slice(i + 1, end));
      i = end;
      continue;
    }
    if (c === '\\') {
      if (i + 1 >= pattern.length) throw new RegexError('Trailing backslash');
      const n = pattern[++i];
      if (!extended && n === '(') {
        depth++;
        out += '(';
        atStart = true;
      } else if (!extended && n === ')') {
        if (depth === 0) throw new RegexError('Unmatched ) or \\)');
        depth--;
        out += ')';
      } else if (!extended && n === '|') {
        out += '|';
        atStart = true;
      } else if (!extended && (n === '+' || n === '?')) out += startHere ? '\\' + n : n;
      else if (!extended && n === '{') {
        const close = pattern.indexOf('\\}', i);
        if (close < 0) throw new RegexError('Unmatched \\{');
        const body = pattern.slice(i + 1, close);
        if (!/^\d*(,\d*)?$/.test(body) || body === '' || body === ',') throw new RegexError('Invalid content of \\{\\}');
        out += `{${body.startsWith(',') ? '0' + body : body}}`;
        i = close + 1;
      } else if (n === '<') out += '\\b(?=\\w)';
      else if (n === '>') out += '\\b(?<=\\w)';
      else if (/[bBwWsS1-9]/.test(n)) out += '\\' + n;
      else out += escapeChar(n);
      continue;
    }
    if (extended) {
      if (c === '(') {
        depth++;
        out += '(';
        atStart = true;
      } else if (c === ')') {
        if (depth === 0) out += '\\)';
        else {
          depth--;
          out += ')';
        }
      } else if (c === '|') {
        out += '|';
        atStart = true;
      } else if (c === '{') {
        const m = /^\{(\d*)(,(\d*))?\}/.exec(pattern.slice(i));
        if (m && (m[1] !== '' || m[3]) && !startHere) {
          out += `{${m[1] || '0'}${m[2] ?? ''}}`;
          i += m[0].length - 1;
        } else out += '\\{';
      } else if ((c === '*' || c === '+' || c === '?') && startHere) out += '\\' + c;
      else if (c === '^') {
        out += '^';
        atStart = true;
      } else if (c === '}') out += '\\}';
      else out += c === '.' || c === '$' || c === '*' || c === '+' || c === '?' ? c : escapeChar(c);
      continue;
    }
    if (c === '*') out += startHere ? '\\*' : '*';
    else if (c === '^') {
      if (startHere) {
        out += '^';
        atStart = true;
      } else out += '\\^';
    } else if (c === '$') {
      const atEnd = i === pattern.length - 1 || pattern.startsWith('\\)', i + 1) || pattern.startsWith('\\|', i + 1);
      out += atEnd ? '$' : '\\$';
    } else if (c === '.') out += '.';
    else out += escapeChar(c);
  }
  if (depth > 0) throw new RegexError('Unmatched ( or \\(');
  return out;
}

/** A JS RegExp for a POSIX pattern, or RegexError with GNU grep's complaint. */
export function compilePosix(pattern: string, opts: RegexOptions, extraFlags = ''): RegExp {
  const src = posixToJs(pattern, opts.extended);
  try {
    return new RegExp(src, (opts.ignoreCase ? 'i' : '') + extraFlags);
  } catch {
    throw new RegexError('Invalid regular expression');
  }
}

function bracketEnd(p: string, start: number): number {
  let i = start + 1;
  if (p[i] === '^') i++;
  if (p[i] === ']') i++;
  for (; i < p.length; i++) {
    if (p[i] === '[' && (p[i + 1] === ':' || p[i + 1] === '.' || p[i + 1] === '=')) {
      const close = p.indexOf(p[i + 1] + ']', i + 2);
      if (close < 0) return -1;
      i = close + 1;
    } else if (p[i] === ']') return i;
  }
  return -1;
}

function escapeChar(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? '\\' + c : c;
}

export function escapeLiteral(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
