/**
 * `grimoire exercise report RUN`: what happened in a run, as JSON for tools and Markdown for the
 * debrief: solved or not, wall and virtual time, spells, clues and when each was found (with a
 * text chart of the time to each), hints, wrong fixes and what they did, the facilitator's
 * actions, and a timeline. Built from the run file alone.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ObjectiveView } from '../../engine/index';
import { writeFileDurable } from '../saves/durable';
import type { RunData } from './runDir';
import type { EndReason, RunRecord } from './runFile';
import { formatDuration, formatRemaining } from './timeBox';
import { endWords, latestState } from './view';

export const REPORT_FORMAT = 'grimoire-exercise-report';
export const REPORT_VERSION = 1;
const MD_MARK = '<!-- grimoire exercise report';

interface Moment {
  clockMs: number;
  virtualMs: number;
}

export interface RunReport {
  format: typeof REPORT_FORMAT;
  version: typeof REPORT_VERSION;
  exercise: string;
  participant: string | null;
  chapter: string;
  chapterTitle: string;
  seed: number;
  hintMode: string;
  timeBox: string;
  startedAt: string;
  /** null while the run has not ended (a report of a run in progress) */
  endReason: EndReason | null;
  solved: boolean;
  /** running time on the exercise clock (pauses left out), and wall time from start to the last record */
  clockMs: number;
  wallMs: number;
  virtualMs: number;
  virtualTime: string;
  spells: number;
  lines: number;
  spellsLearned: string[];
  objectives: ObjectiveView[];
  clues: { found: Array<Moment & { id: string; text: string; line: number | null }>; notFound: string[] };
  hints: Array<Moment & { level: number; total: number; by: string }>;
  wrongFixes: Array<Moment & { kind: string; input: string; said: string }>;
  actions: Array<Moment & { action: string; injection?: string; ok: boolean; message: string }>;
  timeline: Array<Moment & { what: string }>;
}

const moment = (r: RunRecord): Moment => ({ clockMs: r.clockMs, virtualMs: r.virtualMs });

export function buildReport(run: Pick<RunData, 'header' | 'records'>): RunReport {
  const { header, records } = run;
  const state = latestState(records);
  const end = records.find((r): r is Extract<RunRecord, { t: 'end' }> => r.t === 'end') ?? null;
  const lastRecord = records[records.length - 1];
  const report: RunReport = {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    exercise: header.exercise.name,
    participant: header.participant,
    chapter: header.chapter,
    chapterTitle: header.chapterTitle,
    seed: header.seed,
    hintMode: header.exercise.hints,
    timeBox: header.exercise.timeBox,
    startedAt: header.startedAt,
    endReason: end?.reason ?? null,
    solved: end ? end.result.solved : (state?.solved ?? false),
    clockMs: lastRecord?.clockMs ?? 0,
    wallMs: lastRecord ? Math.max(0, Date.parse(lastRecord.wall) - Date.parse(header.startedAt)) : 0,
    virtualMs: lastRecord?.virtualMs ?? 0,
    virtualTime: end ? end.result.virtualTime : formatDuration(lastRecord?.virtualMs ?? 0),
    spells: end ? end.result.spells : (state?.spells ?? 0),
    lines: 0,
    spellsLearned: [],
    objectives: state?.objectives ?? [],
    clues: { found: [], notFound: state?.clues.notFound ?? [] },
    hints: [],
    wrongFixes: [],
    actions: [],
    timeline: [],
  };
  const event = (r: RunRecord, what: string): void => void report.timeline.push({ ...moment(r), what });
  for (const r of records) {
    switch (r.t) {
      case 'open':
        event(r, 'the chapter opens');
        break;
      case 'line':
        report.lines++;
        for (const b of r.blocks) if (b.kind === 'spell-learned' && !report.spellsLearned.includes(b.name)) report.spellsLearned.push(b.name);
        event(r, `$ ${r.input}${r.refused ? ` (refused: ${r.refused})` : ''}`);
        break;
      case 'clue':
        report.clues.found.push({ ...moment(r), id: r.id, text: r.text, line: r.line });
        event(r, `clue found: ${r.id}`);
        break;
      case 'objective':
        event(r, `objective ${r.id}: ${r.status}${r.detail ? ` (${r.detail})` : ''}`);
        break;
      case 'hint':
        report.hints.push({ ...moment(r), level: r.level, total: r.total, by: r.by });
        event(r, `hint ${r.level} of ${r.total} (${r.by})`);
        break;
      case 'wrong-fix':
        report.wrongFixes.push({ ...moment(r), kind: r.kind, input: r.input, said: r.said });
        event(r, `wrong fix: ${r.kind} (${r.input})`);
        break;
      case 'action':
        report.actions.push({ ...moment(r), action: r.action, ...(r.injection ? { injection: r.injection } : {}), ok: r.ok, message: r.message });
        event(r, `facilitator: ${r.action}${r.injection ? ` ${r.injection}` : ''} ${r.ok ? 'done' : 'refused'} (${r.message})`);
        break;
      case 'clock':
        if (r.event !== 'start') event(r, `clock ${r.event === 'pause' ? 'paused' : 'resumed'} at ${formatRemaining(r.remainingMs)} left`);
        break;
      case 'end':
        event(r, `the exercise ends: ${endWords(r.reason)}`);
        break;
      default:
        break;
    }
  }
  return report;
}

const BAR = 30;

