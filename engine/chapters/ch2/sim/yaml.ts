/**
 * The YAML the publisher's config can hold, read the way Ruby 1.9.3's Psych (libyaml 0.1.4 under
 * it) reads it: block mappings and sequences, plain and quoted scalars, one-line flow collections,
 * comments. A document Psych would refuse is refused with libyaml's own problem and context words
 * and the position Psych reports (libyaml's context mark, counted from 1). Anything beyond this
 * subset (anchors, tags, block scalars, multi-document streams) is refused in one clear line.
 */

export type YamlValue =
  | { t: 'null' }
  | { t: 'bool'; v: boolean }
  | { t: 'int'; v: number }
  | { t: 'float'; v: number }
  | { t: 'str'; v: string }
  | { t: 'seq'; items: YamlValue[] }
  | { t: 'map'; entries: Array<[string, YamlValue]> };

export interface YamlError {
  problem: string;
  context: string | null;
  /** 1-based, as Psych::SyntaxError prints them */
  line: number;
  column: number;
}

export type YamlResult = { ok: true; value: YamlValue | null } | { ok: false; error: YamlError } | { ok: false; unsupported: string };

class Refused {
  constructor(readonly error: YamlError) {}
}
class Unsupported {
  constructor(readonly what: string) {}
}

/** where the block collection holding a value started, and how its parser words a refusal */
interface Holder {
  line: number;
  col: number;
  problem: string;
  context: string;
}

interface Line {
  /** 0-based line number */
  n: number;
  indent: number;
  /** the line without its comment, trailing blanks trimmed */
  text: string;
  raw: string;
}

const fail = (problem: string, context: string | null, line: number, col: number): never => {
  throw new Refused({ problem, context, line: line + 1, column: col + 1 });
};

/** Psych 1.3's ScalarScanner#tokenize, for the plain scalars this file can hold */
export function resolvePlain(s: string): YamlValue {
  if (s === '' || s === '~' || /^(null|Null|NULL)$/.test(s)) return { t: 'null' };
  if (s.length <= 5 && /^(yes|true|on)$/i.test(s)) return { t: 'bool', v: true };
  if (s.length <= 5 && /^(no|false|off)$/i.test(s)) return { t: 'bool', v: false };
  const digits = s.replace(/[,_]/g, '');
  if (/^[-+]?(0|[1-9][0-9]*)$/.test(digits)) return { t: 'int', v: parseInt(digits, 10) };
  if (/^[-+]?0x[0-9a-fA-F]+$/.test(digits)) return { t: 'int', v: parseInt(digits, 16) };
  if (/^[-+]?0[0-7]+$/.test(digits)) return { t: 'int', v: parseInt(digits, 8) };
  if (/^[-+]?([0-9][0-9_,]*)?\.[0-9]*([eE][-+][0-9]+)?$/.test(s) && /[0-9]/.test(s)) return { t: 'float', v: parseFloat(digits) };
  return { t: 'str', v: s };
}

/** where a comment starts: '#' at the line's start or after a blank, outside quotes */
function stripComment(raw: string): string {
  let quote: string | null = null;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (quote) {
      if (c === quote) quote = null;
      continue;
    }
    if ((c === '"' || c === "'") && (i === 0 || /[\s:[{,-]/.test(raw[i - 1]!))) quote = c;
    else if (c === '#' && (i === 0 || raw[i - 1] === ' ' || raw[i - 1] === '\t')) return raw.slice(0, i);
  }
  return raw;
}

/** the position of a ': ' (or ':' at the end) that makes a key, outside quotes and brackets; -1 if none */
function keyColon(text: string, from: number): number {
  let quote: string | null = null;
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = null;
      continue;
    }
    if ((c === '"' || c === "'") && i === from) quote = c;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ':' && depth <= 0 && (i + 1 === text.length || text[i + 1] === ' ' || text[i + 1] === '\t')) return i;
  }
  return -1;
}

class Parser {
  private i = 0;
  constructor(private readonly lines: Line[]) {}

  private peek(): Line | undefined {
    return this.lines[this.i];
  }

  parseDocument(): YamlValue | null {
    const first = this.peek();
    if (!first) return null;
    const v = this.parseNode(first.indent, first.n, first.indent);
    const rest = this.peek();
    // a node ended and something is left at the top level: the document has a second root
    if (rest) fail('did not find expected <document start>', null, rest.n, rest.indent);
    return v;
  }

  /** a block node whose first line is the current one, at column `col` of its line */
  private parseNode(indent: number, lineNo: number, col: number): YamlValue {
    const line = this.peek()!;
    const text = line.text.slice(col);
    if (text.startsWith('- ') || text === '-') return this.parseSeq(indent, lineNo, col);
    if (keyColon(line.text, col) >= 0) return this.parseMap(indent, lineNo, col);
    return this.parseScalarLines(indent, col);
  }

