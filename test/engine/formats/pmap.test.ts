import { formatProcMaps, formatProcSmaps, type VmaView } from '../../../engine/formats/maps';
import { formatPmap, parsePmapArgs, type PmapOptions } from '../../../engine/formats/pmap';

const vma = (startPage: number, endPage: number, perms: string, name: string, extra: Partial<VmaView> = {}): VmaView => ({
  startPage,
  endPage,
  perms,
  offset: 0,
  major: name.startsWith('/') ? 0xca : 0,
  minor: name.startsWith('/') ? 1 : 0,
  inode: name.startsWith('/') ? 262_147 : 0,
  name,
  rssKb: 0,
  anonKb: 0,
  swapKb: 0,
  sharedKb: 0,
  pssKb: 0,
  dirtyKb: 0,
  flags: 'rd mr mw me',
  ...extra,
});

const cat: VmaView[] = [
  vma(0x400, 0x40b, 'r-xp', '/bin/cat', { rssKb: 24, pssKb: 24 }),
  vma(0x60a, 0x60b, 'r--p', '/bin/cat', { offset: 0xa000, rssKb: 4, anonKb: 4, dirtyKb: 4, pssKb: 4 }),
  vma(0x1b3c, 0x1b5d, 'rw-p', '[heap]', { rssKb: 8, anonKb: 8, dirtyKb: 8, pssKb: 8 }),
  vma(0x7fff97863, 0x7fff97884, 'rw-p', '[stack]', { rssKb: 12, anonKb: 12, dirtyKb: 12, pssKb: 12 }),
  vma(0x7fff97945, 0x7fff97946, 'r-xp', ''),
  vma(0xffffffffff600, 0xffffffffff601, 'r-xp', '[vsyscall]'),
];

const opts = (mode: PmapOptions['mode'], extra: Partial<PmapOptions> = {}): PmapOptions => ({ mode, quiet: false, showPath: false, pids: [42], ...extra });
const proc = { pid: 42, args: 'cat big.txt', comm: 'cat', vmas: cat };

describe('pmap (procps-ng 3.3.9)', () => {
  it('prints address, size, mode and mapping, then the total in 16 columns', () => {
    expect(formatPmap([proc], 0, opts('default')).stdout).toBe(
      [
        '42:   cat big.txt',
        '0000000000400000     44K r-x-- cat',
        '000000000060a000      4K r---- cat',
        '0000000001b3c000    132K rw---   [ anon ]',
        '00007fff97863000    132K rw---   [ stack ]',
        '00007fff97945000      4K r-x--   [ anon ]',
        'ffffffffff600000      4K r-x--   [ anon ]',
        ' total              320K',
        '',
      ].join('\n'),
    );
  });

  it('-x adds RSS and Dirty columns and a total kB line', () => {
    expect(formatPmap([proc], 0, opts('x')).stdout).toBe(
      [
        '42:   cat big.txt',
        'Address           Kbytes     RSS   Dirty Mode  Mapping',
        '0000000000400000      44      24       0 r-x-- cat',
        '000000000060a000       4       4       4 r---- cat',
        '0000000001b3c000     132       8       8 rw---   [ anon ]',
        '00007fff97863000     132      12      12 rw---   [ stack ]',
        '00007fff97945000       4       0       0 r-x--   [ anon ]',
        'ffffffffff600000       4       0       0 r-x--   [ anon ]',
        '---------------- ------- ------- ------- ',
        'total kB             320      48      24',
        '',
      ].join('\n'),
    );
  });

  it('-d shows offset and device, and the mapped / writeable / shared summary', () => {
    expect(formatPmap([proc], 0, opts('d', { showPath: true })).stdout).toBe(
      [
        '42:   cat big.txt',
        'Address           Kbytes Mode  Offset           Device    Mapping',
        '0000000000400000      44 r-x-- 0000000000000000 0ca:00001 /bin/cat',
        '000000000060a000       4 r---- 000000000000a000 0ca:00001 /bin/cat',
        '0000000001b3c000     132 rw--- 0000000000000000 000:00000   [ anon ]',
        '00007fff97863000     132 rw--- 0000000000000000 000:00000   [ stack ]',
        '00007fff97945000       4 r-x-- 0000000000000000 000:00000   [ anon ]',
        'ffffffffff600000       4 r-x-- 0000000000000000 000:00000   [ anon ]',
        'mapped: 320K    writeable/private: 264K    shared: 0K',
        '',
      ].join('\n'),
    );
  });

  it('a kernel thread has no mappings; a pid not found makes the status 42, one not readable 1', () => {
    expect(formatPmap([{ pid: 2, args: '', comm: 'kthreadd', vmas: [] }], 0, opts('default')).stdout).toBe('2:   [kthreadd]\n total                0K\n');
    expect(formatPmap([], 1, opts('default'))).toEqual({ stdout: '', code: 42 });
    expect(formatPmap(['denied'], 1, opts('default')).code).toBe(43);
  });

  it('parses as pmap does: missing pid, bad pid, exclusive modes', () => {
    expect(parsePmapArgs(['-x', '-d', '1'])).toMatchObject({ ok: false, stderr: 'pmap: options -c, -C, -d, -n, -N, -x, -X are mutually exclusive\n', code: 1 });
    expect(parsePmapArgs(['-x'])).toMatchObject({ ok: false, stderr: 'pmap: argument missing\n', code: 1 });
    expect(parsePmapArgs(['abc'])).toMatchObject({ ok: false, code: 1 });
    expect(parsePmapArgs(['99999999999'])).toMatchObject({ ok: false, code: 1 });
    expect(parsePmapArgs(['/proc/42', '0x10'])).toMatchObject({ ok: true, options: { pids: [42, 16] } });
  });
});

describe('/proc/PID/maps and smaps (Linux 3.16)', () => {
  it('pads every named mapping to column 73 and leaves an anonymous one with its trailing space', () => {
    expect(formatProcMaps(cat.slice(0, 3).concat(cat.slice(4)))).toBe(
      [
        '00400000-0040b000 r-xp 00000000 ca:01 262147                             /bin/cat',
        '0060a000-0060b000 r--p 0000a000 ca:01 262147                             /bin/cat',
        '01b3c000-01b5d000 rw-p 00000000 00:00 0                                  [heap]',
        '7fff97945000-7fff97946000 r-xp 00000000 00:00 0 ',
        'ffffffffff600000-ffffffffff601000 r-xp 00000000 00:00 0                  [vsyscall]',
        '',
      ].join('\n'),
    );
  });

  it('smaps prints the counters of show_smap() under each line', () => {
    expect(formatProcSmaps([cat[2]!])).toBe(
      [
        '01b3c000-01b5d000 rw-p 00000000 00:00 0                                  [heap]',
        'Size:                132 kB',
        'Rss:                   8 kB',
        'Pss:                   8 kB',
        'Shared_Clean:          0 kB',
        'Shared_Dirty:          0 kB',
        'Private_Clean:         0 kB',
        'Private_Dirty:         8 kB',
        'Referenced:            8 kB',
        'Anonymous:             8 kB',
        'AnonHugePages:         0 kB',
        'Swap:                  0 kB',
        'KernelPageSize:        4 kB',
        'MMUPageSize:           4 kB',
        'Locked:                0 kB',
        'VmFlags: rd mr mw me ',
        '',
      ].join('\n'),
    );
  });
});
