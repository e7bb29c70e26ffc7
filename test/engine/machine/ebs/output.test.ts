import { formatJson, formatTable, formatText } from '../../../../engine/machine/ebs/output';

/** aws-cli 1.7.26's formatters (awscli/formatter.py, text.py, table.py) on Python 2.7. */
describe('aws-cli output formats', () => {
  const response = { Description: 'x', State: 'pending', Tags: [], Size: 8, Encrypted: false };

  it('json: 4-space indent and Python 2.7\'s ", " separator, which leaves a space before each line break', () => {
    expect(formatJson(response)).toBe(['{', '    "Description": "x", ', '    "State": "pending", ', '    "Tags": [], ', '    "Size": 8, ', '    "Encrypted": false', '}', ''].join('\n'));
    expect(formatJson({ A: [{ B: 'q"\\\n' }] })).toBe(['{', '    "A": [', '        {', '            "B": "q\\"\\\\\\n"', '        }', '    ]', '}', ''].join('\n'));
  });

  it('json: a response with nothing in it prints nothing (delete-snapshot)', () => {
    expect(formatJson({})).toBe('');
  });

  it('text: scalars sorted by key on one line, Python\'s str() of each; lists under their key in capitals', () => {
    expect(formatText({ Volumes: [{ VolumeId: 'vol-1', Size: 8, Attachments: [{ Device: '/dev/sdf', DeleteOnTermination: false }] }, { VolumeId: 'vol-2', Size: 2, Iops: 100, Attachments: [] }] })).toBe(
      ['VOLUMES\t\t8\tvol-1', 'ATTACHMENTS\tFalse\t/dev/sdf', 'VOLUMES\t100\t2\tvol-2', ''].join('\n'),
    );
  });

  it('table: a titled section with the scalars as columns, widths scaled to the widest line', () => {
    expect(formatTable('CreateSnapshot', { State: 'pending', Description: 'x' })).toBe(
      [
        '----------------------------',
        '|      CreateSnapshot      |',
        '+--------------+-----------+',
        '|  Description |   State   |',
        '+--------------+-----------+',
        '|  x           |  pending  |',
        '+--------------+-----------+',
        '',
      ].join('\n'),
    );
  });

  it('table: an empty list leaves only the title', () => {
    expect(formatTable('DescribeSnapshots', { Snapshots: [] })).toBe(['-------------------', '|DescribeSnapshots|', '+-----------------+', ''].join('\n'));
  });
});
