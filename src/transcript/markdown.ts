/**
 * The player's record of a run, as a Markdown document a person can read (or paste into an
 * issue): a title, a metadata table, every spell as a `$ input` line with its output in a fenced
 * code block, narration as prose (speakers in bold, quoted), hints marked, objective changes and
 * journal entries as bullets, and a summary at the end.
 *
 * The first line is TRANSCRIPT_MARKER, an HTML comment (invisible when the Markdown is shown): it is
 * how the game knows a file is one of its transcripts, which `transcript FILE` may replace. Any
 * other file is replaced only with --force (src/saves/ownFiles.ts).
 *
 * Pure: nothing here reads the clock; writeTranscript is the only function that touches disk.
 */
import * as path from 'node:path';
import type { GameResult, ObjectiveStatus, OutputBlock } from '../../engine/index';
import { relativeToCwd } from '../saves/displayPath';
import { writeOwnFile, type OwnFileKind } from '../saves/ownFiles';

/** The first line of every transcript, and the only thing that makes a file one. */
export const TRANSCRIPT_MARKER = '<!-- grimoire transcript: written by the grimoire, which may replace this file -->';

export const TRANSCRIPT_FILE: OwnFileKind = {
  what: 'a grimoire transcript',
  headBytes: Buffer.byteLength(TRANSCRIPT_MARKER) + 2,
  isOurs: (head) => {
    const text = head.toString('utf8');
    return text === TRANSCRIPT_MARKER || text.startsWith(`${TRANSCRIPT_MARKER}\n`) || text.startsWith(`${TRANSCRIPT_MARKER}\r\n`);
  },
};

interface TranscriptHeader {
  chapter: { number: number; title: string; id?: string };
  seed: number;
  /** ISO 8601, supplied by the caller */
  startedAt: string;
  /** more rows for the metadata table, e.g. { Player: 'ada' } */
  extra?: Record<string, string>;
}

interface TranscriptEntry {
  /** the line typed at the prompt; '' for output that no spell caused (the opening briefing) */
  input: string;
  blocks: OutputBlock[];
  /** virtual time after the line ran, e.g. '2h 13m 5s' */
  virtualTime: string;
}