/** one bar per clue: how far into the time box it was found */
export function clueChart(report: RunReport, boxMs: number): string {
  const found = report.clues.found;
  if (found.length === 0) return '';
  const width = Math.max(...found.map((c) => c.id.length), ...report.clues.notFound.map((c) => c.length));
  const scale = Math.max(boxMs, ...found.map((c) => c.clockMs), 1);
  const rows = found.map((c) => {
    const n = Math.max(1, Math.round((c.clockMs / scale) * BAR));
    return `${c.id.padEnd(width)} |${'#'.repeat(n).padEnd(BAR)}| ${formatRemaining(c.clockMs)}`;
  });
  for (const id of report.clues.notFound) rows.push(`${id.padEnd(width)} |${' '.repeat(BAR)}| not found`);
  return rows.join('\n');
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function reportMarkdown(report: RunReport, boxMs: number): string {
  const out: string[] = [];
  out.push(`${MD_MARK}: ${report.exercise} ${report.participant ?? '-'} ch${report.chapter} ${report.startedAt} -->`);
  out.push(`# ${report.exercise}: ${report.participant ?? 'run'}, chapter ${report.chapter} (${report.chapterTitle})`, '');
  const ending = report.endReason ? endWords(report.endReason) : 'still running when this report was written';
  out.push(`**${report.solved ? 'Solved' : 'Not solved'}** (${ending}).`, '');
  out.push('| | |', '|---|---|');
  out.push(`| started | ${report.startedAt} |`);
  out.push(`| exercise clock | ${formatDuration(report.clockMs)} of ${report.timeBox} |`);
  out.push(`| wall time | ${formatDuration(report.wallMs)} |`);
  out.push(`| machine time | ${report.virtualTime} |`);
  out.push(`| seed | ${report.seed} |`);
  out.push(`| lines typed / spells cast | ${report.lines} / ${report.spells} |`);
  out.push(`| clues | ${report.clues.found.length} of ${report.clues.found.length + report.clues.notFound.length} |`);
  out.push(`| hints (${report.hintMode}) | ${report.hints.length} |`);
  out.push(`| wrong fixes | ${report.wrongFixes.length} |`, '');

  out.push('## Objectives', '');
  for (const o of report.objectives) out.push(`- ${o.status === 'done' ? '[x]' : '[ ]'} ${o.label}: ${o.status}${o.detail ? ` (${o.detail})` : ''}`);
  out.push('');

  out.push('## Clues', '');
  if (report.clues.found.length === 0) out.push('None found.');
  else {
    out.push('| clue | found at (clock) | machine time | what it showed |', '|---|---|---|---|');
    for (const c of report.clues.found) out.push(`| ${c.id} | ${formatRemaining(c.clockMs)} | +${formatDuration(c.virtualMs)} | ${cell(c.text)} |`);
  }
  if (report.clues.notFound.length > 0) out.push('', `Not found: ${report.clues.notFound.join(', ')}.`);
  const chart = clueChart(report, boxMs);
  if (chart) out.push('', 'Time to each clue, on the exercise clock (the bar spans the time box):', '', '```', chart, '```');
  out.push('');

  out.push('## Hints', '');
  if (report.hints.length === 0) out.push('None.');
  for (const h of report.hints) out.push(`- hint ${h.level} of ${h.total} at ${formatRemaining(h.clockMs)} (${h.by === 'player' ? 'asked' : 'revealed by the facilitator'})`);
  out.push('');

  out.push('## Wrong fixes', '');
  if (report.wrongFixes.length === 0) out.push('None.');
  for (const w of report.wrongFixes) out.push(`- **${w.kind}** at ${formatRemaining(w.clockMs)}, from \`${w.input}\`${w.said ? `: ${w.said}` : ''}`);
  out.push('');

  if (report.actions.length > 0) {
    out.push('## Facilitator', '');
    for (const a of report.actions) out.push(`- ${formatRemaining(a.clockMs)} ${a.action}${a.injection ? ` ${a.injection}` : ''}: ${a.ok ? 'done' : 'refused'}, ${a.message}`);
    out.push('');
  }

  if (report.spellsLearned.length > 0) out.push('## Spells cast', '', report.spellsLearned.map((s) => `\`${s}\``).join(', '), '');

  out.push('## Timeline', '', '| clock | machine | what |', '|---|---|---|');
  for (const t of report.timeline) out.push(`| ${formatRemaining(t.clockMs)} | +${formatDuration(t.virtualMs)} | ${cell(t.what)} |`);
  return out.join('\n') + '\n';
}

/** Is `file` free to write, or one of our reports? (Anything else is left alone.) */
function ownOrAbsent(file: string, isOurs: (text: string) => boolean): string | null {
  const st = fs.lstatSync(file, { throwIfNoEntry: false });
  if (!st) return null;
  if (!st.isFile()) return `${file} is not a plain file; nothing was written`;
  const head = fs.readFileSync(file, 'utf8').slice(0, 4096);
  return isOurs(head) ? null : `${file} exists and is not a grimoire exercise report; nothing was written (move it, or use --out DIR)`;
}

/** Writes report.md and report.json into `outDir`; refuses (writing neither) when either name holds something else. */
export async function writeReport(run: RunData, outDir: string): Promise<{ ok: true; files: string[] } | { ok: false; message: string }> {
  const st = fs.statSync(outDir, { throwIfNoEntry: false });
  if (!st || !st.isDirectory()) return { ok: false, message: `--out ${outDir} is not a folder` };
  const md = path.join(outDir, 'report.md');
  const json = path.join(outDir, 'report.json');
  const problem =
    ownOrAbsent(md, (t) => t.startsWith(MD_MARK)) ??
    ownOrAbsent(json, (t) => t.includes(`"format": "${REPORT_FORMAT}"`));
  if (problem) return { ok: false, message: problem };
  const report = buildReport(run);
  await writeFileDurable(json, JSON.stringify(report, null, 2) + '\n');
  await writeFileDurable(md, reportMarkdown(report, run.header.exercise.timeBoxMs));
  return { ok: true, files: [md, json] };
}
