/** The engine's public face: create, restore, list. Front ends import from here only. */
export type { ChapterInfo, Completion, GameHandle, GameResult, SavedGame } from './api';
export type { Json, ObjectiveStatus, ObjectiveView, OutputBlock } from './types';
export { listChapters, findChapter } from './chapters/registry';
export { ENGINE_VERSION } from './game';
export { ENGINE_MIGRATIONS } from './migrations';
import type { GameHandle, SavedGame } from './api';
import { Game } from './game';

export function createGame(chapter: string, seed: number): GameHandle {
  return Game.create(chapter, seed);
}

export function restoreGame(saved: SavedGame): GameHandle {
  return Game.restore(saved);
}
