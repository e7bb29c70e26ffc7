/**
 * Python's difflib.get_close_matches (n=3, cutoff=0.8), which aws-cli's argument parser uses to
 * suggest a sub-command for a mistyped one: SequenceMatcher's ratio (2·matches / total length,
 * matches found as difflib finds them: the longest common block, then the same on each side).
 * Without junk: the autojunk heuristic only applies to sequences of 200 or more.
 */

function longestMatch(a: string, b: string, alo: number, ahi: number, blo: number, bhi: number): [number, number, number] {
  let best: [number, number, number] = [alo, blo, 0];
  let j2len = new Map<number, number>();
  for (let i = alo; i < ahi; i++) {
    const next = new Map<number, number>();
    for (let j = blo; j < bhi; j++) {
      if (b[j] !== a[i]) continue;
      const k = (j2len.get(j - 1) ?? 0) + 1;
      next.set(j, k);
      if (k > best[2]) best = [i - k + 1, j - k + 1, k];
    }
    j2len = next;
  }
  return best;
}

function matches(a: string, b: string): number {
  let total = 0;
  const queue: Array<[number, number, number, number]> = [[0, a.length, 0, b.length]];
  while (queue.length) {
    const [alo, ahi, blo, bhi] = queue.pop()!;
    const [i, j, k] = longestMatch(a, b, alo, ahi, blo, bhi);
    if (!k) continue;
    total += k;
    if (alo < i && blo < j) queue.push([alo, i, blo, j]);
    if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi]);
  }
  return total;
}

export function ratio(a: string, b: string): number {
  const len = a.length + b.length;
  return len ? (2 * matches(a, b)) / len : 1;
}

export function getCloseMatches(word: string, possibilities: readonly string[], n = 3, cutoff = 0.8): string[] {
  const scored: Array<[number, string]> = [];
  for (const x of possibilities) {
    const r = ratio(x, word);
    if (r >= cutoff) scored.push([r, x]);
  }
  // heapq.nlargest on (score, word) tuples: the best score first, ties by the word, larger first
  scored.sort((p, q) => q[0] - p[0] || (q[1] > p[1] ? 1 : q[1] < p[1] ? -1 : 0));
  return scored.slice(0, n).map(([, x]) => x);
}
