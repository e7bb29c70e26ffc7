import { createActor, setup, type Snapshot } from 'xstate';

/**
 * The game's flow through a chapter. The engine sends events when the simulation says something
 * changed; the flow decides what the player is doing now and what may happen next.
 *
 * briefing → investigating → verifying (a fix is in effect, the week-long check runs)
 *   → solved (objectives held for the whole window) → debriefed (free play afterwards)
 * A fix that stops working sends verifying back to investigating.
 */
export type FlowEvent =
  | { type: 'BRIEFED' }
  | { type: 'FIX_IN_EFFECT' }
  | { type: 'FIX_LOST' }
  | { type: 'OBJECTIVES_MET' }
  | { type: 'DEBRIEFED' };

export type FlowPhase = 'briefing' | 'investigating' | 'verifying' | 'solved' | 'debriefed';

const flowMachine = setup({
  types: {} as { events: FlowEvent },
}).createMachine({
  id: 'flow',
  initial: 'briefing',
  states: {
    briefing: { on: { BRIEFED: 'investigating' } },
    investigating: {
      on: { FIX_IN_EFFECT: 'verifying', OBJECTIVES_MET: 'solved' },
    },
    verifying: {
      on: { FIX_LOST: 'investigating', OBJECTIVES_MET: 'solved' },
    },
    solved: { on: { DEBRIEFED: 'debriefed' } },
    debriefed: { type: 'final' },
  },
});

/** Sends events to a persisted flow snapshot and returns the new persisted snapshot and phase. */
export function advanceFlow(
  persisted: unknown,
  events: readonly FlowEvent[],
): { persisted: unknown; phase: FlowPhase } {
  const actor = createActor(flowMachine, persisted ? { snapshot: persisted as Snapshot<unknown> } : {});
  actor.start();
  for (const e of events) actor.send(e);
  const snap = actor.getSnapshot();
  const out = { persisted: actor.getPersistedSnapshot(), phase: snap.value as FlowPhase };
  actor.stop();
  return out;
}
