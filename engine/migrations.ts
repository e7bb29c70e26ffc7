/**
 * Saved games of older engine versions, brought to this one, one version at a time. Front ends
 * hand these to the save store, which applies them before it restores a game.
 */
import type { SavedGame } from './api';
import { loadChapter } from './chapters/registry';
import type { Json } from './types';

type Obj = { [key: string]: Json };

/** engine 1 → 2: named random streams instead of one, no `debriefed`, and the chapter's world reshaped */
function v1to2(saved: SavedGame): SavedGame {
  const state = JSON.parse(JSON.stringify(saved.state)) as Obj;
  // the old single stream has no place among the named ones: they start from the seed again
  delete state.rng;
  delete state.debriefed;
  state.streams = {};
  const chapter = loadChapter(saved.chapter);
  if (!chapter.migrateWorld) throw new RangeError(`chapter ${saved.chapter} cannot read games saved by engine version 1`);
  state.world = chapter.migrateWorld(state.world as Json, 1, state);
  return { ...saved, engineVersion: 2, state };
}

/**
 * engine 2 → 3: the root filesystem's use is derived (machine/disk.ts), not kept as a running
 * total. What the total held besides the system's own files were the swap files made since; their
 * sizes are in the kernel's list of swap devices, so the system's part is what is left.
 */
function v2to3(saved: SavedGame): SavedGame {
  const state = JSON.parse(JSON.stringify(saved.state)) as Obj;
  const world = state.world as Obj | undefined;
  const machine = world?.machine as Obj | undefined;
  if (machine && typeof machine.diskUsedKb === 'number') {
    const swaps = ((world!.k as Obj | undefined)?.mem as Obj | undefined)?.swaps;
    const swapKb = Array.isArray(swaps) ? swaps.reduce<number>((n, d) => n + (typeof (d as Obj)?.sizeKb === 'number' ? ((d as Obj).sizeKb as number) : 0), 0) : 0;
    machine.diskSystemKb = Math.max(0, machine.diskUsedKb - swapKb);
    delete machine.diskUsedKb;
  }
  return { ...saved, engineVersion: 3, state };
}

/**
 * engine 3 → 4: a save keeps the world's log store by column (kernel/logpack.ts, by way of the
 * chapter's packWorld); the live store is the same as before.
 */
function v3to4(saved: SavedGame): SavedGame {
  const state = JSON.parse(JSON.stringify(saved.state)) as Obj;
  const chapter = loadChapter(saved.chapter);
  if (chapter.packWorld && state.world !== undefined) state.world = chapter.packWorld(state.world, (state.streams ?? {}) as Obj);
  return { ...saved, engineVersion: 4, state };
}

/**
 * engine 4 → 5: chapter 3 saves its cloud's blocks by reference, each distinct block once
 * (machine/ebs/savedBlocks.ts); its unpacker still reads blocks kept in place, so the world is
 * unpacked and packed again. Other chapters' worlds are as they were.
 */
function v4to5(saved: SavedGame): SavedGame {
  const state = JSON.parse(JSON.stringify(saved.state)) as Obj;
  const chapter = loadChapter(saved.chapter);
  if (saved.chapter === '3' && chapter.packWorld && chapter.unpackWorld && state.world !== undefined) {
    const streams = (state.streams ?? {}) as Obj;
    state.world = chapter.packWorld(chapter.unpackWorld(state.world, streams), streams);
  }
  return { ...saved, engineVersion: 5, state };
}

/** keyed by the engine version they convert from */
export const ENGINE_MIGRATIONS: Readonly<Record<number, (saved: SavedGame) => SavedGame>> = {
  1: v1to2,
  2: v2to3,
  3: v3to4,
  4: v4to5,
};
