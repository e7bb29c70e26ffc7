import { createActor, setup, type Snapshot, type StateNodeConfig } from 'xstate';
import type { ObjectiveStatus, ObjectiveView } from './types';

/**
 * A chapter's objectives as one parallel statechart, a region per objective.
 *
 * A milestone (found the culprit) is reached once and stays reached. A condition (DNS answered
 * every probe for a week) is re-judged from the simulation at every evaluation: it holds, fails,
 * or is done once it has held for its whole window; it can fall back if the world changes again.
 */
export interface ObjectiveDef {
  id: string;
  label: string;
  kind: 'milestone' | 'condition';
}

/** The simulation's verdict for each objective at one moment. */
export type ObjectiveVerdicts = Record<string, { status: ObjectiveStatus; detail?: string }>;

type EvaluateEvent = { type: 'EVALUATE'; verdicts: ObjectiveVerdicts };

function regionFor(def: ObjectiveDef): StateNodeConfig<any, any, any, any, any, any, any, any, any, any> {
  const is = (status: ObjectiveStatus) => ({ event }: { event: EvaluateEvent }) =>
    event.verdicts[def.id]?.status === status;
  if (def.kind === 'milestone') {
    return {
      initial: 'pending',
      states: {
        pending: { on: { EVALUATE: { guard: is('done'), target: 'done' } } },
        done: { type: 'final' },
      },
    };
  }
  const moves = [
    { guard: is('done'), target: 'done' },
    { guard: is('holding'), target: 'holding' },
    { guard: is('failing'), target: 'failing' },
    { guard: is('pending'), target: 'pending' },
  ];
  return {
    initial: 'pending',
    states: {
      pending: { on: { EVALUATE: moves } },
      holding: { on: { EVALUATE: moves } },
      failing: { on: { EVALUATE: moves } },
      done: { on: { EVALUATE: moves.slice(1) } },
    },
  };
}

export function createObjectivesMachine(chapterId: string, defs: readonly ObjectiveDef[]) {
  const states: Record<string, ReturnType<typeof regionFor>> = {};
  for (const d of defs) states[d.id] = regionFor(d);
  return setup({ types: {} as { events: EvaluateEvent } }).createMachine({
    id: `objectives-ch${chapterId}`,
    type: 'parallel',
    // Regions are built from data, which xstate's literal-config types cannot follow.
    states: states as any,
  });
}

export type ObjectivesMachine = ReturnType<typeof createObjectivesMachine>;

interface ObjectivesStep {
  persisted: unknown;
  views: ObjectiveView[];
  /** objectives whose status changed in this step */
  changed: ObjectiveView[];
  allDone: boolean;
}

/** Feeds the simulation's verdicts to the persisted objectives chart. */
export function evaluateObjectives(
  machine: ObjectivesMachine,
  defs: readonly ObjectiveDef[],
  persisted: unknown,
  verdicts: ObjectiveVerdicts | null,
): ObjectivesStep {
  const actor = createActor(machine, persisted ? { snapshot: persisted as Snapshot<unknown> } : {});
  actor.start();
  const before = actor.getSnapshot().value as Record<string, ObjectiveStatus>;
  if (verdicts) actor.send({ type: 'EVALUATE', verdicts });
  const after = actor.getSnapshot().value as Record<string, ObjectiveStatus>;
  const views: ObjectiveView[] = defs.map((d) => ({
    id: d.id,
    label: d.label,
    status: after[d.id] ?? 'pending',
    ...(verdicts?.[d.id]?.detail ? { detail: verdicts[d.id]!.detail } : {}),
  }));
  const changed = views.filter((v) => before[v.id] !== v.status);
  const result = {
    persisted: actor.getPersistedSnapshot(),
    views,
    changed,
    allDone: views.every((v) => v.status === 'done'),
  };
  actor.stop();
  return result;
}
