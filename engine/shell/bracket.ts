/**
 * POSIX bracket expressions ([a-z], [^0-9], [[:digit:]]) as the character classes of JavaScript
 * and re2, for globs and regular expressions alike.
 */

const CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-\\x60{-~',
  xdigit: '0-9A-Fa-f',
  cntrl: '\\x00-\\x1f\\x7f',
  print: '\\x20-\\x7e',
  graph: '\\x21-\\x7e',
  word: '\\w',
};

/** The inside of a POSIX bracket expression as a JS character class. */
export function bracketToRe(body: string): string {
  let neg = false;
  let i = 0;
  if (body[0] === '!' || body[0] === '^') {
    neg = true;
    i = 1;
  }
  let out = '';
  for (; i < body.length; i++) {
    const c = body[i];
    if (c === '[' && body[i + 1] === ':') {
      const close = body.indexOf(':]', i + 2);
      const name = close > 0 ? body.slice(i + 2, close) : '';
      if (close > 0 && CLASSES[name] !== undefined) {
        out += CLASSES[name];
        i = close + 1;
        continue;
      }
    }
    if (c === '-' && out !== '' && i + 1 < body.length) out += '-';
    else out += escapeClassChar(c);
  }
  return `[${neg ? '^' : ''}${out}]`;
}

function escapeClassChar(c: string): string {
  return /[\\\]\[^-]/.test(c) ? '\\' + c : c;
}
