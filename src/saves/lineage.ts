/**
 * Whether a new save carries on the game an older save holds, so that replacing the older one
 * loses nothing. A game is its chapter, seed and versions plus the lines typed into it (same seed
 * and same lines give the same world), so the new save continues the old one when it is the same
 * world and the old one's lines are where the new one's begin.
 *
 * When it does not (a new game, an import, an older save loaded and played differently), the
 * store moves the old save to a slot of its own before writing (fsStore.ts).
 */
import type { SaveData } from './envelope';

/** Below this the engine keeps every line; at or above it, it may drop the oldest as new ones come. */
const TRIMMED_HISTORY_MIN = 100;

export function continuesGame(older: SaveData, newer: SaveData): boolean {
  const a = older.payload;
  const b = newer.payload;
  if (a.chapter !== b.chapter || a.seed !== b.seed || a.engineVersion !== b.engineVersion || a.storyVersion !== b.storyVersion) return false;
  return historyContinues(older.history, newer.history);
}

/**
 * `newer` begins with all of `older`; or both are a long history of the same length (the engine
 * keeps only the last N lines) and `newer` is `older` with its first lines dropped and as many new
 * ones added, overlapping by at least half.
 */
function historyContinues(older: readonly string[], newer: readonly string[]): boolean {
  if (older.length <= newer.length && older.every((line, i) => newer[i] === line)) return true;
  const n = older.length;
  if (n !== newer.length || n < TRIMMED_HISTORY_MIN) return false;
  for (let dropped = 1; dropped <= n / 2; dropped++) {
    let same = true;
    for (let i = dropped; i < n && same; i++) same = older[i] === newer[i - dropped];
    if (same) return true;
  }
  return false;
}
