import { compileQuery, QueryError, QueryUnsupported } from '../../../../engine/machine/ebs/jmespath';

/** --query: jmespath 0.7.1's grammar, results and messages. */
describe('jmespath 0.7.1', () => {
  const data = {
    Snapshots: [
      { SnapshotId: 'snap-1', State: 'completed', VolumeSize: 8, StartTime: 't1' },
      { SnapshotId: 'snap-2', State: 'pending', VolumeSize: 2, StartTime: 't2' },
    ],
    Volumes: [{ Attachments: [{ State: 'attached' }], Tags: [{ Key: 'Name', Value: 'db' }] }],
  };
  const q = (e: string): unknown => compileQuery(e).search(data);
  const err = (e: string): string => {
    try {
      compileQuery(e);
    } catch (x) {
      if (x instanceof QueryError || x instanceof QueryUnsupported) return x.message;
    }
    return 'no error';
  };

  it('selects fields, indexes, projections and filters', () => {
    expect(q('Snapshots[*].SnapshotId')).toEqual(['snap-1', 'snap-2']);
    expect(q('Snapshots[0].State')).toBe('completed');
    expect(q('Snapshots[-1].SnapshotId')).toBe('snap-2');
    expect(q("Snapshots[?State=='pending'].SnapshotId")).toEqual(['snap-2']);
    expect(q('Snapshots[?VolumeSize==`8`].SnapshotId | [0]')).toBe('snap-1');
    expect(q('Snapshots[*].[SnapshotId,State]')).toEqual([
      ['snap-1', 'completed'],
      ['snap-2', 'pending'],
    ]);
    expect(q('Volumes[].Attachments[].State')).toEqual(['attached']);
    expect(q('Nothing.here')).toBeNull();
    expect(q('Nothing || Snapshots[0].VolumeSize')).toBe(8);
  });

  it('builds a multi-select hash as a Python dict: keys in Python 2.7\'s order, as the aws-cli examples print them', () => {
    // describe-snapshots.rst: {"ID": ..., "Time": ...}; describe-volumes.rst: {"Tag": ..., "ID": ...}
    expect(Object.keys(q('Snapshots[0].{ID:SnapshotId,Time:StartTime}') as object)).toEqual(['ID', 'Time']);
    expect(Object.keys(q('Volumes[0].{ID:State,Tag:Tags}') as object)).toEqual(['Tag', 'ID']);
  });

  it('fails with jmespath\'s messages', () => {
    expect(err('Snapshots[')).toBe('Invalid jmespath expression: Incomplete expression:\n"Snapshots["\n           ^');
    expect(err('a.')).toBe(
      "Expecting: ['quoted_identifier', 'unquoted_identifier', 'lbracket', 'lbrace'], got: eof: Parse error at column 2, token \"\" (EOF), for expression:\n\"a.\"\n   ^",
    );
    expect(err('a b')).toBe('Unexpected token: b: Parse error at column 2, token "b" (UNQUOTED_IDENTIFIER), for expression:\n"a b"\n   ^');
    expect(err('a#')).toBe('Bad jmespath expression: Unknown characters at the end of the expression:\na#\n ^');
    expect(err('length(Snapshots)')).toBe('functions');
  });
});
