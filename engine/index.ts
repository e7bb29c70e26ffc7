/** The engine's public face: create, restore, list. Front ends import from here only. */
export type { ChapterInfo, Completion, GameHandle, GameInspection, GameResult, MachineFile, SavedGame, StepOptions } from './api';
export type { Chart, Json, ObjectiveStatus, ObjectiveView, OutputBlock } from './types';
export { listChapters, findChapter } from './chapters/registry';
/** authoring tools (`grimoire check-chapter`) play a chapter loaded from its folder */
export { registerChapter } from './chapters/registry';
export type { ChapterModule } from './chapter';
export { ENGINE_VERSION } from './version';
export { ENGINE_MIGRATIONS } from './migrations';
import type { GameHandle, SavedGame } from './api';

/** the game, its shell and its story runner load when a game starts, not when a front end lists chapters */
function game(): typeof import('./game') {
  return require('./game') as typeof import('./game');
}

export function createGame(chapter: string, seed: number): GameHandle {
  return game().Game.create(chapter, seed);
}

export function restoreGame(saved: SavedGame): GameHandle {
  return game().Game.restore(saved);
}

/**
 * Throws a RangeError saying why when a saved game's state is not one this engine can restore
 * (the same check restoreGame makes, without building the game). Cheap: save lists run it.
 */
export function validateSavedGame(saved: SavedGame): void {
  (require('./stateSchema') as typeof import('./stateSchema')).validateSavedGame(saved);
}
