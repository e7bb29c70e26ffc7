import { drainQueued, fixChanged, tryWrongFix } from '../../../engine/story/fixEvents';

const KNOTS = { applied: 'event_fix_applied', regressed: 'event_regressed' };

describe('story events kept in the progress notes', () => {
  test('a wrong fix is queued once, and wrong_fix_kind follows the knots as they are drained', () => {
    const notes: Record<string, never> = {};
    tryWrongFix(notes, 'event_wrong_fix', 'quickack_once');
    tryWrongFix(notes, 'event_wrong_fix', 'quickack_once');
    tryWrongFix(notes, 'event_wrong_fix', 'server_nodelay');
    expect(drainQueued(notes)).toEqual(['event_wrong_fix', 'event_wrong_fix']);
    expect((notes as { wrongFix?: string }).wrongFix).toBe('server_nodelay');
    expect(drainQueued(notes)).toEqual([]);
  });

  test('a fix is announced once when it comes, and its loss once when it goes', () => {
    const notes: Record<string, never> = {};
    expect(fixChanged(notes, 'none', KNOTS)).toEqual([]);
    expect(fixChanged(notes, 'nodelay_live', KNOTS)).toEqual(['event_fix_applied']);
    expect(fixChanged(notes, 'nodelay_live', KNOTS)).toEqual([]);
    expect(fixChanged(notes, 'nodelay_config', KNOTS)).toEqual(['event_fix_applied']);
    expect(fixChanged(notes, 'none', KNOTS)).toEqual(['event_regressed']);
    expect(fixChanged(notes, 'none', KNOTS)).toEqual([]);
  });
});
