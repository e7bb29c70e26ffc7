/**
 * A game on the test box of test/fixtures/tcp-chapter, whose kernel has the loopback TCP stack:
 * a daemon answers OK on 127.0.0.1:4151 and a client posts to it every 2 s, headers and body in
 * two writes, three requests per connection.
 */
import { registerChapter } from '../../../../engine/chapters/registry';
import type { TcpStack } from '../../../../engine/kernel/tcp';
import { createGame, type GameHandle } from '../../../../engine/index';
import { blocksToPlainText } from '../../../../src/text/plain';
import { tcpChapter } from '../../../fixtures/tcp-chapter';

registerChapter(tcpChapter);

/** what the spell printed, without the game's own lines (a spell learned) */
export const say = (g: GameHandle, line: string): string => blocksToPlainText(g.step(line).filter((b) => b.kind === 'spell-output' || b.kind === 'error'));
/** the stack as the game's state holds it */
export const stackOf = (g: GameHandle): TcpStack => (g.snapshot().state as { world: { k: { subsys: { tcp: TcpStack } } } }).world.k.subsys.tcp;
export const game = (seed = 5): GameHandle => {
  const g = createGame('tcp-test', seed);
  g.start();
  return g;
};
