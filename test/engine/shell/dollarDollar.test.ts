import { blocksToPlainText } from '../../../src/text/plain';
import { newGame } from '../chapters/ch1/walkthrough.helpers';

/** $$ is the player's own login bash, the process ps shows on their terminal, and it follows a new login. */
describe('$$', () => {
  const out = (g: ReturnType<typeof newGame>, line: string) =>
    g
      .step(line)
      .filter((b) => b.kind === 'spell-output')
      .map((b) => blocksToPlainText([b]))
      .join('');

  it('names the login shell, before and after the machine reboots', () => {
    const g = newGame(5);
    const bashOnTty = () => out(g, 'ps -o pid=,comm= -t pts/0').split('\n').filter((l) => / bash$/.test(l)).map((l) => l.trim().split(/ +/)[0]);
    // the machine forks all the time: the newest process is not the player's shell
    g.step('sleep 10m');
    const first = out(g, 'echo $$').trim();
    expect(bashOnTty()).toEqual([first]);
    g.step('sudo reboot');
    g.step('sleep 10m');
    const second = out(g, 'echo $$').trim();
    expect(second).not.toBe(first);
    expect(bashOnTty()).toEqual([second]);
  });
});
