/**
 * Turns engine output blocks into terminal text.
 *
 * Pure functions only: no I/O, no terminal detection. Colour comes in as a `Colors`
 * implementation (identity functions for plain output, chalk for a colour terminal), so
 * tests and NO_COLOR runs never load chalk.
 */
import { stripVTControlCharacters } from 'node:util';
import type { ObjectiveStatus, OutputBlock } from '../../engine/index';

/** A styling function: takes plain text, returns it styled (or unchanged). */
type Style = (text: string) => string;

/** The minimal set of styles the terminal front end uses. */
export interface Colors {
  /** false when every style is the identity (no escape codes will ever be produced) */
  readonly enabled: boolean;
  bold: Style;
  dim: Style;
  italic: Style;
  underline: Style;
  inverse: Style;
  red: Style;
  green: Style;
  yellow: Style;
  blue: Style;
  magenta: Style;
  cyan: Style;
  gray: Style;
}

const identity: Style = (s) => s;

/** No styling at all: for NO_COLOR, --no-color, pipes and tests. */
export const plainColors: Colors = Object.freeze({
  enabled: false,
  bold: identity,
  dim: identity,
  italic: identity,
  underline: identity,
  inverse: identity,
  red: identity,
  green: identity,
  yellow: identity,
  blue: identity,
  magenta: identity,
  cyan: identity,
  gray: identity,
});

/**
 * Whether the user asked for colour to be off through the environment (https://no-color.org).
 * chalk's own detection already honours FORCE_COLOR, --no-color and TERM=dumb, but not NO_COLOR.
 */
export function noColorRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return typeof env.NO_COLOR === 'string' && env.NO_COLOR !== '';
}

/**
 * chalk 5 is ESM-only: it is loaded with a real dynamic import, only when a colour terminal
 * needs it. chalk's level detection (TTY, FORCE_COLOR, --no-color, TERM) is respected; when it
 * finds no colour support, or NO_COLOR is set, the plain implementation is returned.
 */
export async function loadChalkColors(env: NodeJS.ProcessEnv = process.env): Promise<Colors> {
  if (noColorRequested(env)) return plainColors;
  const { default: chalk } = await import('chalk');
  if (chalk.level === 0) return plainColors;
  return {
    enabled: true,
    bold: (s) => chalk.bold(s),
    dim: (s) => chalk.dim(s),
    italic: (s) => chalk.italic(s),
    underline: (s) => chalk.underline(s),
    inverse: (s) => chalk.inverse(s),
    red: (s) => chalk.red(s),
    green: (s) => chalk.green(s),
    yellow: (s) => chalk.yellow(s),
    blue: (s) => chalk.blue(s),
    magenta: (s) => chalk.magenta(s),
    cyan: (s) => chalk.cyan(s),
    gray: (s) => chalk.gray(s),
  };
}

interface RendererOptions {
  /** terminal width in columns, or a function read on every render (follows resizes); default 80 */
  width?: number | (() => number | undefined);
  /** box-drawing characters and check marks; false gives pure ASCII (default true) */
  unicode?: boolean;
  /** no blank lines between blocks of different kinds (default false) */
  compact?: boolean;
  /** a readable name for a chapter id, for the chapter-end banner (e.g. "Chapter 1: Quiet Zone") */
  chapterName?: (id: string) => string | undefined;
}

export interface Renderer {
  readonly colors: Colors;
  /** the terminal text for some blocks: '' for none, otherwise it ends with a newline */
  render(blocks: readonly OutputBlock[]): string;
  /** the shell prompt, coloured like a typical bash prompt (user@host green, path blue) */
  prompt(text: string): string;
  /** a short dim line from the front end itself (goodbye, "press Enter") ending with a newline */
  note(text: string): string;
  /** the width narration is wrapped to */
  width(): number;
}

const DEFAULT_WIDTH = 80;
const MIN_WIDTH = 20;

/** Visible width of a string: escape codes removed, one column per code point. */
export function visibleWidth(text: string): number {
  return Array.from(stripVTControlCharacters(text)).length;
}

/**
 * Word-wraps text to `width` columns. Existing newlines are kept; each line's leading
 * whitespace is repeated on its continuation lines; words longer than the width are left
 * whole (a URL or a path must stay copyable). Runs of spaces inside a line are preserved.
 */
