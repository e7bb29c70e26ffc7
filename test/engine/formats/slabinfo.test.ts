import { formatSlabinfo, formatSlabinfoLine } from '../../../engine/formats/slabinfo';
import { cache } from './fixtures';

describe('/proc/slabinfo 2.1', () => {
  it('prints the two header lines', () => {
    const lines = formatSlabinfo([]).split('\n');
    expect(lines[0]).toBe('slabinfo - version: 2.1');
    expect(lines[1]).toBe(
      '# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>' +
        ' : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>',
    );
  });
  it('matches a real SLUB line field for field', () => {
    const c = cache({ name: 'anon_vma', activeObjs: 224, numObjs: 322, objSize: 88, objPerSlab: 46, activeSlabs: 7, numSlabs: 7 });
    expect(formatSlabinfoLine(c)).toBe(
      'anon_vma             224    322     88   46    1 : tunables    0    0    0 : slabdata      7      7      0',
    );
  });
  it('lets a long name or big count overflow its field', () => {
    const c = cache({ name: 'anon_vma_chain', activeObjs: 23680000, numObjs: 23680032, activeSlabs: 370001, numSlabs: 370001 });
    expect(formatSlabinfoLine(c)).toBe(
      'anon_vma_chain    23680000 23680032     64   64    1 : tunables    0    0    0 : slabdata 370001 370001      0',
    );
  });
});