  private checkTab(line: Line, col: number): void {
    if (line.raw[col] === '\t') fail('found character that cannot start any token', 'while scanning for the next token', line.n, col);
  }

  private parseMap(indent: number, startLine: number, startCol: number): YamlValue {
    const entries: Array<[string, YamlValue]> = [];
    let first = true;
    for (;;) {
      const line = this.peek();
      if (!line) break;
      const col = first ? startCol : line.indent;
      if (!first) {
        if (line.indent < indent) break;
        if (line.indent > indent) fail('did not find expected key', 'while parsing a block mapping', startLine, startCol);
        if (line.text.slice(col).startsWith('- ') || line.text.slice(col) === '-') fail('did not find expected key', 'while parsing a block mapping', startLine, startCol);
      }
      first = false;
      this.checkTab(line, col);
      const colon = keyColon(line.text, col);
      if (colon < 0) fail("could not find expected ':'", 'while scanning a simple key', line.n, col);
      const key = this.keyText(line, col, colon);
      let at = colon + 1;
      while (line.text[at] === ' ') at++;
      this.i++;
      if (at >= line.text.length) {
        // the value is on the lines below, indented more (a sequence may sit at the key's own indent)
        const next = this.peek();
        if (next && (next.indent > indent || (next.indent === indent && (next.text.slice(next.indent).startsWith('- ') || next.text.slice(next.indent) === '-')))) {
          this.checkTab(next, next.indent);
          entries.push([key, this.parseNode(next.indent, next.n, next.indent)]);
        } else entries.push([key, { t: 'null' }]);
        continue;
      }
      this.checkTab(line, at);
      entries.push([key, this.inlineValue(line, at, indent, { line: startLine, col: startCol, problem: 'did not find expected key', context: 'while parsing a block mapping' })]);
    }
    return { t: 'map', entries };
  }

  private keyText(line: Line, col: number, colon: number): string {
    const raw = line.text.slice(col, colon).trimEnd();
    if (raw.startsWith('"') || raw.startsWith("'")) return this.quoted(line, col, false).value;
    if (/^[&*!|>%@`]/.test(raw)) throw new Unsupported(`anchors, tags and block scalars (line ${line.n + 1})`);
    return raw;
  }

  private parseSeq(indent: number, startLine: number, startCol: number): YamlValue {
    const items: YamlValue[] = [];
    let first = true;
    for (;;) {
      const line = this.peek();
      if (!line) break;
      const col = first ? startCol : line.indent;
      if (!first) {
        if (line.indent < indent) break;
        const t = line.text.slice(col);
        if (line.indent > indent || !(t.startsWith('- ') || t === '-')) {
          if (line.indent === indent && keyColon(line.text, col) >= 0) break;
          fail("did not find expected '-' indicator", 'while parsing a block collection', startLine, startCol);
        }
      }
      first = false;
      let at = col + 1;
      while (line.text[at] === ' ') at++;
      if (at >= line.text.length) {
        this.i++;
        const next = this.peek();
        if (next && next.indent > indent) items.push(this.parseNode(next.indent, next.n, next.indent));
        else items.push({ t: 'null' });
        continue;
      }
      if (keyColon(line.text, at) >= 0 || line.text.slice(at).startsWith('- ')) {
        // "- key: value": a mapping (or sequence) that starts inside the item
        items.push(this.parseNode(at, line.n, at));
        continue;
      }
      this.i++;
      items.push(this.inlineValue(line, at, indent, { line: startLine, col: startCol, problem: "did not find expected '-' indicator", context: 'while parsing a block collection' }));
    }
    return { t: 'seq', items };
  }

  /** a scalar or flow collection that starts at `at` of a line already consumed */
  private inlineValue(line: Line, at: number, parentIndent: number, holder: Holder | null): YamlValue {
    const c = line.text[at]!;
    if (c === '"' || c === "'") {
      const q = this.quoted(line, at, true);
      this.afterToken(q.endLine, q.endCol, parentIndent, holder);
      return { t: 'str', v: q.value };
    }
    if (c === '[' || c === '{') {
      const v = this.flow(line, at);
      this.afterToken(line, line.text.length, parentIndent, holder);
      return v;
    }
    if (/^[&*!|>%@`]/.test(c)) throw new Unsupported(`anchors, tags and block scalars (line ${line.n + 1})`);
    const inner = keyColon(line.text, at);
    if (inner >= 0) fail('mapping values are not allowed in this context', null, line.n, inner);
    let value = line.text.slice(at).trimEnd();
    // a plain scalar goes on over the lines indented more than its mapping (folded with a space)
    for (;;) {
      const next = this.peek();
      if (!next || next.indent <= parentIndent) break;
      const colon = keyColon(next.text, next.indent);
      if (colon >= 0) fail('mapping values are not allowed in this context', null, next.n, colon);
      value += ` ${next.text.slice(next.indent).trimEnd()}`;
      this.i++;
    }
    return resolvePlain(value);
  }

