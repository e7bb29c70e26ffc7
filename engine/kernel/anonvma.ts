/**
 * The anon_vma hierarchy of mm/rmap.c, one tree per exec'd image ("family"). Every anonymous VMA
 * of a family forks the same way, so the tree is kept once and its counts multiplied by the
 * family's VMA count.
 *
 * Before the 3.19 fix, every fork adds a level under the parent's anon_vma, and a level lives as
 * long as any process is chained to it: a parent that forks a child and exits leaves its level
 * behind. A run of such dead levels with a single descendant is folded into one node with a
 * `levels` count so that the state stays as small as the number of live processes.
 *
 * With the fix, fork first looks for a level in the parent's chain that no VMA owns and that has at
 * most one child (degree < 2) and reuses it instead of adding one.
 */
import type { AvFamily, AvNode, AvState, Mm } from './types';

export function emptyAv(): AvState {
  return { nodes: {}, fams: {}, nextId: 1, objects: 0, sharedKb: 0 };
}

function node(av: AvState, id: number): AvNode {
  const n = av.nodes[id];
  if (!n) throw new Error(`anon_vma node ${id} missing`);
  return n;
}

function family(av: AvState, id: number): AvFamily {
  const f = av.fams[id];
  if (!f) throw new Error(`anon_vma family ${id} missing`);
  return f;
}

export function chainDepth(av: AvState, chain: readonly number[]): number {
  let d = 0;
  for (const id of chain) d += node(av, id).levels;
  return d;
}

/** A fresh image (exec): a new family whose root level the process owns. */
export function avExec(av: AvState, vmas: number, sharedKb: number): Pick<Mm, 'fam' | 'anonVmas' | 'own' | 'chain' | 'depth'> {
  const fam: AvFamily = { id: av.nextId++, vmas, sharedKb, members: 1 };
  av.fams[fam.id] = fam;
  const root: AvNode = { id: av.nextId++, fam: fam.id, parent: -1, levels: 1, own: 1, kids: 0, links: 1 };
  av.nodes[root.id] = root;
  av.objects += vmas;
  av.sharedKb += sharedKb;
  return { fam: fam.id, anonVmas: vmas, own: root.id, chain: [root.id], depth: 1 };
}

/** anon_vma_fork() for every anonymous VMA of the parent. */
export function avFork(av: AvState, parent: Mm, reuse: boolean): Pick<Mm, 'fam' | 'anonVmas' | 'own' | 'chain' | 'depth'> {
  const chain = parent.chain.slice();
  for (const id of chain) node(av, id).links++;
  family(av, parent.fam).members++;
  if (reuse) {
    for (const id of chain) {
      const n = node(av, id);
      if (id !== parent.own && n.own + n.kids < 2) {
        n.own++;
        return { fam: parent.fam, anonVmas: parent.anonVmas, own: id, chain, depth: parent.depth };
      }
    }
  }
  const fresh: AvNode = { id: av.nextId++, fam: parent.fam, parent: parent.own, levels: 1, own: 1, kids: 0, links: 1 };
  av.nodes[fresh.id] = fresh;
  node(av, parent.own).kids++;
  chain.push(fresh.id);
  av.objects += parent.anonVmas;
  return { fam: parent.fam, anonVmas: parent.anonVmas, own: fresh.id, chain, depth: parent.depth + 1 };
}

/**
 * unlink_anon_vmas() at exit or exec. Returns ids of nodes that now qualify for folding
 * (no owner, a single child), which the caller folds once it can fix up every chain.
 */
export function avRelease(av: AvState, mm: Mm): number[] {
  node(av, mm.own).own--;
  for (let ix = 0, xs = mm.chain; ix < xs.length; ix++) {
    const id = xs[ix]!;
    node(av, id).links--;
  }
  const touched: number[] = [];
  // leaf first: a child is freed before its parent is looked at
  for (let i = mm.chain.length - 1; i >= 0; i--) {
    const id = mm.chain[i]!;
    const n = av.nodes[id];
    if (!n) continue;
    if (n.links === 0) {
      if (n.parent >= 0 && av.nodes[n.parent]) {
        av.nodes[n.parent]!.kids--;
        touched.push(n.parent);
      }
      av.objects -= n.levels * mm.anonVmas;
      delete av.nodes[id];
    } else {
      touched.push(id);
    }
  }
  const fam = family(av, mm.fam);
  fam.members--;
  if (fam.members === 0) {
    av.sharedKb -= fam.sharedKb;
    delete av.fams[mm.fam];
  }
  return touched.filter((id) => {
    const n = av.nodes[id];
    return !!n && n.own === 0 && n.kids === 1;
  });
}

/** The single live child of a node, found by scanning its family. */
function onlyChild(av: AvState, parentId: number): AvNode | undefined {
  for (const key in av.nodes) {
    const n = av.nodes[key]!;
    if (n.parent === parentId) return n;
  }
  return undefined;
}

/**
 * Folds a dead level into its only child. Only valid without the fix, where chains are root paths:
 * everyone chained to the dead node is chained to its child too. Returns the child's id so the
 * caller can drop the folded id from every chain.
 */
export function avFold(av: AvState, id: number): { folded: number; into: number } | null {
  const n = av.nodes[id];
  if (!n || n.own !== 0 || n.kids !== 1) return null;
  const c = onlyChild(av, id);
  if (!c || c.links !== n.links) return null;
  c.levels += n.levels;
  c.parent = n.parent;
  delete av.nodes[id];
  return { folded: id, into: c.id };
}

/** anon_vma objects alive: every level of every node, once per anonymous VMA of its family. */
export function anonVmaObjects(av: AvState): number {
  return av.objects;
}

/** The same count the slow way, to check the running total against. */
export function countAnonVmaObjects(av: AvState): number {
  let total = 0;
  for (const key in av.nodes) {
    const n = av.nodes[key]!;
    total += n.levels * family(av, n.fam).vmas;
  }
  return total;
}

/** Adds levels to a node (bulk reloads), keeping the running count right. */
export function addLevels(av: AvState, id: number, levels: number): void {
  const n = node(av, id);
  n.levels += levels;
  av.objects += levels * family(av, n.fam).vmas;
}
