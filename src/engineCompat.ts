import { ENGINE_MIGRATIONS, ENGINE_VERSION, restoreGame, validateSavedGame } from '../engine/index';
import type { EngineCompat, SaveData } from './saves/index';
import type { LoggedStep } from './saves/stepLog';

/**
 * Plays a slot's logged spells on its save's game again: the engine is deterministic, so this is
 * the game as it was after the last of them. Each spell must leave the game at the virtual time
 * and spell count the log noted; one that does not (a log written by another engine) ends the
 * replay there, and says so.
 */
function replay(save: SaveData, steps: readonly LoggedStep[]): { save: SaveData; played: number; problem: string | null } {
  if (steps.length === 0) return { save, played: 0, problem: null };
  const game = restoreGame(save.payload);
  let played = 0;
  let problem: string | null = null;
  for (const step of steps) {
    game.step(step.line);
    const r = game.result();
    if (r.virtualTime !== step.meta.virtualTime || r.spells !== step.meta.spells) {
      problem = `spell ${played + 1} of the log (${JSON.stringify(step.line.slice(0, 60))}) did not play again as it was logged; the game stops before it`;
      break;
    }
    played++;
  }
  if (problem !== null) {
    // the game as the spells before that one left it: played once more from the save, never half a step
    const again = replay(save, steps.slice(0, played));
    return { ...again, problem };
  }
  const last = steps[steps.length - 1]!;
  return { save: { ...save, savedAt: last.savedAt, meta: last.meta, history: [...game.history()], payload: game.snapshot() }, played, problem: null };
}

/**
 * What this engine loads: its version, its migrations, and the check of a game's state (a save
 * that fails it is not loaded), and how a slot's logged spells are played again. On its own, so a
 * save store can be opened (the title screen's list) without loading the play session.
 */
export const ENGINE_COMPAT: EngineCompat = { version: ENGINE_VERSION, migrations: ENGINE_MIGRATIONS, validate: validateSavedGame, replay };
