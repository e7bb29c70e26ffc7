import { createGame } from '../../../../engine/index';
import { blocksToPlainText } from '../../../../src/text/plain';

/** df's Used column of the filesystem holding the home directory, in 1K blocks */
function usedKb(out: string): number {
  const line = out.split('\n').find((l) => /\s\/$/.test(l));
  if (!line) throw new Error(`no / in: ${out}`);
  return Number(line.trim().split(/\s+/)[2]);
}

describe('files on a chapter\'s box', () => {
  test('a removed file gives its blocks back to df; a moved one keeps them', () => {
    const g = createGame('1', 7);
    g.start();
    const step = (l: string) => blocksToPlainText(g.step(l));
    const before = usedKb(step('df /'));
    step('seq 1 300000 > big.txt');
    const written = usedKb(step('df /'));
    expect(written - before).toBeGreaterThanOrEqual(1900);
    step('mkdir keep; mv big.txt keep/');
    expect(usedKb(step('df /'))).toBe(written);
    expect(step('ls keep')).toContain('big.txt');
    step('cp keep/big.txt copy.txt');
    expect(usedKb(step('df /')) - written).toBeGreaterThanOrEqual(1900);
    step('rm -r keep copy.txt');
    expect(usedKb(step('df /'))).toBe(before);
    expect(step('ls')).not.toContain('big.txt');
  });
});
