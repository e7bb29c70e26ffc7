/**
 * The engine speaks to front ends only through typed output blocks. Front ends decide
 * how each kind looks (colour in a terminal, embeds in Discord, plain text in scripts).
 */
export type OutputBlock =
  /** Words from the story (ink): briefings, colleagues, reactions, debrief. */
  | { kind: 'narration'; text: string; speaker?: string }
  /** What a spell printed on its standard output, exactly as the real tool would. */
  | { kind: 'spell-output'; text: string }
  /** What a spell printed on standard error, or the shell's own complaints. */
  | { kind: 'error'; text: string }
  /** A graduated hint. level is 1-based; the last level gives the answer away. */
  | { kind: 'hint'; level: number; total: number; text: string }
  /** An objective changed state. */
  | { kind: 'objective'; id: string; label: string; status: ObjectiveStatus; detail?: string }
  /** The player learned something worth remembering. */
  | { kind: 'journal'; id: string; text: string }
  /** A menu of numbered choices (talking to colleagues). */
  | { kind: 'choices'; prompt?: string; options: { index: number; text: string }[] }
  /** A heading: chapter titles, section breaks. */
  | { kind: 'title'; text: string; subtitle?: string }
  /** The answer to `status`: every objective with its current state. */
  | { kind: 'status'; objectives: ObjectiveView[]; solved: boolean; virtualTime: string }
  /** Something the game itself says (time passed, a spell learned, a save written). */
  | { kind: 'system'; text: string }
  /** The chapter is over. */
  | { kind: 'chapter-end'; chapter: string; solved: boolean };

export type ObjectiveStatus = 'pending' | 'holding' | 'failing' | 'done';

export interface ObjectiveView {
  id: string;
  label: string;
  status: ObjectiveStatus;
  detail?: string;
}

/** A JSON value; the whole game state must be made of these. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Turns blocks into the plain text a player would see with colour off. */
export function blocksToPlainText(blocks: readonly OutputBlock[]): string {
  const parts: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case 'narration':
        parts.push(b.speaker ? `${b.speaker}: ${b.text}` : b.text);
        break;
      case 'spell-output':
      case 'error':
        if (b.text.length > 0) parts.push(b.text.replace(/\n$/, ''));
        break;
      case 'hint':
        parts.push(`Hint ${b.level}/${b.total}: ${b.text}`);
        break;
      case 'objective':
        parts.push(`[objective] ${b.label}: ${b.status}${b.detail ? ` (${b.detail})` : ''}`);
        break;
      case 'journal':
        parts.push(`[journal] ${b.text}`);
        break;
      case 'choices':
        if (b.prompt) parts.push(b.prompt);
        for (const o of b.options) parts.push(`  ${o.index}. ${o.text}`);
        break;
      case 'title':
        parts.push(b.subtitle ? `== ${b.text} ==\n${b.subtitle}` : `== ${b.text} ==`);
        break;
      case 'status':
        parts.push(`Objectives at ${b.virtualTime}${b.solved ? ' (solved)' : ''}:`);
        for (const o of b.objectives) {
          parts.push(`  [${statusMark(o.status)}] ${o.label}${o.detail ? ` (${o.detail})` : ''}`);
        }
        break;
      case 'system':
        parts.push(b.text);
        break;
      case 'chapter-end':
        parts.push(b.solved ? `*** Chapter ${b.chapter} solved ***` : `*** Chapter ${b.chapter} ends ***`);
        break;
    }
  }
  return parts.join('\n');
}

export function statusMark(s: ObjectiveStatus): string {
  switch (s) {
    case 'done':
      return 'x';
    case 'holding':
      return '~';
    case 'failing':
      return '!';
    default:
      return ' ';
  }
}
