/**
 * A game on the test box of test/fixtures/ebs-chapter: an EC2 instance whose cloud part has two
 * attached EBS volumes, mounted at /data and /journal, and a daemon writing to both every 2 s.
 */
import { registerChapter } from '../../../../engine/chapters/registry';
import { createGame, type GameHandle } from '../../../../engine/index';
import type { ScribeWorld } from '../../../fixtures/ebs-chapter';
import { blocksToPlainText } from '../../../../src/text/plain';
import { ebsChapter } from '../../../fixtures/ebs-chapter';

registerChapter(ebsChapter);

/** what the spell printed (stdout and stderr), without the game's own lines */
export const say = (g: GameHandle, line: string): string => blocksToPlainText(g.step(line).filter((b) => b.kind === 'spell-output' || b.kind === 'error'));
/** the world as the game's state holds it (a copy: changes do not reach the game) */
export const worldOf = (g: GameHandle): ScribeWorld => (g.snapshot().state as { world: ScribeWorld }).world;
export const game = (seed = 7): GameHandle => {
  const g = createGame('ebs-test', seed);
  g.start();
  return g;
};
