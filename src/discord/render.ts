import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponentWithCustomId, type APIEmbed } from 'discord-api-types/v10';
import type { ObjectiveStatus, OutputBlock } from '../../engine/index';
import { drawChart } from './chartImage';
import { encodeCustomId } from './customId';
import { codeBlock, escapeMarkdown } from './escape';
import type { OutgoingFile } from './wire';

/**
 * Engine output blocks as Discord messages: what the machine printed in a code block (the
 * message content), the story and the game's own words in embeds, objectives as a checklist
 * embed, talk choices as buttons, and a Cast button under the last message. Pure: no I/O.
 *
 * Discord's limits (2000 characters of content, 10 embeds of at most 4096 characters of
 * description and 6000 in all per message, 5 rows of 5 buttons) are met by splitting: long
 * output goes over a few messages, and past that it is attached as a text file instead.
 */
export interface DiscordMessage {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIButtonComponentWithCustomId>[];
  files?: OutgoingFile[];
}

export const CONTENT_LIMIT = 2000;
const EMBED_DESCRIPTION_LIMIT = 4096;
const EMBEDS_PER_MESSAGE = 10;
const EMBED_TOTAL_LIMIT = 6000;
/** output needing more messages than this is attached as a file instead */
export const MAX_OUTPUT_MESSAGES = 4;
/** the part of a long output shown above its attachment */
const PREVIEW_CHARS = 1500;
/** an attachment is cut here (Discord takes 10 MiB per upload without boosts) */
export const MAX_ATTACHMENT_BYTES = 8 * 1024 * 1024;
const BUTTON_LABEL_LIMIT = 80;
const BUTTONS_PER_ROW = 5;
/** rows for choices; the last of Discord's five is the Cast button's */
const CHOICE_ROWS = 4;

const COLOURS = { story: 0x7b5ea7, hint: 0xe0a526, system: 0x5c6b73, objectives: 0x3b8d4f, title: 0x2d4b8e, chart: 0x2d4b8e } as const;
/** charts drawn as images in one reply; any more stay text in the code block (Discord takes 10 files a message) */
export const MAX_CHARTS = 4;

const MARKS: Record<ObjectiveStatus, string> = { done: '✅', holding: '🟡', failing: '❌', pending: '⬜' };

export interface RenderOptions {
  /** the line the player cast, shown after the prompt at the top of the output (it is escaped like any output) */
  echo?: string;
  /** the session the buttons act on; no buttons without it */
  owner?: { scope: string; user: string };
  /** a Cast button under the reply (default true when there is an owner) */
  castButton?: boolean;
  /** a line above the output saying who cast it (party play), markdown already escaped */
  attribution?: string;
}

/** Splits text into pieces of at most `limit` characters, at line ends where it can. */
export function splitText(text: string, limit: number): string[] {
  const pieces: string[] = [];
  let current = '';
  const flush = (): void => {
    if (current.length > 0) pieces.push(current);
    current = '';
  };
  for (const line of text.split('\n')) {
    let rest = line;
    while (rest.length > limit) {
      flush();
      pieces.push(rest.slice(0, limit));
      rest = rest.slice(limit);
    }
    const joined = current.length > 0 ? `${current}\n${rest}` : rest;
    if (joined.length > limit) {
      flush();
      current = rest;
    } else {
      current = joined;
    }
  }
  flush();
  return pieces.length > 0 ? pieces : [''];
}

/** code-block text pieces that each fit a message once fenced and escaped, with `reserve` characters to spare */
function codePieces(text: string, reserve: number): string[] {
  // fence and worst-case escaping (one zero-width space per backtick) must still fit
  const room = CONTENT_LIMIT - reserve;
  const pieces: string[] = [];
  for (const piece of splitText(text, room - 8 - 100)) {
    if (codeBlock(piece).length <= room) pieces.push(piece);
    else pieces.push(...splitText(piece, Math.floor((room - 8) / 2)));
  }
  return pieces;
}

interface Draft {
  shell: string[];
  embeds: APIEmbed[];
  choices: { index: number; text: string }[];
  /** each chart's embed and the image it shows, which must go in the same message */
  charts: { embed: APIEmbed; file: OutgoingFile }[];
}

