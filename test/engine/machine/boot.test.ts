import { createGame, type GameHandle, type OutputBlock } from '../../../engine/index';

/** What boot reads from files the player may have written: /etc/fstab's swap lines. */
const text = (blocks: OutputBlock[], kind?: OutputBlock['kind']): string =>
  blocks
    .filter((b) => kind === undefined || b.kind === kind)
    .map((b) => ('text' in b ? b.text : ''))
    .join('');

function withSwapFile(): GameHandle {
  const g = createGame('1', 31);
  g.start();
  for (const line of ['sudo fallocate -l 1G /swapfile', 'sudo chmod 600 /swapfile', 'sudo mkswap /swapfile']) {
    expect(text(g.step(line), 'error')).toBe('');
  }
  return g;
}

describe('swap files in /etc/fstab at boot', () => {
  test('a swap line brings the swap file back after a reboot; a comment does not', () => {
    const g = withSwapFile();
    g.step("echo '#/swapfile none swap sw 0 0' | sudo tee -a /etc/fstab");
    g.step('sudo reboot');
    expect(text(g.step('cat /proc/swaps'), 'spell-output')).toBe('Filename\t\t\t\tType\t\tSize\tUsed\tPriority\n');
    g.step("printf '  /swapfile\\tnone  swap  sw  0  0\\n' | sudo tee -a /etc/fstab");
    g.step('sudo reboot');
    expect(text(g.step('cat /proc/swaps'), 'spell-output')).toMatch(/^Filename.*\n\/swapfile\s+file\s+1048572\s/);
  });

  test('a long fstab of the player\'s does not stall the boot', () => {
    const g = withSwapFile();
    // 150000 empty lines: a regex with ^\s* in multi-line mode took quadratic time over them (25 s)
    g.step('seq 150000 | tr -d 0-9 | sudo tee -a /etc/fstab > /dev/null');
    g.step("printf '/swapfile %060000d %60000s\\n' 0 x | sudo tee -a /etc/fstab > /dev/null");
    const t0 = Date.now();
    g.step('sudo reboot');
    g.step('uptime');
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});
