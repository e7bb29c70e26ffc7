import { blocksToPlainText } from '../../../../src/text/plain';
import { createGame, restoreGame, type GameHandle } from '../../../../engine/index';

/** Plays lines through the engine's public handle and returns what the player saw per line. */
export function play(game: GameHandle, lines: readonly string[]): string[] {
  return lines.map((l) => blocksToPlainText(game.step(l)));
}

export function newGame(seed: number): GameHandle {
  const g = createGame('1', seed);
  g.start();
  return g;
}

export function roundTrip(game: GameHandle): GameHandle {
  return restoreGame(JSON.parse(JSON.stringify(game.snapshot())));
}

/** SUnreclaim in kB as /proc/meminfo shows it. */
export function sunreclaimKb(game: GameHandle): number {
  const out = blocksToPlainText(game.step('grep SUnreclaim /proc/meminfo'));
  const m = /SUnreclaim:\s+(\d+) kB/.exec(out);
  if (!m) throw new Error(`no SUnreclaim in: ${out}`);
  return Number(m[1]);
}

export const FIND_CULPRIT = ['sudo slabtop -o'];
