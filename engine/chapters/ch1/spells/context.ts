import type { ChapterProgress } from '../../../chapter';
import type { MachineContext } from '../../../machine/spells/context';
import type { Ch1World } from '../sim/index';

/** What chapter 1's spells need from the game: the machine's context, its world, and the player's progress. */
export interface Ch1Context extends MachineContext {
  world(): Ch1World;
  progress: ChapterProgress;
  /** the player forced n reloads by hand */
  manualReloads(n: number): void;
  /** the player is about to restart NSD or the machine */
  beforeRestart(): void;
}