  /** a top-level (or item-level) scalar over one or more lines */
  private parseScalarLines(indent: number, col: number): YamlValue {
    const line = this.peek()!;
    this.i++;
    return this.inlineValue(line, col, indent - 1, null);
  }

  /** nothing may follow a quoted scalar or a flow collection, on its line or indented below it */
  private afterToken(line: Line, endCol: number, parentIndent: number, holder: Holder | null): void {
    const tail = line.text.slice(endCol);
    const next = this.peek();
    const more = tail.trim() !== '' ? { n: line.n, col: endCol + tail.length - tail.trimStart().length } : next && next.indent > parentIndent ? { n: next.n, col: next.indent } : null;
    if (!more) return;
    const text = more.n === line.n ? line.text : next!.text;
    const colon = keyColon(text, more.col);
    if (more.n === line.n && colon >= 0) fail('mapping values are not allowed in this context', null, line.n, colon);
    if (holder) fail(holder.problem, holder.context, holder.line, holder.col);
    fail('did not find expected <document start>', null, more.n, more.col);
  }

  /**
   * A quoted scalar from `at` of `line`. A value's quote may run on over the lines below (folded
   * into one), which are then used up; one that never closes meets the end of the stream.
   */
  private quoted(line: Line, at: number, multiline: boolean): { value: string; endLine: Line; endCol: number } {
    const q = line.raw[at]!;
    let out = '';
    let l = line;
    let pos = at + 1;
    for (;;) {
      const raw = l.raw;
      while (pos < raw.length) {
        const c = raw[pos]!;
        if (q === "'" && c === "'" && raw[pos + 1] === "'") {
          out += "'";
          pos += 2;
          continue;
        }
        if (c === q) return { value: out, endLine: l, endCol: pos + 1 };
        if (q === '"' && c === '\\') {
          const e = raw[pos + 1] ?? '';
          out += ({ n: '\n', t: '\t', '"': '"', '\\': '\\', '/': '/', '0': '\0', r: '\r', ' ': ' ' } as Record<string, string>)[e] ?? '';
          pos += 2;
          continue;
        }
        out += c;
        pos++;
      }
      const next = multiline ? this.lines[this.i] : undefined;
      if (!next) fail('found unexpected end of stream', 'while scanning a quoted scalar', line.n, at);
      this.i++;
      out = `${out.trimEnd()} `;
      l = next!;
      pos = 0;
      while (l.raw[pos] === ' ' || l.raw[pos] === '\t') pos++;
    }
  }

  /** a flow sequence or mapping on one line */
  private flow(line: Line, at: number): YamlValue {
    const text = line.text;
    const open = text[at]!;
    const close = open === '[' ? ']' : '}';
    let depth = 0;
    let end = -1;
    for (let k = at; k < text.length; k++) {
      if (text[k] === '[' || text[k] === '{') depth++;
      else if (text[k] === ']' || text[k] === '}') {
        depth--;
        if (depth === 0) {
          end = k;
          break;
        }
      }
    }
    if (end < 0 || text[end] !== close) {
      if (open === '[') fail("did not find expected ',' or ']'", 'while parsing a flow sequence', line.n, at);
      fail("did not find expected ',' or '}'", 'while parsing a flow mapping', line.n, at);
    }
    const body = text.slice(at + 1, end).trim();
    const parts = body === '' ? [] : body.split(',').map((s) => s.trim());
    if (open === '[') return { t: 'seq', items: parts.map(resolvePlain) };
    return {
      t: 'map',
      entries: parts.map((p) => {
        const m = /^([^:]+):\s*(.*)$/.exec(p);
        return m ? [m[1]!.trim(), resolvePlain(m[2]!.trim())] : [p, { t: 'null' }];
      }),
    };
  }
}

/** Parses a document as Psych.load would; null for an empty one. */
export function parseYaml(text: string): YamlResult {
  const lines: Line[] = [];
  const raw = text.split('\n');
  for (let n = 0; n < raw.length; n++) {
    const r = raw[n]!.replace(/\r$/, '');
    if (n === 0 && /^---\s*$/.test(r)) continue;
    if (/^(---|\.\.\.)(\s|$)/.test(r) || r.startsWith('%')) return { ok: false, unsupported: `document markers and directives past the first line (line ${n + 1})` };
    const text = stripComment(r).trimEnd();
    if (text.trim() === '') continue;
    let indent = 0;
    while (text[indent] === ' ') indent++;
    lines.push({ n, indent, text, raw: r });
  }
  try {
    return { ok: true, value: new Parser(lines).parseDocument() };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, error: e.error };
    if (e instanceof Unsupported) return { ok: false, unsupported: e.what };
    throw e;
  }
}
