import { ensureFits, newAllocCtx } from '../../../engine/kernel/alloc';
import { emptyLogs, reportOf } from '../../../engine/kernel/logs';
import { memSnapshot } from '../../../engine/kernel/memory';
import { badness, chooseVictim, GFP_KERNEL, oomScore, totalPages } from '../../../engine/kernel/oom';
import { commitFork, findProc, forkProc } from '../../../engine/kernel/procs';
import type { KernelState, Proc } from '../../../engine/kernel/types';
import { kernel, spawn, T0 } from './helpers';

function child(k: KernelState, parent: Proc, privKb: number): Proc {
  const c = forkProc(k, parent, T0);
  commitFork(k, c);
  c.mm!.privKb = privKb;
  return c;
}

describe('OOM killer (3.16 semantics)', () => {
  it('scores by rss + swap + page tables, gives root 3% off, and adds oom_score_adj x totalpages/1000', () => {
    const k = kernel();
    const user = spawn(k, 'big', 300_000);
    const root = spawn(k, 'bigroot', 300_000, { uid: 0, user: 'root' });
    const snap = memSnapshot(k, T0);
    const total = totalPages(k, snap);
    const pu = badness(user, total, 0);
    const pr = badness(root, total, 0);
    expect(pu).toBe(Math.floor(300_000 / 4) + Math.floor(2_000 / 4) + user.mm!.ptes);
    expect(pr).toBe(pu - Math.trunc((pu * 3) / 100));
    user.adj = 500;
    expect(badness(user, total, 0)).toBe(pu + 500 * Math.trunc(total / 1000));
    user.adj = -1000;
    expect(badness(user, total, 0)).toBe(0);
    expect(oomScore(k, user, snap)).toBe(0);
    expect(badness(findProc(k, 1)!, total, 0)).toBe(0);
    expect(badness(findProc(k, 2)!, total, 0)).toBe(0);
  });

  it('chooses the first highest-scoring task, then sacrifices its biggest child with another mm', () => {
    const k = kernel();
    spawn(k, 'collectd', 90_000);
    const main = spawn(k, 'nsd', 200_000, { uid: 106, user: 'nsd' });
    main.mm!.fileKb = 40_000;
    const a = child(k, main, 9_000);
    const b = child(k, main, 12_000);
    child(k, main, 12_000);
    const snap = memSnapshot(k, T0);
    const choice = chooseVictim(k, snap, new Set())!;
    expect(choice.chosen).toBe(main);
    // equal children: the first in the task list wins the tie
    expect(choice.victim).toBe(b);
    expect(choice.victim).not.toBe(a);
  });

  it('never picks a task with oom_score_adj -1000, and kills others instead', () => {
    const k = kernel();
    const col = spawn(k, 'collectd', 90_000);
    const main = spawn(k, 'nsd', 200_000, { adj: -1000 });
    child(k, main, 9_000).adj = -1000;
    const choice = chooseVictim(k, memSnapshot(k, T0), new Set())!;
    expect(choice.victim).toBe(col);
  });

  it('kills until the allocation fits, reports each kill, and panics when nothing is left', () => {
    const k = kernel(600_000);
    const logs = emptyLogs(-1);
    spawn(k, 'collectd', 90_000);
    const nsd = spawn(k, 'nsd', 300_000);
    const hog = spawn(k, 'hog', 100_000);
    const ctx = newAllocCtx(k, logs, T0, 'test');
    nsd.mm!.privKb = 150_000;
    const r = ensureFits(ctx, hog, GFP_KERNEL, 0);
    expect(r).toBe('ok');
    expect(ctx.oomKills).toBeGreaterThan(0);
    expect(findProc(k, nsd.pid)).toBeUndefined();
    const oom = logs.kmsg.find((e) => e.kind === 'oom')!;
    const report = oom.kind === 'oom' ? reportOf(logs, oom.id)! : null;
    expect(report!.killed.pid).toBe(nsd.pid);
    expect(report!.trigger.comm).toBe('hog');
    expect(report!.tasks.some((t) => t.pid === nsd.pid)).toBe(true);
    expect(ctx.died.map((d) => d.status)).toContain(9);

    // an allocation nothing can satisfy: everyone left is exempt
    for (const p of k.procs) if (p.mm && p.pid !== 1) p.adj = -1000;
    hog.mm!.privKb = 2_000_000;
    const ctx2 = newAllocCtx(k, logs, T0 + 1, 'test');
    expect(ensureFits(ctx2, hog, GFP_KERNEL, 0)).toBe('panic');
    expect(ctx2.panicked).toBe(true);
    const panic = logs.kmsg[logs.kmsg.length - 1]!;
    expect(panic.kind === 'panic' && panic.message).toBe('Out of memory and no killable processes...');
  });
});
