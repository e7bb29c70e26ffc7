/**
 * Tells a cut-off JSON document from text that is not JSON at all: `complete` is a whole JSON
 * document, `incomplete` is a valid beginning of one that stops too early (a save whose write was
 * interrupted), `invalid` goes wrong at index `at`.
 */
type JsonPrefixVerdict = { kind: 'complete' } | { kind: 'incomplete' } | { kind: 'invalid'; at: number };

const COMPLETE: JsonPrefixVerdict = { kind: 'complete' };
const INCOMPLETE: JsonPrefixVerdict = { kind: 'incomplete' };
const invalid = (at: number): JsonPrefixVerdict => ({ kind: 'invalid', at });

const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
const NUMBER_CHARS = /[-+0-9.eE]*/y;
const HEX = /^[0-9a-fA-F]$/;
const LITERALS: Record<string, string> = { t: 'true', f: 'false', n: 'null' };

type Expect = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'comma-or-close' | 'end';

/** Scans the string starting with the quote at `start`; returns the index after its closing quote. */
function scanString(text: string, start: number): number | JsonPrefixVerdict {
  const n = text.length;
  let i = start + 1;
  while (i < n) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22) return i + 1;
    if (ch === 0x5c) {
      if (i + 1 >= n) return INCOMPLETE;
      const e = text[i + 1];
      if (e === 'u') {
        for (let k = 2; k < 6; k++) {
          if (i + k >= n) return INCOMPLETE;
          if (!HEX.test(text[i + k])) return invalid(i + k);
        }
        i += 6;
        continue;
      }
      if ('"\\/bfnrt'.includes(e)) {
        i += 2;
        continue;
      }
      return invalid(i + 1);
    }
    if (ch < 0x20) return invalid(i);
    i++;
  }
  return INCOMPLETE;
}

export function checkJsonPrefix(text: string): JsonPrefixVerdict {
  const n = text.length;
  const stack: ('{' | '[')[] = [];
  let expect: Expect = 'value';
  let i = 0;
  const afterValue = (): Expect => (stack.length > 0 ? 'comma-or-close' : 'end');
  for (;;) {
    while (i < n && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
    if (i >= n) return expect === 'end' ? COMPLETE : INCOMPLETE;
    const c = text[i];
    if (expect === 'end') return invalid(i);
    if (expect === 'colon') {
      if (c !== ':') return invalid(i);
      i++;
      expect = 'value';
      continue;
    }
    if (expect === 'comma-or-close') {
      const top = stack[stack.length - 1];
      if (c === ',') {
        i++;
        expect = top === '{' ? 'key' : 'value';
        continue;
      }
      if ((c === '}' && top === '{') || (c === ']' && top === '[')) {
        stack.pop();
        i++;
        expect = afterValue();
        continue;
      }
      return invalid(i);
    }
    if (expect === 'key-or-close' && c === '}') {
      stack.pop();
      i++;
      expect = afterValue();
      continue;
    }
    if (expect === 'key' || expect === 'key-or-close') {
      if (c !== '"') return invalid(i);
      const r = scanString(text, i);
      if (typeof r !== 'number') return r;
      i = r;
      expect = 'colon';
      continue;
    }
    if (expect === 'value-or-close' && c === ']') {
      stack.pop();
      i++;
      expect = afterValue();
      continue;
    }
    // a value
    if (c === '{' || c === '[') {
      stack.push(c);
      i++;
      expect = c === '{' ? 'key-or-close' : 'value-or-close';
      continue;
    }
    if (c === '"') {
      const r = scanString(text, i);
      if (typeof r !== 'number') return r;
      i = r;
      expect = afterValue();
      continue;
    }
    const word = LITERALS[c];
    if (word !== undefined) {
      const got = text.slice(i, i + word.length);
      if (got === word) {
        i += word.length;
        expect = afterValue();
        continue;
      }
      for (let k = 0; k < got.length; k++) if (got[k] !== word[k]) return invalid(i + k);
      return INCOMPLETE; // a prefix of the word, cut off by the end of the text
    }
    if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER_CHARS.lastIndex = i;
      const tok = NUMBER_CHARS.exec(text)?.[0] ?? '';
      if (i + tok.length >= n) {
        if (stack.length === 0 && NUMBER.test(tok)) return COMPLETE;
        return NUMBER.test(tok) || NUMBER.test(`${tok}0`) ? INCOMPLETE : invalid(i);
      }
      if (!NUMBER.test(tok)) return invalid(i);
      i += tok.length;
      expect = afterValue();
      continue;
    }
    return invalid(i);
  }
}

/** 1-based line and column of a string index, for messages. */
export function lineColumn(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < index && k < text.length; k++) {
    if (text.charCodeAt(k) === 0x0a) {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, column: index - lineStart + 1 };
}
