import { createObjectivesMachine, evaluateObjectives, type ObjectiveDef } from '../../engine/objectives';

const defs: ObjectiveDef[] = [
  { id: 'found', label: 'Find the culprit', kind: 'milestone' },
  { id: 'dns', label: 'DNS answers for a week', kind: 'condition' },
];
const machine = createObjectivesMachine('t', defs);
const roundTrip = (x: unknown) => JSON.parse(JSON.stringify(x));

describe('objectives statechart', () => {
  it('starts with everything pending', () => {
    const r = evaluateObjectives(machine, defs, null, null);
    expect(r.views.map((v) => v.status)).toEqual(['pending', 'pending']);
    expect(r.allDone).toBe(false);
  });

  it('a milestone stays done even if a later verdict says otherwise', () => {
    let r = evaluateObjectives(machine, defs, null, { found: { status: 'done' }, dns: { status: 'pending' } });
    expect(r.changed.map((c) => c.id)).toEqual(['found']);
    r = evaluateObjectives(machine, defs, roundTrip(r.persisted), { found: { status: 'pending' }, dns: { status: 'holding' } });
    expect(r.views.find((v) => v.id === 'found')!.status).toBe('done');
  });

  it('a condition follows the simulation, including falling back from done', () => {
    let r = evaluateObjectives(machine, defs, null, { found: { status: 'done' }, dns: { status: 'done', detail: '7 days' } });
    expect(r.allDone).toBe(true);
    expect(r.views[1]!.detail).toBe('7 days');
    r = evaluateObjectives(machine, defs, roundTrip(r.persisted), { found: { status: 'done' }, dns: { status: 'failing' } });
    expect(r.views[1]!.status).toBe('failing');
    expect(r.changed.map((c) => c.id)).toEqual(['dns']);
    expect(r.allDone).toBe(false);
  });
});
