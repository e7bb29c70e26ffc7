import type { RngStreams } from '../../rng';
import type { MachineWorld } from '../world';
import type { Filesystem } from '../disk';

/**
 * Something the player did to the machine that a chapter may care about (a wrong fix tried, a
 * restart about to happen). The machine reports it; the chapter decides what it means.
 */
export type PlayerAction =
  | { kind: 'sysctl-set'; key: string; value: number }
  | { kind: 'oom-score-adj'; pid: number; comm: string; value: number }
  | { kind: 'swap-on'; path: string }
  | { kind: 'memory-resized'; kb: number }
  /** a reboot is about to take the machine down, and then it did */
  | { kind: 'going-down' }
  | { kind: 'went-down' }
  /** a signal is about to be sent */
  | { kind: 'signal'; pid: number; sig: number; user: string }
  /** `service NAME ACTION`: before it runs, and after with its exit status */
  | { kind: 'service'; name: string; action: string; user: string; phase: 'before' }
  | { kind: 'service'; name: string; action: string; user: string; phase: 'after'; code: number };

/** What the machine's spells need from the game: the world, its random stream, time, and an ear. */
export interface MachineContext {
  world(): MachineWorld;
  /** the game's random streams: a spell draws from the one of the subsystem it drives */
  streams: RngStreams;
  /** let virtual time pass while a spell works (dig timing out, apt downloading) */
  advance(ms: number): void;
  /** /etc/passwd as name → uid */
  users(): Record<string, number>;
  /** the player did something the chapter may want to know about */
  notify(action: PlayerAction): void;
  /** the filesystems as df shows them, the stored files measured by the machine's own meter */
  filesystems(): Filesystem[];
}
