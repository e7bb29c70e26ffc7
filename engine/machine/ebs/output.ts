/**
 * aws-cli 1.7's three output formats (awscli/formatter.py, text.py, table.py at tag 1.7.26), over
 * a response whose objects already hold their keys in Python 2.7's order (py2dict.ts).
 * - json: `json.dump(response, indent=4, ensure_ascii=False)` on Python 2.7, whose default item
 *   separator ', ' leaves a space at the end of every line that ends in a comma.
 * - text: scalars of a dict on one tab-separated line (keys sorted), lists and dicts below it
 *   under their key in capitals; Python's str() of each value (True, None).
 * - table: the MultiTable of table.py for a terminal 80 columns wide, without colour (the game
 *   prints no ANSI, as when stdout is not a terminal).
 */

export type PyValue = string | number | boolean | null | PyValue[] | { [k: string]: PyValue };

const isObj = (v: PyValue): v is { [k: string]: PyValue } => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: PyValue): boolean => !(typeof v === 'object' && v !== null);

/** Python 2.7's json string encoder with ensure_ascii=False */
function jsonString(s: string): string {
  return (
    '"' +
    s.replace(/[\x00-\x1f\\"]/g, (c) => {
      switch (c) {
        case '"':
          return '\\"';
        case '\\':
          return '\\\\';
        case '\n':
          return '\\n';
        case '\r':
          return '\\r';
        case '\t':
          return '\\t';
        case '\b':
          return '\\b';
        case '\f':
          return '\\f';
        default:
          return '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');
      }
    }) +
    '"'
  );
}

function jsonValue(v: PyValue, level: number): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return jsonString(v);
  const inner = '\n' + ' '.repeat(4 * (level + 1));
  const outer = '\n' + ' '.repeat(4 * level);
  if (Array.isArray(v)) {
    if (!v.length) return '[]';
    return '[' + inner + v.map((e) => jsonValue(e, level + 1)).join(',' + ' ' + inner) + outer + ']';
  }
  const keys = Object.keys(v);
  if (!keys.length) return '{}';
  return '{' + inner + keys.map((k) => jsonString(k) + ': ' + jsonValue(v[k]!, level + 1)).join(', ' + inner) + outer + '}';
}

/** Python's truth of a value: empty containers, '', 0, False and None are false */
export const pyTruthy = (v: PyValue): boolean => !(v === null || v === '' || v === 0 || v === false || (Array.isArray(v) && !v.length) || (isObj(v) && !Object.keys(v).length));

/** what `--output json` prints: nothing for a false response (an operation without output, such as delete-snapshot) */
export function formatJson(response: PyValue): string {
  if (!pyTruthy(response)) return '';
  return jsonValue(response, 0) + '\n';
}

/** Python 2's unicode() of a scalar */
const pyStr = (v: PyValue): string => (v === null ? 'None' : typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v));

function textItem(item: PyValue, out: string[], identifier: string | null, scalarKeys: string[] | null): void {
  if (isObj(item)) textDict(scalarKeys, item, identifier, out);
  else if (Array.isArray(item)) textList(item, identifier, out);
  else out.push(pyStr(item) + '\n');
}

function textList(item: PyValue[], identifier: string | null, out: string[]): void {
  if (!item.length) return;
  if (item.some(isObj)) {
    const keys = new Set<string>();
    for (const el of item) if (isObj(el)) for (const [k, v] of Object.entries(el)) if (isScalar(v)) keys.add(k);
    const all = [...keys].sort();
    for (const el of item) textItem(el, out, identifier, all);
  } else if (item.some(Array.isArray)) {
    const scalars = item.filter(isScalar);
    if (scalars.length) textScalarList(scalars, identifier, out);
    for (const el of item.filter((e) => !isScalar(e))) textItem(el, out, identifier, null);
  } else textScalarList(item, identifier, out);
}

function textScalarList(elements: PyValue[], identifier: string | null, out: string[]): void {
  if (identifier !== null) for (const e of elements) out.push(`${identifier.toUpperCase()}\t${pyStr(e)}\n`);
  else out.push(elements.map(pyStr).join('\t') + '\n');
}

