import type { ChapterProgress } from '../../../chapter';
import type { Rng } from '../../../rng';
import type { Ch1World } from '../sim/index';

/** What chapter 1's spells need from the game: the world, the RNG, and the player's progress. */
export interface Ch1Context {
  world(): Ch1World;
  rng: Rng;
  progress: ChapterProgress;
  /** let virtual time pass while a spell works (dig timing out, apt downloading) */
  advance(ms: number): void;
  /** /etc/passwd as name → uid */
  users(): Record<string, number>;
  /** a wrong fix was tried: the story reacts once per kind */
  wrongFix(kind: 'drop_caches' | 'oom_score_adj' | 'swap' | 'memory' | 'restart_once'): void;
  /** the player forced n reloads by hand */
  manualReloads(n: number): void;
  /** the player is about to restart NSD or the machine */
  beforeRestart(): void;
  /** the machine went down under the player: their session ends */
  machineWentDown(): void;
}
