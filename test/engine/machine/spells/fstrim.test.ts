/**
 * /etc/cron.weekly/fstrim (`exec fstrim-all`) on the running machine: fstrim-all exists, passes
 * over the Xen virtual disk (no Intel or Samsung identity) and says nothing, so the weekly line
 * ends as quietly as on an EC2 instance.
 */
import { newGame, play } from '../../chapters/ch1/walkthrough.helpers';

const story = (s: string): string => s.replace(/\n?(?:✦|Kwame:|The page|Somewhere|The book)[^\n]*/g, '');

describe('fstrim-all and the weekly cron', () => {
  it("runs /etc/crontab's weekly line as cron's sh does: exec fstrim-all, no output, status 0", () => {
    const g = newGame(3);
    const [weekly, which] = play(g, [
      "sudo sh -c 'test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.weekly )'; echo \"status $?\"",
      'which fstrim-all',
    ]);
    expect(story(weekly!)).toBe('status 0');
    expect(story(which!)).toBe('/sbin/fstrim-all');
  });

  it('says in one line that trimming is not simulated when the model check is skipped', () => {
    const g = newGame(3);
    const [forced] = play(g, ['sudo fstrim-all --no-model-check; echo "status $?"']);
    expect(story(forced!)).toBe('fstrim-all: trimming / is not simulated in this world\nstatus 1');
  });
});
