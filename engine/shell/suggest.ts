/** Optimal string alignment distance: edits, with a swap of neighbours counted as one. */
function editDistance(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d.push([i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The known names closest to a typo, within a small edit distance; at most three. */
export function closeMatches(typed: string, known: readonly string[]): string[] {
  if (typed.length === 0 || typed.length > 64) return [];
  const limit = typed.length <= 4 ? 1 : 2;
  const near = [...new Set(known)]
    .filter((k) => k !== typed)
    .map((k) => ({ k, d: editDistance(typed, k) }))
    .filter((x) => x.d <= limit);
  // only the closest ones: a one-letter slip should not drag in every two-letter neighbour
  const best = Math.min(...near.map((x) => x.d));
  return near
    .filter((x) => x.d === best)
    .sort((x, y) => (x.k < y.k ? -1 : 1))
    .slice(0, 3)
    .map((x) => x.k);
}

/** The game's own hint after `command not found`. */
export function suggestionLine(matches: readonly string[]): string {
  if (matches.length === 0) return '';
  return matches.length === 1 ? `Did you mean: ${matches[0]}\n` : `Did you mean one of: ${matches.join(', ')}\n`;
}
