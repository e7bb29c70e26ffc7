import { advanceFlow, type FlowEvent, type FlowPhase } from '../../engine/flow';

const roundTrip = (x: unknown): unknown => JSON.parse(JSON.stringify(x));
const ev = (type: FlowEvent['type']): FlowEvent => ({ type });

const EVENTS: FlowEvent['type'][] = ['BRIEFED', 'FIX_IN_EFFECT', 'FIX_LOST', 'OBJECTIVES_MET', 'DEBRIEFED'];

/**
 * The flow as engine/flow.ts describes it: briefing → investigating → verifying → solved →
 * debriefed; a lost fix sends verifying back to investigating; objectives met while investigating
 * or verifying solve the chapter; debriefed is final. Any other event leaves the phase alone.
 */
const TRANSITIONS: Record<FlowPhase, Partial<Record<FlowEvent['type'], FlowPhase>>> = {
  briefing: { BRIEFED: 'investigating' },
  investigating: { FIX_IN_EFFECT: 'verifying', OBJECTIVES_MET: 'solved' },
  verifying: { FIX_LOST: 'investigating', OBJECTIVES_MET: 'solved' },
  solved: { DEBRIEFED: 'debriefed' },
  debriefed: {},
};

/** a persisted snapshot in each phase, reached the way the game reaches it */
const PATHS: Record<FlowPhase, FlowEvent['type'][]> = {
  briefing: [],
  investigating: ['BRIEFED'],
  verifying: ['BRIEFED', 'FIX_IN_EFFECT'],
  solved: ['BRIEFED', 'FIX_IN_EFFECT', 'OBJECTIVES_MET'],
  debriefed: ['BRIEFED', 'FIX_IN_EFFECT', 'OBJECTIVES_MET', 'DEBRIEFED'],
};

function at(phase: FlowPhase): unknown {
  const r = advanceFlow(null, PATHS[phase].map(ev));
  expect(r.phase).toBe(phase);
  return r.persisted;
}

describe('advanceFlow', () => {
  it('a new flow (no snapshot yet) is in the briefing', () => {
    expect(advanceFlow(null, []).phase).toBe('briefing');
    expect(advanceFlow(undefined, []).phase).toBe('briefing');
  });

  it('walks briefing → investigating → verifying → solved → debriefed, one event at a time', () => {
    let persisted: unknown = null;
    const seen: FlowPhase[] = [];
    for (const type of ['BRIEFED', 'FIX_IN_EFFECT', 'OBJECTIVES_MET', 'DEBRIEFED'] as const) {
      const r = advanceFlow(persisted, [ev(type)]);
      seen.push(r.phase);
      persisted = r.persisted;
    }
    expect(seen).toEqual(['investigating', 'verifying', 'solved', 'debriefed']);
  });

  it('FIX_LOST sends verifying back to investigating, and a new fix starts verifying again', () => {
    const lost = advanceFlow(at('verifying'), [ev('FIX_LOST')]);
    expect(lost.phase).toBe('investigating');
    expect(advanceFlow(lost.persisted, [ev('FIX_IN_EFFECT')]).phase).toBe('verifying');
  });

  it('objectives met while still investigating solve the chapter directly', () => {
    expect(advanceFlow(at('investigating'), [ev('OBJECTIVES_MET')]).phase).toBe('solved');
  });

  describe.each(Object.keys(TRANSITIONS) as FlowPhase[])('in %s', (phase) => {
    it.each(EVENTS)('%s goes where the flow says, or is ignored', (type) => {
      const expected = TRANSITIONS[phase][type] ?? phase;
      expect(advanceFlow(at(phase), [ev(type)]).phase).toBe(expected);
    });
  });

  it('applies a batch of events in order', () => {
    // FIX_LOST means nothing while investigating, so the order decides where this ends
    expect(advanceFlow(at('investigating'), [ev('FIX_IN_EFFECT'), ev('FIX_LOST')]).phase).toBe('investigating');
    expect(advanceFlow(at('investigating'), [ev('FIX_LOST'), ev('FIX_IN_EFFECT')]).phase).toBe('verifying');
    // the early events are ignored, then the walk goes all the way
    expect(advanceFlow(null, ['OBJECTIVES_MET', 'DEBRIEFED', 'BRIEFED', 'OBJECTIVES_MET', 'DEBRIEFED'].map((t) => ev(t as FlowEvent['type']))).phase).toBe('debriefed');
  });

  it('does not change the snapshot it was given', () => {
    const p = at('investigating');
    const before = JSON.stringify(p);
    expect(advanceFlow(p, [ev('FIX_IN_EFFECT')]).phase).toBe('verifying');
    expect(JSON.stringify(p)).toBe(before);
    expect(advanceFlow(p, []).phase).toBe('investigating');
  });
});

describe('the persisted snapshot', () => {
  it.each(Object.keys(PATHS) as FlowPhase[])('is plain JSON that comes back in the same phase (%s)', (phase) => {
    const p = at(phase);
    const text = JSON.stringify(p);
    expect(JSON.stringify(roundTrip(p))).toBe(text);
    const again = advanceFlow(roundTrip(p), []);
    expect(again.phase).toBe(phase);
    expect(JSON.stringify(again.persisted)).toBe(text);
  });

  it('a walk through JSON after every step ends where the same walk in memory ends', () => {
    const events = ['BRIEFED', 'FIX_IN_EFFECT', 'FIX_LOST', 'FIX_IN_EFFECT', 'OBJECTIVES_MET', 'DEBRIEFED'] as const;
    let viaJson: unknown = null;
    const phases: FlowPhase[] = [];
    for (const type of events) {
      const r = advanceFlow(viaJson === null ? null : roundTrip(viaJson), [ev(type)]);
      phases.push(r.phase);
      viaJson = r.persisted;
    }
    expect(phases).toEqual(['investigating', 'verifying', 'investigating', 'verifying', 'solved', 'debriefed']);
    const inMemory = advanceFlow(null, events.map(ev));
    expect(inMemory.phase).toBe('debriefed');
    expect(JSON.stringify(viaJson)).toBe(JSON.stringify(inMemory.persisted));
  });

  it('restored mid-investigation, it still knows where it is', () => {
    const verifying = roundTrip(at('verifying'));
    expect(advanceFlow(verifying, [ev('BRIEFED')]).phase).toBe('verifying');
    expect(advanceFlow(verifying, [ev('FIX_LOST')]).phase).toBe('investigating');
  });
});
