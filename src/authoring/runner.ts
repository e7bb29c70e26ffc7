import { readFileSync } from 'node:fs';
import { createGame, restoreGame, type GameHandle, type OutputBlock, type SavedGame } from '../../engine/index';
import { blocksToPlainText } from '../text/plain';

/** The lines of a script as script mode would type them, without blank lines and # comments. */
export function readScript(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
}

/** One line's answer: the typed blocks and the text a player sees. */
export interface Step {
  line: string;
  blocks: OutputBlock[];
  text: string;
}

export function newGame(id: string, seed: number): { game: GameHandle; opening: OutputBlock[] } {
  const game = createGame(id, seed);
  return { game, opening: game.start() };
}

export function stepAll(game: GameHandle, lines: readonly string[]): Step[] {
  return lines.map((line) => {
    const blocks = game.step(line);
    return { line, blocks, text: blocksToPlainText(blocks) };
  });
}

/** A saved game through JSON and back, as a save file carries it. */
export function roundTrip(game: GameHandle): GameHandle {
  return restoreGame(JSON.parse(JSON.stringify(game.snapshot())) as SavedGame);
}

/** a thrown error's first line, for a checklist */
export function why(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}
