import { cacheSizeKb, formatSlabtop, parseSlabtopArgs, slabSummary } from '../../../engine/formats/slabtop';
import { cache } from './fixtures';

const caches = [
  cache({ name: 'a_big', numObjs: 6400, activeObjs: 6000, objSize: 64, objPerSlab: 64, numSlabs: 100, activeSlabs: 100 }),
  cache({ name: 'b_mid', numObjs: 460, activeObjs: 460, objSize: 88, objPerSlab: 46, numSlabs: 10, activeSlabs: 10 }),
  cache({ name: 'c_big_obj', numObjs: 10, activeObjs: 5, objSize: 6528, objPerSlab: 5, pagesPerSlab: 8, numSlabs: 2, activeSlabs: 2 }),
  cache({ name: 'd_empty', numObjs: 0, activeObjs: 0, objSize: 256, objPerSlab: 16 }),
  cache({ name: 'e_tail', numObjs: 1, activeObjs: 1, objSize: 32, objPerSlab: 128, numSlabs: 1, activeSlabs: 1 }),
];

function row(objs: string, active: string, use: string, size: string, slabs: string, per: string, kb: string, name: string): string {
  return `${objs} ${active} ${use}% ${size}K ${slabs} ${per} ${kb}K ${name}`;
}

describe('slabtop', () => {
  it('computes CACHE SIZE as slabs x pages per slab x 4K', () => {
    expect(cacheSizeKb(caches[0])).toBe(400);
    expect(cacheSizeKb(caches[2])).toBe(2 * 8 * 4);
  });

  it('sums the summary from the caches', () => {
    const s = slabSummary(caches);
    expect(s.totalObjs).toBe(6871);
    expect(s.activeObjs).toBe(6466);
    expect(s.totalSlabs).toBe(113);
    // a cache with no objects at all is not "active"
    expect(s.activeCaches).toBe(4);
    expect(s.totalCaches).toBe(5);
    expect(s.activeSize).toBe(6000 * 64 + 460 * 88 + 5 * 6528 + 32);
    expect(s.totalSize).toBe(6400 * 64 + 460 * 88 + 10 * 6528 + 32);
    expect(s.avgObjSize).toBe(Math.floor(515392 / 6871));
  });

  it('prints the five summary lines, a blank line and the padded header', () => {
    const lines = formatSlabtop(caches).split('\n');
    expect(lines[0]).toBe(' Active / Total Objects (% used)    : 6466 / 6871 (94.1%)');
    expect(lines[1]).toBe(' Active / Total Slabs (% used)      : 113 / 113 (100.0%)');
    expect(lines[2]).toBe(' Active / Total Caches (% used)     : 4 / 5 (80.0%)');
    expect(lines[3]).toBe(' Active / Total Size (% used)       : 446.44K / 503.31K (88.7%)');
    // 6528/1024 = 6.375 exactly: glibc rounds the tie to even
    expect(lines[4]).toBe(' Minimum / Average / Maximum Object : 0.03K / 0.07K / 6.38K');
    expect(lines[5]).toBe('');
    const header = '  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME';
    expect(lines[6]).toBe(header + ' '.repeat(78 - header.length));
    expect(lines[6]).toHaveLength(78);
  });

  it('prints rows in %6u %6u %3u%% %7.2fK %6u %8u %9uK %-23s, most objects first', () => {
    const lines = formatSlabtop(caches).split('\n');
    expect(lines[7]).toBe(row('  6400', '  6000', ' 93', '   0.06', '   100', '      64', '      400', 'a_big                  '));
    expect(lines[8]).toBe(row('   460', '   460', '100', '   0.09', '    10', '      46', '       40', 'b_mid                  '));
    expect(lines[9]).toBe(row('    10', '     5', ' 50', '   6.38', '     2', '       5', '       64', 'c_big_obj              '));
    expect(lines[10]).toBe(row('     1', '     1', '100', '   0.03', '     1', '     128', '        4', 'e_tail                 '));
    // the display loop stops before the last node of the sorted list
    expect(lines[11]).toBe('');
    expect(lines).toHaveLength(12);
  });

  it('sorts by the -s key', () => {
    const names = (key: Parameters<typeof formatSlabtop>[1]) =>
      formatSlabtop(caches, key).split('\n').slice(7).filter(Boolean).map((l) => l.trim().split(/\s+/).pop());
    expect(names({ sort: 'n' })).toEqual(['a_big', 'b_mid', 'c_big_obj', 'd_empty']);
    expect(names({ sort: 'c' })).toEqual(['a_big', 'c_big_obj', 'b_mid', 'e_tail']);
    expect(names({ sort: 's' })).toEqual(['c_big_obj', 'd_empty', 'b_mid', 'a_big']);
    // slabtop's merge takes the right-hand run on ties: e_tail (100%) overtakes b_mid (100%)
    expect(names({ sort: 'u' })).toEqual(['e_tail', 'b_mid', 'a_big', 'c_big_obj']);
  });

  it('shows at most rows - 8 caches', () => {
    expect(formatSlabtop(caches, { rows: 10 }).split('\n').slice(7).filter(Boolean)).toHaveLength(2);
  });

  it('parses options and reports errors as slabtop does', () => {
    const ok = parseSlabtopArgs(['-o', '-s', 'c']);
    expect(ok).toEqual({ ok: true, options: { sort: 'c', once: true, delaySeconds: 3 } });
    const unknownSort = parseSlabtopArgs(['--sort=z']);
    expect(unknownSort.ok && unknownSort.options.sort).toBe('o');
    const bad = parseSlabtopArgs(['-x']);
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.code).toBe(1);
      expect(bad.stderr.startsWith("slabtop: invalid option -- 'x'\n\nUsage:\n slabtop [options]\n")).toBe(true);
      expect(bad.stderr).toContain(' o: sort by number of objects (the default)\n');
    }
    const zero = parseSlabtopArgs(['-d', '0']);
    expect(!zero.ok && zero.stderr).toBe('slabtop: delay must be positive integer\n');
    const junk = parseSlabtopArgs(['-d', 'abc']);
    expect(!junk.ok && junk.stderr).toBe("slabtop: illegal delay: 'abc'\n");
    const v = parseSlabtopArgs(['-V']);
    expect(!v.ok && v.stdout).toBe('slabtop from procps-ng 3.3.9\n');
  });
});
