/**
 * A game on the test box of test/fixtures/block-chapter, whose kernel has the block layer: /data
 * (xvdf) is mounted at boot, xvdg is blank, and blkwriter appends a 6 KiB record to
 * /data/log/app.log every second.
 */
import { registerChapter } from '../../../../engine/chapters/registry';
import type { BlockState } from '../../../../engine/kernel/block';
import { createGame, type GameHandle } from '../../../../engine/index';
import { blocksToPlainText } from '../../../../src/text/plain';
import { blockChapter, type BlockWorld } from '../../../fixtures/block-chapter';

registerChapter(blockChapter);

/** what the spell printed, without the game's own lines */
export const say = (g: GameHandle, line: string): string => blocksToPlainText(g.step(line).filter((b) => b.kind === 'spell-output' || b.kind === 'error'));
export const worldOf = (g: GameHandle): BlockWorld => (g.snapshot().state as unknown as { world: BlockWorld }).world;
export const blockOfGame = (g: GameHandle): BlockState => worldOf(g).k.subsys!.block as unknown as BlockState;
export const game = (seed = 5): GameHandle => {
  const g = createGame('block-test', seed);
  g.start();
  return g;
};
