import * as path from 'node:path';
import type { ObjectiveView, OutputBlock } from '../../../engine/index';
import { fail, pass, type CheckItem } from '../checklist';
import type { LoadedChapter } from '../loadChapter';
import { newGame, stepAll, why, type Step } from '../runner';

export interface Script {
  file: string;
  lines: string[];
}

/** A walkthrough played from a new game: its steps, and the objectives as `status` showed them first. */
export interface Played {
  steps: Step[];
  opening: OutputBlock[];
  statusAtStart: ObjectiveView[];
  solved: boolean;
  error: string | null;
}

export function playScript(id: string, seed: number, lines: readonly string[], opts: { statusFirst?: boolean } = {}): Played {
  let statusAtStart: ObjectiveView[] = [];
  try {
    const { game, opening } = newGame(id, seed);
    if (opts.statusFirst) {
      const status = game.step('status').find((b) => b.kind === 'status');
      if (status?.kind === 'status') statusAtStart = status.objectives;
    }
    const steps = stepAll(game, lines);
    return { steps, opening, statusAtStart, solved: game.solved(), error: null };
  } catch (e) {
    return { steps: [], opening: [], statusAtStart, solved: false, error: why(e) };
  }
}

const rel = (file: string): string => path.join(path.basename(path.dirname(file)), path.basename(file));

/** objectives not done at the end of a run, from its last objective blocks */
function unmet(module: LoadedChapter['module'], run: Played): string {
  const last = new Map<string, string>();
  for (const o of run.statusAtStart) last.set(o.id, o.status);
  for (const s of run.steps) for (const b of s.blocks) if (b.kind === 'objective') last.set(b.id, b.status);
  return module.objectives
    .filter((o) => last.get(o.id) !== 'done')
    .map((o) => `'${o.label}' is ${last.get(o.id) ?? 'pending'}`)
    .join('; ');
}

/**
 * Every walkthrough solves the chapter under each seed (runs: one map per seed, by file), and the
 * clues it finds are the contract's.
 */
export function checkWalkthroughs(chapter: LoadedChapter, walkthroughs: readonly Script[], runsBySeed: ReadonlyArray<{ seed: number; runs: ReadonlyMap<string, Played> }>): CheckItem[] {
  if (walkthroughs.length === 0) return [fail('every walkthrough solves the chapter', 'no walkthrough: add scripts/walkthrough.txt to the chapter folder')];
  return walkthroughs.map((w) => {
    const title = `walkthrough ${rel(w.file)} solves the chapter`;
    for (const { seed, runs } of runsBySeed) {
      const r = runs.get(w.file)!;
      if (r.error) return fail(title, `with seed ${seed} the game stopped with an error: ${r.error}`);
      if (!r.solved) return fail(title, `not solved after its ${w.lines.length} lines with seed ${seed}: ${unmet(chapter.module, r) || 'the objectives did not all hold'}`);
    }
    const run = runsBySeed[0]!.runs.get(w.file)!;
    const clues = run.steps.flatMap((s) => s.blocks.flatMap((b) => (b.kind === 'journal' ? [b.id] : [])));
    const foreign = clues.filter((c) => !chapter.contract.CLUE_IDS.includes(c));
    if (foreign.length) return fail(title, `the judge reported clues CLUE_IDS does not list: ${foreign.join(', ')}`);
    return pass(title, `${w.lines.length} lines, ${clues.length} clues, seeds ${runsBySeed.map((r) => r.seed).join(' and ')}`);
  });
}

/** No wrong-fix script solves the chapter. */
export function checkWrongFixes(id: string, seed: number, wrongFixes: readonly Script[]): CheckItem[] {
  if (wrongFixes.length === 0) return [fail('every wrong-fix script leaves the chapter unsolved', 'no wrong-fix script: add scripts/wrong-fix.txt (what a player might try that does not fix it)')];
  return wrongFixes.map((w) => {
    const title = `wrong fix ${rel(w.file)} does not solve the chapter`;
    const run = playScript(id, seed, w.lines);
    if (run.error) return fail(title, `the game stopped with an error: ${run.error}`);
    return run.solved ? fail(title, `it solved the chapter: the judge takes this for a fix (${w.lines.length} lines)`) : pass(title);
  });
}

/** Each objective is shown by `status` and its verdict moves during the walkthrough. */
export function checkObjectives(chapter: LoadedChapter, run: Played | undefined): CheckItem[] {
  const title = 'each objective can be observed (status shows it, and it moves during the walkthrough)';
  if (!run || run.error) return [fail(title, 'no walkthrough ran to watch the objectives')];
  const moved = new Set<string>();
  for (const s of run.steps) for (const b of s.blocks) if (b.kind === 'objective') moved.add(b.id);
  const shown = new Set(run.statusAtStart.map((o) => o.id));
  const problems = chapter.module.objectives.flatMap((o) => [
    ...(shown.has(o.id) ? [] : [`'${o.label}' is not in status`]),
    ...(moved.has(o.id) ? [] : [`'${o.label}' never changed during the walkthrough (status showed it ${run.statusAtStart.find((v) => v.id === o.id)?.status ?? 'missing'} throughout)`]),
  ]);
  return [problems.length ? fail(title, problems.join('\n')) : pass(title, `${chapter.module.objectives.length} objectives`)];
}
