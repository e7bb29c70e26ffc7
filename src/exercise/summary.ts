/**
 * `grimoire exercise summary RUN...`: one row per run, for a cohort, and the cohort in a line.
 */
import type { RunReport } from './report';
import { formatDuration } from './timeBox';

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export function summaryMarkdown(reports: readonly RunReport[]): string {
  const head = ['participant', 'chapter', 'seed', 'solved', 'clock', 'machine time', 'spells', 'clues', 'hints', 'wrong fixes', 'ended'];
  const rows = reports.map((r) => [
    r.participant ?? '-',
    r.chapter,
    String(r.seed),
    r.solved ? 'yes' : 'no',
    formatDuration(r.clockMs),
    r.virtualTime,
    String(r.spells),
    `${r.clues.found.length}/${r.clues.found.length + r.clues.notFound.length}`,
    String(r.hints.length),
    r.wrongFixes.map((w) => w.kind).join(', ') || '-',
    r.endReason ?? 'running',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const out = [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)];
  const solved = reports.filter((r) => r.solved);
  const toSolve = median(solved.map((r) => r.clockMs));
  const clues = median(reports.map((r) => r.clues.found.length));
  out.push(
    '',
    `${reports.length} run${reports.length === 1 ? '' : 's'}, ${solved.length} solved` +
      (toSolve !== null ? `; median time to solve ${formatDuration(toSolve)}` : '') +
      (clues !== null ? `; median clues found ${clues}` : '') +
      `; hints used ${reports.reduce((n, r) => n + r.hints.length, 0)}.`,
  );
  return out.join('\n') + '\n';
}