/** takes a chart's text out of the output shown above it: the image stands in its place */
function removePrinted(shell: string[], printed: string): void {
  const text = printed.replace(/\n$/, '');
  if (text === '') return;
  for (let i = shell.length - 1; i >= 0; i--) {
    const at = shell[i]!.lastIndexOf(text);
    if (at < 0) continue;
    const rest = [shell[i]!.slice(0, at).replace(/\n$/, ''), shell[i]!.slice(at + text.length).replace(/^\n/, '')].filter((p) => p !== '');
    if (rest.length === 0) shell.splice(i, 1);
    else shell[i] = rest.join('\n');
    return;
  }
}

function embedsOf(blocks: readonly OutputBlock[], draft: Draft): void {
  let merge: { kind: string; speaker?: string; embed: APIEmbed } | null = null;
  const push = (kind: string, embed: APIEmbed, speaker?: string): void => {
    draft.embeds.push(embed);
    merge = { kind, speaker, embed };
  };
  /** consecutive blocks of one kind (and speaker) share an embed */
  const addLine = (kind: string, text: string, make: () => APIEmbed, speaker?: string, sep = '\n'): void => {
    const m = merge as { kind: string; speaker?: string; embed: APIEmbed } | null;
    if (m && m.kind === kind && m.speaker === speaker) m.embed.description = `${m.embed.description ?? ''}${sep}${text}`;
    else push(kind, { ...make(), description: text }, speaker);
  };
  for (const b of blocks) {
    switch (b.kind) {
      case 'spell-output':
      case 'error':
        if (b.text.length > 0) draft.shell.push(b.text.replace(/\n$/, ''));
        merge = null;
        break;
      case 'narration':
        addLine('narration', escapeMarkdown(b.text), () => ({ color: COLOURS.story, ...(b.speaker ? { author: { name: b.speaker.slice(0, 256) } } : {}) }), b.speaker, '\n\n');
        break;
      case 'title':
        push('title', { color: COLOURS.title, title: b.text.slice(0, 256), ...(b.subtitle ? { description: escapeMarkdown(b.subtitle) } : {}) });
        break;
      case 'hint':
        push('hint', { color: COLOURS.hint, title: `Hint ${b.level}/${b.total}`, description: escapeMarkdown(b.text) });
        break;
      case 'journal':
        addLine('journal', `✎ ${escapeMarkdown(b.text)}`, () => ({ color: COLOURS.story, title: 'Journal' }));
        break;
      case 'objective':
        addLine('objective', `${MARKS[b.status]} ${escapeMarkdown(b.label)}${b.detail ? ` (${escapeMarkdown(b.detail)})` : ''}`, () => ({ color: COLOURS.objectives, title: 'Objectives' }));
        break;
      case 'status': {
        const lines = b.objectives.map((o) => `${MARKS[o.status]} ${escapeMarkdown(o.label)}${o.detail ? ` (${escapeMarkdown(o.detail)})` : ''}`);
        push('status', { color: COLOURS.objectives, title: `Objectives at ${b.virtualTime}${b.solved ? ' (solved)' : ''}`, description: lines.join('\n') || 'none' });
        break;
      }
      case 'system':
        addLine('system', escapeMarkdown(b.text), () => ({ color: COLOURS.system }));
        break;
      case 'spell-learned':
        addLine('system', `✦ The grimoire inks a new spell into its margins: ${escapeMarkdown(b.name)} (man ${escapeMarkdown(b.name)})`, () => ({ color: COLOURS.system }));
        break;
      case 'chapter-end':
        push('chapter-end', { color: COLOURS.title, title: b.solved ? `Chapter ${b.chapter} solved` : `Chapter ${b.chapter} ends` });
        break;
      case 'chart': {
        if (draft.charts.length >= MAX_CHARTS) break;
        const c = b.chart;
        const name = `chart-${draft.charts.length + 1}.png`;
        const axes = `${escapeMarkdown(c.y.label)} in ${escapeMarkdown(c.y.unit)}; ${escapeMarkdown(c.x.label)}`;
        const embed: APIEmbed = { color: COLOURS.chart, title: c.title.slice(0, 256), description: [...c.summary.map(escapeMarkdown), axes].join('\n'), image: { url: `attachment://${name}` } };
        removePrinted(draft.shell, c.printed);
        push('chart', embed);
        draft.charts.push({ embed, file: { name, data: drawChart(c), contentType: 'image/png' } });
        break;
      }
      case 'choices': {
        const lines = b.options.map((o) => `${o.index}. ${escapeMarkdown(o.text)}`);
        push('choices', { color: COLOURS.story, description: [...(b.prompt ? [escapeMarkdown(b.prompt)] : []), ...lines].join('\n') });
        draft.choices.push(...b.options);
        break;
      }
    }
  }
}

