import { formatDiskstatsLine, formatHexdumpC, formatIostatReport, formatLsblk, formatMountList, iostatBanner, lsblkSize, type DiskStats, type IostatOptions } from '../../../engine/formats/storage';

const stats = (s: Partial<DiskStats>): DiskStats => ({ reads: 0, readsMerged: 0, sectorsRead: 0, msReading: 0, writes: 0, writesMerged: 0, sectorsWritten: 0, msWriting: 0, inFlight: 0, msIo: 0, msWeighted: 0, ...s });
const bytes = (...parts: Array<number | string>): Uint8Array => Uint8Array.from(parts.flatMap((p) => (typeof p === 'number' ? [p] : [...p].map((c) => c.charCodeAt(0)))));

describe('hexdump -C (bsdmainutils 9.0.5)', () => {
  it('prints offset, two groups of eight, and the printable bytes; a short last line keeps the text column in place', () => {
    const b = bytes(0xee, 0xee, 0xee, 0xee, 'points', 0, 0x10, 0, 0, 0, 'hello');
    expect(formatHexdumpC(b)).toBe(
      '00000000  ee ee ee ee 70 6f 69 6e  74 73 00 10 00 00 00 68  |....points.....h|\n' +
        '00000010  65 6c 6c 6f                                       |ello|\n' +
        '00000014\n',
    );
  });

  it('shows a run of equal lines as one *, the next different line with its own offset, and -v shows them all', () => {
    const b = new Uint8Array(49);
    b[48] = 0x41;
    expect(formatHexdumpC(b)).toBe(
      '00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n' +
        '*\n' +
        '00000030  41                                                |A|\n' +
        '00000031\n',
    );
    expect(formatHexdumpC(b, 0, true).split('\n')).toHaveLength(6);
  });

  it('counts offsets from -s', () => {
    expect(formatHexdumpC(bytes('ab'), 0x2000)).toBe('00002000  61 62                                             |ab|\n00002002\n');
  });
});

describe('/proc/diskstats (linux 3.13)', () => {
  it('is "%4d %7d %s" and eleven counters', () => {
    expect(formatDiskstatsLine({ major: 202, minor: 80, name: 'xvdf', stats: stats({ writes: 200, writesMerged: 600, sectorsWritten: 6400, msWriting: 4000, msIo: 2500, msWeighted: 5000 }) })).toBe(
      ' 202      80 xvdf 0 0 0 0 200 600 6400 4000 0 2500 5000\n',
    );
    expect(formatDiskstatsLine({ major: 1, minor: 15, name: 'ram15', stats: stats({}) })).toBe('   1      15 ram15 0 0 0 0 0 0 0 0 0 0 0\n');
  });
});

describe('iostat (sysstat 10.2.0)', () => {
  const cpu = { user: 1000, nice: 0, system: 500, idle: 18000, iowait: 300, irq: 0, softirq: 200, steal: 0 };
  const disk = stats({ writes: 200, writesMerged: 600, sectorsWritten: 6400, msWriting: 4000, msIo: 2500, msWeighted: 5000 });
  const cur = { uptimeMs: 100_000, cpu, disks: [{ name: 'xvdf', stats: disk }, { name: 'xvdg', stats: stats({}) }] };
  const o: IostatOptions = { cpu: true, disk: true, extended: false, unit: 'kB', omitIdle: false, human: false, devices: [] };

  it('prints the banner with a tab before the date, the architecture and the CPUs', () => {
    expect(iostatBanner('3.13.0-46-generic', 'db-2', '05/12/2015', 2)).toBe('Linux 3.13.0-46-generic (db-2) \t05/12/2015 \t_x86_64_\t(2 CPU)\n\n');
  });

  it('reports CPU shares and, per device with any I/O, tps and kB since boot', () => {
    expect(formatIostatReport(null, cur, o)).toBe(
      'avg-cpu:  %user   %nice %system %iowait  %steal   %idle\n' +
        '           5.00    0.00    3.50    1.50    0.00   90.00\n' +
        '\n' +
        'Device:            tps    kB_read/s    kB_wrtn/s    kB_read    kB_wrtn\n' +
        'xvdf              2.00         0.00        32.00          0       3200\n' +
        '\n',
    );
  });

  it('with -x: merges, requests, kB, request size, queue, waits, service time and utilisation', () => {
    expect(formatIostatReport(null, cur, { ...o, cpu: false, extended: true })).toBe(
      'Device:         rrqm/s   wrqm/s     r/s     w/s    rkB/s    wkB/s avgrq-sz avgqu-sz   await r_await w_await  svctm  %util\n' +
        'xvdf              0.00     6.00    0.00    2.00     0.00    32.00    32.00     0.05   20.00    0.00   20.00  12.50   2.50\n' +
        '\n',
    );
  });

  it('a later report covers only its interval; -z leaves out a device idle in it; -m counts MB', () => {
    const next = { uptimeMs: 110_000, cpu: { ...cpu, idle: cpu.idle + 2000 }, disks: [{ name: 'xvdf', stats: disk }, { name: 'xvdg', stats: stats({ writes: 10, sectorsWritten: 80 }) }] };
    expect(formatIostatReport(cur, next, { ...o, cpu: false, omitIdle: true, unit: 'MB' })).toBe(
      'Device:            tps    MB_read/s    MB_wrtn/s    MB_read    MB_wrtn\n' + 'xvdg              1.00         0.00         0.00          0          0\n' + '\n',
    );
  });
});

describe('lsblk (util-linux 2.20.1)', () => {
  it('sizes in binary units with one decimal when there is a fraction', () => {
    expect([lsblkSize(8 * 2 ** 30), lsblkSize(100 * 2 ** 30), lsblkSize(1.5 * 2 ** 30), lsblkSize(256 * 2 ** 20), lsblkSize(512)]).toEqual(['8G', '100G', '1.5G', '256M', '512B']);
  });

  it('lays columns out as the tt table does: SIZE at least six wide and right-aligned, the last column unpadded', () => {
    const cols = [
      { name: 'NAME', hint: 0.25, right: false },
      { name: 'MAJ:MIN', hint: 6, right: false },
      { name: 'RM', hint: 1, right: true },
      { name: 'SIZE', hint: 6, right: true },
      { name: 'RO', hint: 1, right: true },
      { name: 'TYPE', hint: 4, right: false },
      { name: 'MOUNTPOINT', hint: 0.1, right: false },
    ];
    expect(
      formatLsblk(cols, [
        ['xvda1', '202:1  ', '0', '8G', '0', 'disk', '/'],
        ['xvdf', '202:80 ', '0', '100G', '0', 'disk', ''],
      ]),
    ).toBe('NAME  MAJ:MIN RM   SIZE RO TYPE MOUNTPOINT\nxvda1 202:1    0     8G  0 disk /\nxvdf  202:80   0   100G  0 disk \n');
  });
});

describe('mount (util-linux 2.20.1)', () => {
  it('lists "SOURCE on TARGET type TYPE (OPTIONS)"', () => {
    expect(formatMountList([{ source: '/dev/xvdf', target: '/data', type: 'ext4', options: 'rw,noatime' }])).toBe('/dev/xvdf on /data type ext4 (rw,noatime)\n');
  });
});