export function wrapText(text: string, width: number): string[] {
  const w = Math.max(MIN_WIDTH, Math.floor(width));
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s+$/, '');
    if (visibleWidth(line) <= w) {
      out.push(line);
      continue;
    }
    const indent = /^\s*/.exec(line)![0];
    const indentWidth = visibleWidth(indent) < w / 2 ? visibleWidth(indent) : 0;
    const hanging = ' '.repeat(indentWidth);
    const tokens = line.slice(indent.length).split(/(\s+)/).filter((t) => t.length > 0);
    let current = indent;
    let currentWidth = visibleWidth(indent);
    let fresh = true; // nothing but indentation on the current line
    for (const token of tokens) {
      const isSpace = /^\s+$/.test(token);
      const tw = visibleWidth(token);
      if (isSpace) {
        if (fresh) continue;
        current += token;
        currentWidth += tw;
        continue;
      }
      if (!fresh && currentWidth + tw > w) {
        out.push(current.replace(/\s+$/, ''));
        current = hanging;
        currentWidth = indentWidth;
        fresh = true;
      }
      current += token;
      currentWidth += tw;
      fresh = false;
    }
    out.push(current.replace(/\s+$/, ''));
  }
  return out;
}

type Group = 'shell' | 'info' | 'prose' | 'banner';

function groupOf(kind: OutputBlock['kind']): Group {
  switch (kind) {
    case 'spell-output':
    case 'error':
      return 'shell';
    case 'narration':
    case 'choices':
      return 'prose';
    case 'title':
    case 'chapter-end':
      return 'banner';
    default:
      return 'info';
  }
}

interface Glyphs {
  marks: Record<ObjectiveStatus, string>;
  journal: string;
  box: { tl: string; tr: string; bl: string; br: string; h: string; v: string };
  rule: string;
  star: string;
  dot: string;
}

const UNICODE: Glyphs = {
  marks: { done: '✔', holding: '◑', failing: '✖', pending: '○' },
  journal: '✎',
  box: { tl: '╭', tr: '╮', bl: '╰', br: '╯', h: '─', v: '│' },
  rule: '═',
  star: '✦',
  dot: '·',
};

const ASCII: Glyphs = {
  marks: { done: '[x]', holding: '[~]', failing: '[!]', pending: '[ ]' },
  journal: '[journal]',
  box: { tl: '+', tr: '+', bl: '+', br: '+', h: '-', v: '|' },
  rule: '=',
  star: '*',
  dot: '-',
};

/** Speakers keep one colour for the whole game (a small hash over the name). */
const SPEAKER_PALETTE = ['cyan', 'magenta', 'green', 'blue'] as const;