/** an embed whose description is too long becomes several */
function fitEmbeds(embeds: APIEmbed[]): APIEmbed[] {
  return embeds.flatMap((e) => {
    const d = e.description ?? '';
    if (d.length <= EMBED_DESCRIPTION_LIMIT) return [e];
    return splitText(d, EMBED_DESCRIPTION_LIMIT - 96).map((piece, i) => (i === 0 ? { ...e, description: piece } : { color: e.color, description: piece }));
  });
}

function embedSize(e: APIEmbed): number {
  return (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.author?.name.length ?? 0) + (e.footer?.text.length ?? 0);
}

function buttons(opts: RenderOptions, choices: { index: number; text: string }[]): APIActionRowComponent<APIButtonComponentWithCustomId>[] {
  const owner = opts.owner;
  if (!owner) return [];
  const rows: APIActionRowComponent<APIButtonComponentWithCustomId>[] = [];
  const shown = choices.slice(0, CHOICE_ROWS * BUTTONS_PER_ROW);
  for (let i = 0; i < shown.length; i += BUTTONS_PER_ROW) {
    rows.push({
      type: ComponentType.ActionRow,
      components: shown.slice(i, i + BUTTONS_PER_ROW).map((c) => {
        const label = `${c.index}. ${c.text}`;
        return {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          label: label.length > BUTTON_LABEL_LIMIT ? `${label.slice(0, BUTTON_LABEL_LIMIT - 1)}…` : label,
          custom_id: encodeCustomId({ action: 'choose', ...owner, arg: String(c.index) }),
        };
      }),
    });
  }
  if (opts.castButton ?? true) {
    rows.push({ type: ComponentType.ActionRow, components: [{ type: ComponentType.Button, style: ButtonStyle.Primary, label: 'Cast', custom_id: encodeCustomId({ action: 'cast', ...owner }) }] });
  }
  return rows;
}

/** The messages that show these blocks, in order: the first answers the interaction, the rest follow it. */
export function renderMessages(blocks: readonly OutputBlock[], opts: RenderOptions = {}): DiscordMessage[] {
  const draft: Draft = { shell: [], embeds: [], choices: [], charts: [] };
  if (opts.echo !== undefined) draft.shell.push(opts.echo);
  embedsOf(blocks, draft);
  const shellText = draft.shell.join('\n');
  const messages: DiscordMessage[] = [];

  const lead = opts.attribution !== undefined ? `${opts.attribution.slice(0, 200)}\n` : '';
  if (shellText.length > 0) {
    const pieces = codePieces(shellText, lead.length);
    if (pieces.length <= MAX_OUTPUT_MESSAGES) {
      pieces.forEach((p, n) => messages.push({ content: (n === 0 ? lead : '') + codeBlock(p) }));
    } else {
      const bytes = Buffer.from(shellText + '\n');
      const cut = bytes.length > MAX_ATTACHMENT_BYTES;
      const data = cut ? bytes.subarray(0, MAX_ATTACHMENT_BYTES) : bytes;
      const lines = shellText.split('\n').length;
      const preview = splitText(shellText, PREVIEW_CHARS)[0]!;
      const note = cut
        ? `The output (${lines} lines) is too long for Discord; output.txt holds its first ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MiB.`
        : `The output is ${lines} lines, too long for messages: all of it is in output.txt.`;
      messages.push({ content: `${lead}${codeBlock(preview)}\n${note}`, files: [{ name: 'output.txt', data, contentType: 'text/plain; charset=utf-8' }] });
    }
  } else if (lead) {
    messages.push({ content: lead.trimEnd() });
  }

  const embeds = fitEmbeds(draft.embeds);
  let i = 0;
  // embeds join the last output message if they fit beside it, else messages of their own
  while (i < embeds.length) {
    let target = messages[messages.length - 1];
    if (!target || (target.embeds?.length ?? 0) >= EMBEDS_PER_MESSAGE || (target.embeds ?? []).reduce((n, e) => n + embedSize(e), 0) + embedSize(embeds[i]!) > EMBED_TOTAL_LIMIT) {
      target = {};
      messages.push(target);
    }
    (target.embeds ??= []).push(embeds[i]!);
    const chart = draft.charts.find((c) => c.embed === embeds[i]);
    if (chart) (target.files ??= []).push(chart.file);
    i++;
  }

  if (messages.length === 0) messages.push({ content: '(no output)' });
  const rows = buttons(opts, draft.choices);
  if (rows.length > 0) messages[messages.length - 1]!.components = rows;
  return messages;
}
