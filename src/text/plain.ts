/**
 * Engine output blocks as plain text: what a player sees with colour off, and exactly what
 * script mode prints. The engine emits only typed blocks; this flattening belongs to the front ends.
 */
import type { ObjectiveStatus, OutputBlock } from '../../engine/index';

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
      case 'spell-learned':
        parts.push(`✦ The grimoire inks a new spell into its margins: ${b.name} (man ${b.name})`);
        break;
      case 'chapter-end':
        parts.push(b.solved ? `*** Chapter ${b.chapter} solved ***` : `*** Chapter ${b.chapter} ends ***`);
        break;
    }
  }
  return parts.join('\n');
}

/** The one-character checkbox mark for an objective in the plain-text status list. */
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

/** `1 spell`, `2 spells`: a count with its noun, for the summary lines every front end prints */
export const countOf = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
