/**
 * The facilitator's view as text: what a record says in one or two lines, and the whole truth
 * behind the game (`status` in the watcher). Shared by `exercise watch` and the report.
 */
import type { GameInspection, OutputBlock } from '../../engine/index';
import { blocksToPlainText, countOf } from '../text/plain';
import type { RunHeader, RunRecord } from './runFile';
import { formatDuration, formatRemaining } from './timeBox';

const MARK: Record<string, string> = { done: '[x]', holding: '[~]', failing: '[!]', pending: '[ ]' };

/** 12:05 on the exercise clock, +3h 2m of the machine's */
export function when(r: { clockMs: number; virtualMs: number }): string {
  return `${formatRemaining(r.clockMs)} +${formatDuration(r.virtualMs)}`;
}

/** the first lines of some output, and how many more there were */
export function excerpt(blocks: readonly OutputBlock[], maxLines = 4): string {
  const text = blocksToPlainText(blocks.filter((b) => b.kind !== 'spell-learned')).replace(/\n+$/, '');
  if (text === '') return '';
  const lines = text.split('\n');
  const shown = lines.slice(0, maxLines).map((l) => `    | ${l}`);
  if (lines.length > maxLines) shown.push(`    | (${lines.length - maxLines} more lines)`);
  return shown.join('\n');
}

/** One record as the watcher prints it, or null for records it keeps to itself (state). */
export function describeRecord(r: RunRecord): string | null {
  const at = `[${when(r)}]`;
  switch (r.t) {
    case 'open':
      return `${at} the chapter opens`;
    case 'line': {
      const head = `${at} $ ${r.input}${r.refused ? `   (refused: ${r.refused})` : ''}`;
      const out = r.refused ? '' : excerpt(r.blocks);
      return out ? `${head}\n${out}` : head;
    }
    case 'objective':
      return `${at}   objective ${r.id}: ${r.status}${r.detail ? ` (${r.detail})` : ''}`;
    case 'clue':
      return `${at}   clue found: ${r.id}: ${r.text}`;
    case 'hint':
      return `${at}   hint ${r.level} of ${r.total} (${r.by === 'player' ? 'asked by the player' : 'revealed by you'})`;
    case 'wrong-fix':
      return `${at}   wrong fix: ${r.kind} (from: ${r.input})${r.said ? ` - ${r.said}` : ''}`;
    case 'notice':
      return `${at}   shown to the player:\n${excerpt(r.blocks, 6)}`;
    case 'action':
      return `${at}   your ${r.action}${r.injection ? ` ${r.injection}` : ''}: ${r.ok ? 'done' : 'refused'}: ${r.message}`;
    case 'clock':
      return `${at}   clock ${r.event === 'start' ? 'started' : r.event === 'pause' ? 'paused' : 'resumed'}, ${formatRemaining(r.remainingMs)} left`;
    case 'end':
      return `${at} the exercise ends (${endWords(r.reason)}): ${r.result.solved ? 'solved' : 'not solved'}, ${countOf(r.result.spells, 'spell')}, ${countOf(r.result.hints, 'hint')}, ${r.result.virtualTime} of the machine's time`;
    case 'state':
      return null;
  }
}

export function endWords(reason: string): string {
  switch (reason) {
    case 'solved':
      return 'solved';
    case 'time':
      return 'time is up';
    case 'facilitator':
      return 'ended by the facilitator';
    case 'quit':
      return 'the player quit';
    default:
      return 'the player left';
  }
}

/** The truth behind the game: what is wrong, the fix, objectives, clues, hints, wrong fixes. */
export function describeState(s: GameInspection, header: RunHeader, remainingMs: number | null): string {
  const out: string[] = [];
  out.push(`Chapter ${header.chapter}: ${header.chapterTitle}   participant: ${header.participant ?? '-'}   seed: ${header.seed}   hints: ${header.exercise.hints}`);
  if (remainingMs !== null) out.push(`Clock: ${formatRemaining(remainingMs)} left of ${header.exercise.timeBox}; machine time +${formatDuration(s.elapsedMs)}`);
  if (s.diagnosis) out.push(`What is really wrong: ${s.diagnosis}`);
  out.push(`A real fix is in effect: ${s.fixInEffect ? 'yes' : 'no'}${s.solved ? ' (solved)' : ''}`);
  out.push('Objectives:');
  for (const o of s.objectives) out.push(`  ${MARK[o.status] ?? '[?]'} ${o.label}: ${o.status}${o.detail ? ` (${o.detail})` : ''}`);
  out.push(`Clues found (${s.clues.found.length}): ${s.clues.found.join(', ') || 'none yet'}`);
  out.push(`Clues not found (${s.clues.notFound.length}): ${s.clues.notFound.join(', ') || 'none'}`);
  out.push(`Hints used: ${s.hints.used} of ${s.hints.total}   spells cast: ${s.spells}`);
  out.push(`Wrong fixes tried: ${s.wrongFixes.join(', ') || 'none'}`);
  if (s.injections.length > 0) out.push(`Injections: ${s.injections.map((i) => `${i.id} (${i.label})`).join('; ')}`);
  return out.join('\n');
}

/** the latest facilitator's view in some records */
export function latestState(records: readonly RunRecord[]): GameInspection | null {
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i]!;
    if (r.t === 'state') return r.state;
  }
  return null;
}
