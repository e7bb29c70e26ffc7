import { anonVmaObjects, countAnonVmaObjects } from '../../../engine/kernel/anonvma';
import { countMem } from '../../../engine/kernel/memory';
import { commitFork, execProc, exitProc, forkProc } from '../../../engine/kernel/procs';
import type { KernelState, Proc } from '../../../engine/kernel/types';
import { image, kernel, spawn, T0 } from './helpers';

function fork(k: KernelState, parent: Proc): Proc {
  const c = forkProc(k, parent, T0);
  expect(commitFork(k, c)).toBe(true);
  return c;
}

const V = 150;

/** NSD 4.0: the child reloads and becomes main, the old main and its serve children exit */
function reload40(k: KernelState, main: Proc, kids: Proc[], children: number): { main: Proc; kids: Proc[] } {
  const r = fork(k, main);
  const fresh: Proc[] = [];
  for (let i = 0; i < children; i++) fresh.push(fork(k, r));
  for (const c of kids) exitProc(k, c, 0);
  exitProc(k, main, 0);
  return { main: r, kids: fresh };
}

/** NSD 4.1: the parent stays main, the forked copy exits after the old children */
function reload41(k: KernelState, main: Proc, kids: Proc[], children: number): { main: Proc; kids: Proc[] } {
  const old = fork(k, main);
  const fresh: Proc[] = [];
  for (let i = 0; i < children; i++) fresh.push(fork(k, main));
  for (const c of kids) exitProc(k, c, 0);
  exitProc(k, old, 0);
  return { main, kids: fresh };
}

function start(k: KernelState, children: number): { main: Proc; kids: Proc[]; xfrd: Proc } {
  const main = spawn(k, 'nsd', 200_000, { anonVmas: V });
  const xfrd = fork(k, main);
  const kids: Proc[] = [];
  for (let i = 0; i < children; i++) kids.push(fork(k, main));
  return { main, kids, xfrd };
}

describe('anon_vma hierarchy', () => {
  it('grows by one level per 4.0 reload on a kernel without the fix, and never frees it', () => {
    const k = kernel(4_046_212, false);
    let s = start(k, 2);
    const depth0 = s.main.mm!.depth;
    const objects0 = anonVmaObjects(k.av);
    for (let i = 1; i <= 500; i++) {
      const n = reload40(k, s.main, s.kids, 2);
      s = { ...s, ...n };
      expect(s.main.mm!.depth).toBe(depth0 + i);
    }
    expect(anonVmaObjects(k.av)).toBe(objects0 + 500 * V);
    expect(countAnonVmaObjects(k.av)).toBe(anonVmaObjects(k.av));
    // every serve child is chained one level deeper than its main
    for (const c of s.kids) expect(c.mm!.depth).toBe(s.main.mm!.depth + 1);
    // dead levels fold together: the state stays as small as the process table
    expect(Object.keys(k.av.nodes).length).toBeLessThan(20);
    const c = countMem(k);
    expect(c.avc).toBeGreaterThan(3 * 500 * V);
  });

  it('stays bounded with the fix (a lone dead level is reused instead of adding one)', () => {
    const k = kernel(4_046_212, true);
    let s = start(k, 3);
    for (let i = 0; i < 1_000; i++) s = { ...s, ...reload40(k, s.main, s.kids, 3) };
    expect(s.main.mm!.depth).toBeLessThanOrEqual(4);
    expect(anonVmaObjects(k.av)).toBeLessThan(20 * V);
    expect(countAnonVmaObjects(k.av)).toBe(anonVmaObjects(k.av));
  });

  it('stays bounded with NSD 4.1 on the old kernel (the parent stays main)', () => {
    const k = kernel(4_046_212, false);
    let s = start(k, 2);
    const depth0 = s.main.mm!.depth;
    const pid0 = s.main.pid;
    for (let i = 0; i < 500; i++) s = { ...s, ...reload41(k, s.main, s.kids, 2) };
    expect(s.main.pid).toBe(pid0);
    expect(s.main.mm!.depth).toBe(depth0);
    for (const c of s.kids) expect(c.mm!.depth).toBe(depth0 + 1);
    expect(anonVmaObjects(k.av)).toBeLessThan(10 * V);
  });

  it('is freed by a full restart: every process exits, a fresh exec starts a new root', () => {
    const k = kernel(4_046_212, false);
    const before = anonVmaObjects(k.av);
    let s = start(k, 2);
    for (let i = 0; i < 300; i++) s = { ...s, ...reload40(k, s.main, s.kids, 2) };
    expect(anonVmaObjects(k.av)).toBeGreaterThan(before + 300 * V);
    for (const c of s.kids) exitProc(k, c, 0);
    exitProc(k, s.xfrd, 0);
    exitProc(k, s.main, 0);
    expect(anonVmaObjects(k.av)).toBe(before);
    const again = start(k, 2);
    expect(again.main.mm!.depth).toBe(1);
  });

  it('exec replaces the family of the process that runs it', () => {
    const k = kernel();
    const p = spawn(k, 'sh', 300, { anonVmas: 6 });
    const c = fork(k, p);
    expect(c.mm!.depth).toBe(2);
    execProc(k, c, image('run-parts', 400, 8));
    expect(c.mm!.depth).toBe(1);
    expect(c.mm!.fam).not.toBe(p.mm!.fam);
    expect(countAnonVmaObjects(k.av)).toBe(anonVmaObjects(k.av));
  });
});
