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

/** Ubuntu's kernel PPA build of Linux 3.19, the first release with the anon_vma fix, as of February 2015 */
export const MAINLINE_3_19 = 'http://kernel.ubuntu.com/~kernel-ppa/mainline/v3.19-vivid/';
const MAINLINE_FILES = [
  'linux-headers-3.19.0-031900_3.19.0-031900.201502091451_all.deb',
  'linux-headers-3.19.0-031900-generic_3.19.0-031900.201502091451_amd64.deb',
  'linux-image-3.19.0-031900-generic_3.19.0-031900.201502091451_amd64.deb',
];

/** what an engineer did in March 2015 to get a kernel with the fix: fetch the mainline build, install it */
export const INSTALL_FIXED_KERNEL = [`wget ${MAINLINE_FILES.map((f) => MAINLINE_3_19 + f).join(' ')}`, 'sudo dpkg -i *.deb'];
