/**
 * /proc/self: a link to the reading process's directory. Commands have no pids of their own here,
 * so it names the login shell, as $$ does; walks of the whole tree pass it as a link.
 */
import { newGame, play } from '../chapters/ch1/walkthrough.helpers';

const story = (s: string): string => s.replace(/\n?(?:✦|Kwame:|The page|Somewhere|The book)[^\n]*/g, '');

describe('/proc/self', () => {
  it('is a link to the shell $$ names, and reads through it as that process', () => {
    const g = newGame(7);
    const [pid, ls, link, status] = play(g, ['echo $$', 'ls -l /proc/self', 'readlink /proc/self', 'grep -E "^(Name|Pid):" /proc/self/status']).map(story);
    expect(pid).toMatch(/^\d+$/);
    expect(ls).toMatch(new RegExp(`^lrwxrwxrwx 1 root root 0 .* /proc/self -> ${pid}$`));
    expect(link).toBe(pid);
    expect(status).toBe(`Name:\tbash\nPid:\t${pid}`);
  });

  it('lets find and ls -R walk the whole box without a complaint', () => {
    const g = newGame(7);
    const [find, ls] = play(g, ['sudo find / -type f -exec true {} + ; echo "find $?"', 'sudo ls -R / > /dev/null; echo "ls $?"']).map(story);
    expect(find).toBe('find 0');
    expect(ls).toBe('ls 0');
  });
});
