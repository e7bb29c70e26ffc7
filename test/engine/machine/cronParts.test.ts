/**
 * /etc/crontab's run-parts lines on the running machine: the hourly and daily folders run their
 * scripts, and the scripts, whose programs this box lacks, give up quietly.
 */
import { newGame, play } from '../chapters/ch1/walkthrough.helpers';

const story = (s: string): string => s.replace(/\n?(?:✦|Kwame:|The page|Somewhere|The book)[^\n]*/g, '');

describe("cron's run-parts", () => {
  it('lists the scripts cron.daily holds, and the hourly folder holds none', () => {
    const g = newGame(3);
    const [daily, hourly] = play(g, ['run-parts --test /etc/cron.daily', 'run-parts --list /etc/cron.hourly; echo "status $?"']);
    expect(story(daily!)).toBe('/etc/cron.daily/apt\n/etc/cron.daily/logrotate\n/etc/cron.daily/mlocate');
    expect(story(hourly!)).toBe('status 0');
  });

  it("runs /etc/crontab's hourly and daily lines as cron's sh does, without a word of complaint", () => {
    const g = newGame(3);
    const [hourly, daily] = play(g, [
      "sudo sh -c 'cd / && run-parts --report /etc/cron.hourly'; echo \"status $?\"",
      "sudo sh -c 'test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )'; echo \"status $?\"",
    ]);
    expect(story(hourly!)).toBe('status 0');
    expect(story(daily!)).toBe('status 0');
  });
});
