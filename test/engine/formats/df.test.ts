import { formatDf, humanSize, parseDfArgs, type DfOptions, type DfRow } from '../../../engine/formats/df';

/** The filesystems of a trusty EC2 box with 4 GB of RAM, as in coreutils 8.21's df. */
const ROWS: DfRow[] = [
  { source: '/dev/xvda1', type: 'ext4', target: '/', totalKb: 8123812, usedKb: 2509339, availKb: 5208285, inodes: { total: 524288, used: 76527, free: 447761 } },
  { source: 'none', type: 'tmpfs', target: '/sys/fs/cgroup', totalKb: 4, usedKb: 0, availKb: 4, inodes: { total: 505757, used: 11, free: 505746 } },
  { source: 'udev', type: 'devtmpfs', target: '/dev', totalKb: 2023028, usedKb: 12, availKb: 2023016, inodes: { total: 505757, used: 408, free: 505349 } },
  { source: 'tmpfs', type: 'tmpfs', target: '/run', totalKb: 404604, usedKb: 360, availKb: 404244, inodes: { total: 505757, used: 513, free: 505244 } },
  { source: 'none', type: 'tmpfs', target: '/run/lock', totalKb: 5120, usedKb: 0, availKb: 5120, inodes: { total: 505757, used: 3, free: 505754 } },
  { source: 'none', type: 'tmpfs', target: '/run/shm', totalKb: 2023028, usedKb: 0, availKb: 2023028, inodes: { total: 505757, used: 1, free: 505756 } },
  { source: 'none', type: 'tmpfs', target: '/run/user', totalKb: 102400, usedKb: 0, availKb: 102400, inodes: { total: 505757, used: 2, free: 505755 } },
];

function df(...argv: string[]): string {
  const p = parseDfArgs(argv);
  if (!p.ok) return p.stderr;
  return formatDf(ROWS, p.options as DfOptions);
}

describe('df', () => {
  test('1K blocks: the Filesystem column at least 14 wide, numbers right-aligned', () => {
    expect(df()).toBe(
      [
        'Filesystem     1K-blocks    Used Available Use% Mounted on',
        '/dev/xvda1       8123812 2509339   5208285  33% /',
        'none                   4       0         4   0% /sys/fs/cgroup',
        'udev             2023028      12   2023016   1% /dev',
        'tmpfs             404604     360    404244   1% /run',
        'none                5120       0      5120   0% /run/lock',
        'none             2023028       0   2023028   0% /run/shm',
        'none              102400       0    102400   0% /run/user',
        '',
      ].join('\n'),
    );
  });

  test('-h: sizes rounded up, one decimal under 10', () => {
    expect(df('-h')).toBe(
      [
        'Filesystem      Size  Used Avail Use% Mounted on',
        '/dev/xvda1      7.8G  2.4G  5.0G  33% /',
        'none            4.0K     0  4.0K   0% /sys/fs/cgroup',
        'udev            2.0G   12K  2.0G   1% /dev',
        'tmpfs           396M  360K  395M   1% /run',
        'none            5.0M     0  5.0M   0% /run/lock',
        'none            2.0G     0  2.0G   0% /run/shm',
        'none            100M     0  100M   0% /run/user',
        '',
      ].join('\n'),
    );
  });

  test('-T, -P, --total, -t, -x, -BM, -i', () => {
    expect(df('-T', '-t', 'ext4').split('\n')).toEqual(['Filesystem     Type 1K-blocks    Used Available Use% Mounted on', '/dev/xvda1     ext4   8123812 2509339   5208285  33% /', '']);
    expect(df('-P', '-x', 'tmpfs').split('\n').slice(0, 2)).toEqual(['Filesystem     1024-blocks    Used Available Capacity Mounted on', '/dev/xvda1         8123812 2509339   5208285      33% /']);
    expect(df('--total', '-x', 'tmpfs').split('\n')[3]).toBe('total           10146840 2509351   7231301  26% -');
    expect(df('-BM', '-t', 'ext4').split('\n').slice(0, 2)).toEqual(['Filesystem     1M-blocks  Used Available Use% Mounted on', '/dev/xvda1          7934  2451      5087  33% /']);
    expect(df('-i', '-t', 'ext4').split('\n').slice(0, 2)).toEqual(['Filesystem     Inodes IUsed  IFree IUse% Mounted on', '/dev/xvda1     524288 76527 447761   15% /']);
  });

  test('bad options as coreutils reports them', () => {
    expect(df('-Z')).toBe("df: invalid option -- 'Z'\nTry 'df --help' for more information.\n");
    expect(df('-B', 'x')).toBe('df: invalid --block-size argument \u2018x\u2019\n');
    expect(df('-B', '99999999999999999999999')).toBe('df: invalid --block-size argument \u201899999999999999999999999\u2019\n');
  });

  test("gnulib's human_readable with ceiling rounding", () => {
    const k = (kb: number) => humanSize(kb * 1024, 1024);
    expect([0, 1, 4, 12, 999, 1000, 1023, 1024, 1025, 5120, 10239, 10240, 102400, 1048575, 8123812].map(k)).toEqual([
      '0', '1.0K', '4.0K', '12K', '999K', '1000K', '1023K', '1.0M', '1.1M', '5.0M', '10M', '10M', '100M', '1.0G', '7.8G',
    ]);
    expect(humanSize(8123812 * 1024, 1000)).toBe('8.4G');
    expect(humanSize(1000, 1000)).toBe('1.0k');
  });
});