function textDict(scalarKeys: string[] | null, item: { [k: string]: PyValue }, identifier: string | null, out: string[]): void {
  const scalars: string[] = [];
  const nonScalars: Array<[string, PyValue]> = [];
  if (scalarKeys === null) {
    for (const k of Object.keys(item).sort()) {
      const v = item[k]!;
      if (isScalar(v)) scalars.push(pyStr(v));
      else nonScalars.push([k, v]);
    }
  } else {
    for (const k of scalarKeys) scalars.push(k in item ? pyStr(item[k]!) : '');
    for (const k of Object.keys(item).filter((k) => !scalarKeys.includes(k)).sort()) nonScalars.push([k, item[k]!]);
  }
  if (scalars.length) {
    if (identifier !== null) scalars.unshift(identifier.toUpperCase());
    out.push(scalars.join('\t') + '\n');
  }
  for (const [k, v] of nonScalars) textItem(v, out, k, null);
}

/** what `--output text` prints */
export function formatText(response: PyValue): string {
  const out: string[] = [];
  textItem(response, out, null, null);
  return out.join('');
}

// ---- table (awscli/table.py) ----

interface Section {
  title: string;
  headers: string[];
  rows: string[][];
  indent: number;
  maxWidths: number[];
}

const newSection = (title = '', indent = 0): Section => ({ title, headers: [], rows: [], indent, maxWidths: [] });

function updateWidths(s: Section, row: string[]): void {
  if (!s.maxWidths.length) s.maxWidths = row.map((e) => e.length);
  else row.forEach((e, i) => (s.maxWidths[i] = Math.max(e.length, s.maxWidths[i] ?? 0)));
}

/** Python 2's round(): halves away from zero */
const py2Round = (x: number): number => (x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5));

function columnWidths(s: Section, padding: number, maxWidth?: number): number[] {
  const unscaled = s.maxWidths.map((w) => w + padding);
  if (maxWidth === undefined || !unscaled.length) return unscaled;
  const factor = maxWidth / unscaled.reduce((a, b) => a + b, 0);
  const scaled = unscaled.map((w) => py2Round(factor * w));
  let off = scaled.reduce((a, b) => a + b, 0) - maxWidth;
  while (off !== 0) {
    const order = scaled.map((_, i) => i);
    if (off < 0) order.reverse();
    for (const i of order) {
      if (off > 0) {
        scaled[i]!--;
        off--;
      } else {
        scaled[i]!++;
        off++;
      }
      if (off === 0) break;
    }
  }
  return scaled;
}

function totalWidth(s: Section): number {
  let total = 0;
  for (const w of columnWidths(s, 0)) total += w + 4;
  total += 2 + 2 * s.indent;
  return Math.max(s.title.length + 2 + 2 * s.indent, total);
}

function centerText(text: string, length: number, left = '|', right = '|'): string {
  const start = Math.floor(length / 2) - Math.floor(text.length / 2) - 1;
  const soFar = left.length + start + text.length;
  return left + ' '.repeat(Math.max(0, start)) + text + ' '.repeat(Math.max(0, length - right.length - soFar)) + right;
}

function alignLeft(text: string, length: number, left: string, right: string): string {
  const padding = length - (text.length + 2 + left.length + right.length) >= 0 ? 2 : 0;
  const soFar = left.length + padding + text.length;
  return left + ' '.repeat(padding) + text + ' '.repeat(Math.max(0, length - soFar - right.length)) + right;
}

const lineBreak = (widths: number[]): string => widths.map((w, i) => (i === 0 ? '+' + '-'.repeat(w - 2) + '+' : '-'.repeat(w - 1) + '+')).join('') + '\n';

class TableBuilder {
  sections: Section[] = [];
  private current: Section | null = null;

  newSection(title: string, indent: number): void {
    this.current = newSection(title, indent);
    this.sections.push(this.current);
  }

  header(headers: string[]): void {
    const s = this.current!;
    updateWidths(s, headers);
    s.headers = headers;
  }

