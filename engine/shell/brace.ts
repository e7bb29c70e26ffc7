/**
 * Brace expansion of unquoted text: `{a,b}` and `{1..10}` (optionally `{1..10..2}`, `{a..e}`).
 * Only braces within one stretch of unquoted text expand; `{$x,y}` stays as typed.
 */
export function expandBraces(text: string, max: number): string[] {
  const found = findBrace(text);
  if (!found) return [text];
  const { start, end, alternatives } = found;
  const prefix = text.slice(0, start);
  const suffix = text.slice(end + 1);
  const out: string[] = [];
  for (const alt of alternatives) {
    for (const rest of expandBraces(prefix + alt + suffix, max)) {
      out.push(rest);
      if (out.length > max) throw new RangeError('brace expansion too large');
    }
  }
  return out;
}

function findBrace(text: string): { start: number; end: number; alternatives: string[] } | null {
  for (let start = text.indexOf('{'); start >= 0; start = text.indexOf('{', start + 1)) {
    let depth = 0;
    const commas: number[] = [];
    let end = -1;
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (depth === 0) {
          end = i;
          break;
        }
      } else if (c === ',' && depth === 1) commas.push(i);
    }
    if (end < 0) return null;
    const inner = text.slice(start + 1, end);
    if (commas.length > 0) {
      const alternatives: string[] = [];
      let from = start + 1;
      for (const c of [...commas, end]) {
        alternatives.push(text.slice(from, c));
        from = c + 1;
      }
      return { start, end, alternatives };
    }
    const seq = sequence(inner);
    if (seq) return { start, end, alternatives: seq };
  }
  return null;
}

function sequence(inner: string): string[] | null {
  const num = /^(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$/.exec(inner);
  if (num) {
    const a = Number(num[1]);
    const b = Number(num[2]);
    let step = Math.abs(Number(num[3] ?? 1)) || 1;
    if (Math.abs(b - a) / step > 1_000_000) throw new RangeError('brace expansion too large');
    const width = /^-?0\d/.test(num[1]) || /^-?0\d/.test(num[2]) ? Math.max(num[1].length, num[2].length) : 0;
    const out: string[] = [];
    if (a > b) step = -step;
    for (let v = a; step > 0 ? v <= b : v >= b; v += step) {
      const s = String(Math.abs(v)).padStart(width - (v < 0 ? 1 : 0), '0');
      out.push(v < 0 ? '-' + s : s);
    }
    return out;
  }
  const chr = /^([A-Za-z])\.\.([A-Za-z])(?:\.\.(-?\d+))?$/.exec(inner);
  if (chr) {
    const a = chr[1].charCodeAt(0);
    const b = chr[2].charCodeAt(0);
    let step = Math.abs(Number(chr[3] ?? 1)) || 1;
    if (a > b) step = -step;
    const out: string[] = [];
    for (let v = a; step > 0 ? v <= b : v >= b; v += step) out.push(String.fromCharCode(v));
    return out;
  }
  return null;
}