/** A recorder as JSON, so a transcript can be carried through a save. */
interface TranscriptData {
  header: TranscriptHeader;
  entries: TranscriptEntry[];
  result: GameResult | null;
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export class TranscriptRecorder {
  readonly header: TranscriptHeader;
  private readonly recorded: TranscriptEntry[] = [];
  private footer: GameResult | null = null;

  constructor(header: TranscriptHeader) {
    this.header = clone(header);
  }

  static fromJSON(data: TranscriptData): TranscriptRecorder {
    const r = new TranscriptRecorder(data.header);
    for (const e of data.entries) r.record(e);
    if (data.result) r.finish(data.result);
    return r;
  }

  /** What the chapter showed before the first spell. */
  opening(blocks: readonly OutputBlock[], virtualTime: string): void {
    this.record({ input: '', blocks: [...blocks], virtualTime });
  }

  /** One line typed at the prompt and what it printed. Copied: later changes to `entry` do not show. */
  record(entry: TranscriptEntry): void {
    this.recorded.push(clone(entry));
  }

  /** The run is over (solved, abandoned or quit). */
  finish(result: GameResult): void {
    this.footer = clone(result);
  }

  get entries(): readonly TranscriptEntry[] {
    return this.recorded;
  }

  get result(): GameResult | null {
    return this.footer;
  }

  toJSON(): TranscriptData {
    return clone({ header: this.header, entries: this.recorded, result: this.footer });
  }

  toMarkdown(): string {
    return renderTranscript(this.toJSON());
  }
}

// ---------------------------------------------------------------------------------------------
// Rendering

/** Backslash-escapes what Markdown would otherwise read as formatting, line by line. */
export function escapeMarkdown(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      line
        .replace(/[\\`*_[\]<>~|&#!]/g, (ch) => `\\${ch}`)
        .replace(/^(\s*)([+=-])/, '$1\\$2')
        .replace(/^(\s*)(\d+)([.)])/, '$1$2\\$3'),
    )
    .join('\n');
}

/** A fenced code block that no backtick run inside `content` can close early. */
export function fenced(content: string, info = 'text'): string {
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${content}\n${fence}`;
}

/** An inline code span that no backtick inside `text` can close early (CommonMark code spans). */
export function inlineCode(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || (/^ .* $/.test(flat) && flat.trim().length > 0) ? ' ' : '';
  return `${ticks}${pad}${flat}${pad}${ticks}`;
}

const tableCell = (s: string): string => escapeMarkdown(s.replace(/\r?\n/g, ' '));
const quote = (text: string): string =>
  text
    .split('\n')
    .map((l) => (l.length > 0 ? `> ${l}` : '>'))
    .join('\n');
const STATUS_WORD: Record<ObjectiveStatus, string> = { pending: 'pending', holding: 'holding', failing: 'failing', done: 'done' };

type Chunk = { kind: 'terminal'; lines: string[] } | { kind: 'bullets'; lines: string[] } | { kind: 'block'; text: string };

function stripFinalNewline(s: string): string {
  return s.replace(/\r?\n$/, '');
}

function renderBlock(b: OutputBlock): Chunk | null {
  switch (b.kind) {
    case 'spell-output':
    case 'error':
      return b.text.length > 0 ? { kind: 'terminal', lines: [stripFinalNewline(b.text)] } : null;
    case 'narration': {
      const text = escapeMarkdown(b.text);
      return { kind: 'block', text: b.speaker ? quote(`**${escapeMarkdown(b.speaker)}:** ${text}`) : text };
    }
    case 'hint':
      return { kind: 'block', text: quote(`💡 **Hint ${b.level}/${b.total}:** ${escapeMarkdown(b.text)}`) };
    case 'objective':
      return {
        kind: 'bullets',
        lines: [`- **Objective:** ${escapeMarkdown(b.label)} → *${STATUS_WORD[b.status]}*${b.detail ? ` (${escapeMarkdown(b.detail)})` : ''}`],
      };
    case 'journal':
      return { kind: 'bullets', lines: [`- **Journal:** ${escapeMarkdown(b.text)}`] };
    case 'spell-learned':
      return { kind: 'bullets', lines: [`- **✦ New spell:** ${inlineCode(b.name)} (${inlineCode(`man ${b.name}`)} explains it)`] };
    case 'choices': {
      const lines = b.options.map((o) => `${o.index}. ${escapeMarkdown(o.text)}`);
      return { kind: 'block', text: [...(b.prompt ? [`*${escapeMarkdown(b.prompt)}*`, ''] : []), ...lines].join('\n') };
    }
    case 'title':
      return { kind: 'block', text: `### ${escapeMarkdown(b.text)}${b.subtitle ? `\n\n*${escapeMarkdown(b.subtitle)}*` : ''}` };
    case 'status': {
      const head = `**Objectives at ${escapeMarkdown(b.virtualTime)}**${b.solved ? ' (solved)' : ''}:`;
      const items = b.objectives.map(
        (o) =>
          `- [${o.status === 'done' ? 'x' : ' '}] ${escapeMarkdown(o.label)}${o.status === 'done' ? '' : ` (${STATUS_WORD[o.status]})`}${o.detail ? ` — ${escapeMarkdown(o.detail)}` : ''}`,
      );
      return { kind: 'block', text: [head, '', ...items].join('\n') };
    }
    case 'system':
      return {
        kind: 'block',
        text: b.text
          .split('\n')
          .map((l) => (l.trim().length > 0 ? `*${escapeMarkdown(l.trim())}*` : ''))
          .join('\n'),
      };
    case 'chapter-end':
      return { kind: 'block', text: `**Chapter ${escapeMarkdown(b.chapter)} ${b.solved ? 'solved' : 'ends'}.**` };
    case 'chart':
      // the spell's output just before it holds the chart as text
      return null;
  }
}

function renderEntry(e: TranscriptEntry): string[] {
  const chunks: Chunk[] = [];
  const push = (c: Chunk): void => {
    const last = chunks[chunks.length - 1];
    if (last && last.kind === c.kind && c.kind !== 'block') (last as { lines: string[] }).lines.push(...(c as { lines: string[] }).lines);
    else chunks.push(c);
  };
  if (e.input.length > 0) push({ kind: 'terminal', lines: [`$ ${e.input}`] });
  for (const b of e.blocks) {
    const c = renderBlock(b);
    if (c) push(c);
  }
  return chunks.map((c) => (c.kind === 'terminal' ? fenced(c.lines.join('\n')) : c.kind === 'bullets' ? c.lines.join('\n') : c.text));
}

interface Totals {
  solved: boolean | null;
  hints: number;
  spells: number;
  virtualTime: string;
}

function totals(data: TranscriptData): Totals {
  if (data.result) return { ...data.result };
  const last = data.entries[data.entries.length - 1];
  return {
    solved: null,
    hints: data.entries.reduce((n, e) => n + e.blocks.filter((b) => b.kind === 'hint').length, 0),
    spells: data.entries.filter((e) => e.input.trim().length > 0).length,
    virtualTime: last ? last.virtualTime : '0s',
  };
}

function renderTranscript(data: TranscriptData): string {
  const h = data.header;
  const t = totals(data);
  const out: string[] = [];
  out.push(`${TRANSCRIPT_MARKER}\n# The Grimoire: Chapter ${h.chapter.number}, ${escapeMarkdown(h.chapter.title)}`);
  const rows: [string, string][] = [
    ['Chapter', `${h.chapter.number}: ${h.chapter.title}${h.chapter.id ? ` (${h.chapter.id})` : ''}`],
    ['Seed', String(h.seed)],
    ['Started', h.startedAt],
    ...Object.entries(h.extra ?? {}),
    ['Result', t.solved === null ? 'unfinished' : t.solved ? 'solved' : 'not solved'],
  ];
  out.push(['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${tableCell(k)} | ${tableCell(v)} |`)].join('\n'));
  out.push('## The run');
  let shownTime: string | null = null;
  for (const e of data.entries) {
    if (e.virtualTime && e.virtualTime !== shownTime && e.input.length > 0) {
      out.push(`*⏱ ${escapeMarkdown(e.virtualTime)}*`);
      shownTime = e.virtualTime;
    }
    out.push(...renderEntry(e));
  }
  if (data.entries.length === 0) out.push('*Nothing was typed.*');
  out.push('## Summary');
  const solved = t.solved === null ? 'no, the run was not finished' : t.solved ? 'yes' : 'no';
  out.push(
    [
      `- **Solved:** ${solved}`,
      `- **Hints used:** ${t.hints}`,
      `- **Spells cast:** ${t.spells}`,
      `- **Virtual time:** ${escapeMarkdown(t.virtualTime)}`,
    ].join('\n'),
  );
  return `${out.join('\n\n')}\n`;
}

interface WriteTranscriptOptions {
  /** replace the file even if it is not a grimoire transcript (never a link, a folder or a device) */
  force?: boolean;
  /** how the file is named in messages; default relative to the working directory when inside it */
  display?: string;
  /** how the player asks to replace a file that is not a transcript; default 'transcript --force FILE' */
  forceHint?: string;
}

/**
 * Writes the transcript atomically and durably (temp file, every byte, fsync, rename, fsync folder),
 * if the file is not there yet or is an earlier transcript (or `force`). Throws an
 * OutputRefusedError or a DurableWriteError whose message is for the player.
 */
export async function writeTranscript(filePath: string, markdown: string, opts: WriteTranscriptOptions = {}): Promise<void> {
  const abs = path.resolve(filePath);
  await writeOwnFile(abs, markdown, TRANSCRIPT_FILE, {
    force: opts.force,
    display: opts.display ?? relativeToCwd(abs),
    forceHint: opts.forceHint ?? `transcript --force ${filePath}`,
  });
}