export function createRenderer(colors: Colors, opts: RendererOptions = {}): Renderer {
  const glyphs = opts.unicode === false ? ASCII : UNICODE;
  const c = colors;

  const width = (): number => {
    const raw = typeof opts.width === 'function' ? opts.width() : opts.width;
    const n = typeof raw === 'number' && Number.isFinite(raw) && raw > 0 ? raw : DEFAULT_WIDTH;
    // one column of slack: writing into the last column makes some terminals wrap early
    return Math.max(MIN_WIDTH, Math.floor(n) - 1);
  };

  const statusStyle = (s: ObjectiveStatus): Style => {
    switch (s) {
      case 'done':
        return c.green;
      case 'holding':
        return c.yellow;
      case 'failing':
        return c.red;
      default:
        return c.gray;
    }
  };

  const speakerStyle = (name: string): Style => {
    let h = 0;
    for (const ch of name) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
    const colour = c[SPEAKER_PALETTE[h % SPEAKER_PALETTE.length]];
    return (s) => c.bold(colour(s));
  };

  /** Wraps `prefix + text` and styles the prefix (on the first line) and the rest separately. */
  const wrapWithPrefix = (prefix: string, text: string, prefixStyle: Style, textStyle: Style = identity): string[] => {
    const lines = wrapText(prefix + text, width());
    return lines.map((line, i) => {
      if (i === 0 && prefix && line.startsWith(prefix)) {
        const rest = line.slice(prefix.length);
        return prefixStyle(prefix.trimEnd()) + (prefix.endsWith(' ') ? ' ' : '') + (rest ? textStyle(rest) : '');
      }
      return line ? textStyle(line) : line;
    });
  };

  /** Verbatim text (spell output, errors): one trailing newline dropped, nothing re-wrapped. */
  const verbatimLines = (text: string, style: Style = identity): string[] | undefined => {
    if (text.length === 0) return undefined;
    const body = text.replace(/\n$/, '');
    const lines = body.split('\n');
    return style === identity ? lines : lines.map((l) => (l.length > 0 ? style(l) : l));
  };

  /**
   * Wraps words that are styled in runs: the segments are joined with single spaces, wrapped as
   * plain text, then each word is styled with its segment's style (wrapping never splits a word,
   * so the words come back in order). `lead` (a glyph) starts the first line; continuation
   * lines are indented under the text that follows it.
   */
  const wrapStyled = (segments: { text: string; style: Style }[], lead: { text: string; style: Style }): string[] => {
    const styles = segments.flatMap((seg) => seg.text.split(/\s+/).filter((word) => word.length > 0).map(() => seg.style));
    const leadWidth = visibleWidth(lead.text) + 1;
    const lines = wrapText(segments.map((seg) => seg.text).join(' '), width() - leadWidth);
    let next = 0;
    return lines.map((line, i) => {
      const styled = line
        .split(/(\s+)/)
        .map((token) => (token.length === 0 || /^\s+$/.test(token) ? token : (styles[next++] ?? identity)(token)))
        .join('');
      if (i === 0) return `${lead.style(lead.text)} ${styled}`;
      return styled ? ' '.repeat(leadWidth) + styled : styled;
    });
  };

  const frame = (rows: { text: string; style: Style }[]): string[] => {
    const { box } = glyphs;
    const maxInner = width() - 2;
    const wrapped: { text: string; style: Style }[] = [];
    for (const r of rows) for (const t of wrapText(r.text, maxInner - 4)) wrapped.push({ text: t, style: r.style });
    const contentWidth = Math.max(...wrapped.map((r) => visibleWidth(r.text)));
    const inner = Math.min(maxInner, Math.max(contentWidth + 6, 24));
    const border = c.dim;
    const lines = [border(box.tl + box.h.repeat(inner) + box.tr)];
    for (const r of wrapped) {
      const free = Math.max(0, inner - visibleWidth(r.text));
      const left = Math.floor(free / 2);
      const right = free - left;
      lines.push(border(box.v) + ' '.repeat(left) + r.style(r.text) + ' '.repeat(right) + border(box.v));
    }
    lines.push(border(box.bl + box.h.repeat(inner) + box.br));
    return lines;
  };

  const chapterLabel = (id: string): string => opts.chapterName?.(id) ?? `Chapter ${id}`;

  const renderBlock = (b: OutputBlock): string[] | undefined => {
    switch (b.kind) {
      case 'narration':
        if (b.speaker) return wrapWithPrefix(`${b.speaker}: `, b.text, speakerStyle(b.speaker));
        return wrapText(b.text, width());
      case 'spell-output':
        return verbatimLines(b.text);
      case 'error':
        return verbatimLines(b.text, c.red);
      case 'hint':
        return wrapWithPrefix(`Hint ${b.level}/${b.total}: `, b.text, (s) => c.bold(c.yellow(s)), c.yellow);
      case 'objective': {
        const style = statusStyle(b.status);
        const mark = style(glyphs.marks[b.status]);
        const detail = b.detail ? ` (${b.detail})` : '';
        const lines = wrapText(`Objective: ${b.label} ${glyphs.dot} ${b.status}${detail}`, width() - visibleWidth(glyphs.marks[b.status]) - 1);
        return lines.map((line, i) => {
          if (i > 0) return ' '.repeat(visibleWidth(glyphs.marks[b.status]) + 1) + line;
          const styled = line.replace(/^Objective:/, c.bold('Objective:'));
          return `${mark} ${styled.replace(` ${glyphs.dot} ${b.status}`, ` ${c.dim(glyphs.dot)} ${style(b.status)}`)}`;
        });
      }
      case 'journal':
        return wrapWithPrefix(`${glyphs.journal} Journal: `, b.text, (s) => c.bold(c.magenta(s)));
      case 'choices': {
        const lines: string[] = [];
        if (b.prompt) lines.push(...wrapText(b.prompt, width()).map((l) => c.bold(l)));
        for (const o of b.options) {
          const label = `  ${o.index}. `;
          const body = wrapText(o.text, width() - label.length);
          body.forEach((l, i) => {
            lines.push(i === 0 ? `  ${c.bold(c.cyan(`${o.index}.`))} ${l}` : ' '.repeat(label.length) + l);
          });
        }
        return lines;
      }
      case 'title': {
        const rows = [{ text: b.text, style: (s: string) => c.bold(s) }];
        if (b.subtitle) rows.push({ text: b.subtitle, style: (s: string) => c.italic(c.dim(s)) });
        return frame(rows);
      }
      case 'status': {
        const header = `Objectives at ${b.virtualTime}`;
        const lines = [c.bold(header) + (b.solved ? ` ${c.green('(solved)')}` : '') + (b.objectives.length ? ':' : ': none')];
        for (const o of b.objectives) {
          const style = statusStyle(o.status);
          const mark = glyphs.marks[o.status];
          const detail = o.detail ? ` (${o.detail})` : '';
          const word = o.status === 'holding' || o.status === 'failing' ? ` ${glyphs.dot} ${o.status}` : '';
          const indent = 2 + visibleWidth(mark) + 1;
          const body = wrapText(`${o.label}${word}${detail}`, width() - indent);
          body.forEach((l, i) => {
            if (i > 0) return void lines.push(' '.repeat(indent) + l);
            const text = o.status === 'done' ? c.dim(l) : word ? l.replace(word, ` ${c.dim(glyphs.dot)} ${style(o.status)}`) : l;
            lines.push(`  ${style(mark)} ${text}`);
          });
        }
        return lines;
      }
      case 'system':
        return wrapText(b.text, width()).map((l) => (l ? c.dim(c.italic(l)) : l));
      case 'spell-learned': {
        const spellStyle: Style = (s) => c.bold(c.magenta(s));
        return wrapStyled(
          [
            { text: 'The grimoire inks a new spell into its margins:', style: c.magenta },
            { text: b.name, style: spellStyle },
            { text: `(man ${b.name})`, style: c.dim },
          ],
          { text: glyphs.star, style: spellStyle },
        );
      }
      case 'chapter-end': {
        const text = `${glyphs.star}  ${chapterLabel(b.chapter)} ${b.solved ? 'solved' : 'ends'}  ${glyphs.star}`;
        const style: Style = b.solved ? (s) => c.bold(c.green(s)) : (s) => c.bold(c.yellow(s));
        const ruleWidth = Math.min(width(), Math.max(visibleWidth(text) + 8, 40));
        const rule = c.dim(glyphs.rule.repeat(ruleWidth));
        const pad = ' '.repeat(Math.max(0, Math.floor((ruleWidth - visibleWidth(text)) / 2)));
        return [rule, pad + style(text), rule];
      }
      default: {
        // a block kind added to the contract later: show whatever text it carries
        const unknown = b as { text?: unknown };
        return typeof unknown.text === 'string' ? wrapText(unknown.text, width()) : undefined;
      }
    }
  };

  const render = (blocks: readonly OutputBlock[]): string => {
    const out: string[] = [];
    let previous: OutputBlock | undefined;
    for (const b of blocks) {
      const lines = renderBlock(b);
      if (!lines) continue;
      if (previous && !opts.compact) {
        const g1 = groupOf(previous.kind);
        const g2 = groupOf(b.kind);
        const paragraph = previous.kind === 'narration' && b.kind === 'narration';
        if (g1 !== g2 || g1 === 'banner' || paragraph) out.push('');
      }
      out.push(...lines);
      previous = b;
    }
    return out.length ? out.join('\n') + '\n' : '';
  };

  const prompt = (text: string): string => {
    if (!colors.enabled) return text;
    const m = /^([^\s@:]+@[^\s:]+)(:)(.*?)([$#]\s*)$/.exec(text);
    if (!m) return c.bold(text);
    return c.bold(c.green(m[1])) + m[2] + c.bold(c.blue(m[3])) + m[4];
  };

  const note = (text: string): string => wrapText(text, width()).map((l) => c.dim(l)).join('\n') + '\n';

  return { colors, render, prompt, note, width };
}