  row(values: PyValue[]): void {
    const s = this.current!;
    const row = values.map(pyStr);
    s.rows.push(row);
    updateWidths(s, row);
  }

  build(title: string | null, current: PyValue, indent = 0): boolean {
    if (!pyTruthy(current)) return false;
    if (title !== null) this.newSection(title, indent);
    if (Array.isArray(current)) {
      if (isObj(current[0]!)) this.fromList(current, indent, title!);
      else
        for (const item of current) {
          if (isScalar(item)) this.row([item]);
          else if (Array.isArray(item) && item.every(isScalar)) this.row(item);
          else this.build(null, item);
        }
    }
    if (isObj(current)) this.fromDict(current, indent);
    return true;
  }

  private split(current: { [k: string]: PyValue }): [string[], string[]] {
    const headers: string[] = [];
    const more: string[] = [];
    for (const k of Object.keys(current)) (isScalar(current[k]!) ? headers : more).push(k);
    return [headers.sort(), more.sort()];
  }

  private fromDict(current: { [k: string]: PyValue }, indent: number): void {
    const [headers, more] = this.split(current);
    if (headers.length === 1) this.row([headers[0]!, current[headers[0]!]!]);
    else if (headers.length) {
      this.header(headers);
      this.row(headers.map((h) => current[h]!));
    }
    for (const k of more) this.build(k, current[k]!, indent + 1);
  }

  private fromList(current: PyValue[], indent: number, title: string): void {
    const hs = new Set<string>();
    const ms = new Set<string>();
    for (const el of current) {
      if (!isObj(el)) continue;
      const [h, m] = this.split(el);
      h.forEach((x) => hs.add(x));
      m.forEach((x) => ms.add(x));
    }
    const headers = [...hs].sort();
    const more = [...ms].sort();
    this.header(headers);
    let first = true;
    for (const el of current) {
      const e = isObj(el) ? el : {};
      if (!first && more.length) {
        this.newSection(title, indent);
        this.header(headers);
      }
      first = false;
      this.row(headers.map((h) => (h in e ? e[h]! : '')));
      for (const k of more) if (k in e) this.build(k, e[k]!, indent + 1);
    }
  }
}

const TERMINAL_WIDTH = 80;

function renderTable(sections: Section[]): string {
  const maxOf = (): number => Math.max(...sections.map(totalWidth));
  let max = maxOf();
  if (max > TERMINAL_WIDTH) {
    // single-row sections turn vertical: a header and its value per line
    sections.forEach((s, i) => {
      if (s.rows.length === 1 && s.headers.length) {
        const v = newSection(s.title, s.indent);
        s.headers.forEach((h, j) => {
          const row = [h, s.rows[0]![j]!];
          v.rows.push(row);
          updateWidths(v, row);
        });
        sections[i] = v;
      }
    });
    max = maxOf();
  }
  let out = '-'.repeat(max) + '\n';
  for (const s of sections) {
    const bar = '|'.repeat(s.indent);
    const write = (text: string): void => {
      out += bar + text.slice(0, -1) + bar + '\n';
    };
    const width = max - s.indent * 2;
    if (s.title) {
      write(centerText(s.title, width) + '\n');
      if (!s.headers.length && !s.rows.length) write('+' + '-'.repeat(width - 2) + '+\n');
    }
    if (s.headers.length) {
      const widths = columnWidths(s, 4, width);
      write(lineBreak(widths));
      write(s.headers.map((h, i) => centerText(h, widths[i]!, i === 0 ? '|' : '', '|')).join('') + '\n');
    }
    if (s.rows.length) {
      const widths = columnWidths(s, 4, width);
      if (widths.length) {
        write(lineBreak(widths));
        for (const row of s.rows) write(row.map((e, i) => alignLeft(e, widths[i]!, i === 0 ? '|' : '', '|')).join('') + '\n');
        write(lineBreak(widths));
      }
    }
  }
  return out;
}

/** what `--output table` prints for an operation (its name is the table's title) */
export function formatTable(operation: string, response: PyValue): string {
  const t = new TableBuilder();
  if (!t.build(operation, response)) return '';
  return renderTable(t.sections);
}
