import { createGame } from '../../../../engine/index';
import { currentFix } from '../../../../engine/chapters/ch3/judge';
import type { Ch3World } from '../../../../engine/chapters/ch3/sim/world';
import { blocksToPlainText } from '../../../../src/text/plain';

/** what the spells printed, without the game's own lines */
const say = (g: ReturnType<typeof createGame>, line: string): string =>
  blocksToPlainText(g.step(line).filter((b) => b.kind === 'spell-output' || b.kind === 'error'));
const worldOf = (g: ReturnType<typeof createGame>): Ch3World => (g.snapshot().state as unknown as { world: Ch3World }).world;

/** db-2's /data/db/journal is a symbolic link to /journal, another volume; the shell shows it and lets a player move it. */
describe('the journal link on chapter 3\'s box', () => {
  it('ls -l /data/db shows journal -> /journal; ls -l of the link itself shows the link', () => {
    const g = createGame('3', 1);
    g.start();
    const listing = say(g, 'ls -l /data/db');
    expect(listing).toMatch(/^lrwxrwxrwx 1 root {4}root {11}8 May 11 \d\d:\d\d journal -> \/journal$/m);
    expect(say(g, 'ls -l /data/db/journal')).toMatch(/^lrwxrwxrwx 1 root root 8 May 11 \d\d:\d\d \/data\/db\/journal -> \/journal$/);
    expect(say(g, 'readlink /data/db/journal')).toBe('/journal');
    expect(say(g, 'ls /data/db/journal/')).toMatch(/^j\._\d+ +lost\+found +lsn$/);
  });

  it('rm of the link, mkdir and chown put the journal on the data volume, and a restart of mongod is the fix the judge sees', () => {
    const g = createGame('3', 1);
    g.start();
    expect(currentFix(worldOf(g))).toBe('none');
    expect(say(g, 'sudo rm /data/db/journal && sudo mkdir /data/db/journal && sudo chown mongodb:nogroup /data/db/journal; echo $?')).toBe('0');
    expect(say(g, 'ls -ld /data/db/journal')).toMatch(/^drwxr-xr-x 2 mongodb nogroup 4096 May 12 \d\d:\d\d \/data\/db\/journal$/);
    // the old journal stays where it was, on its own volume
    expect(say(g, 'ls /journal')).toMatch(/lsn/);
    expect(currentFix(worldOf(g))).toBe('none');
    say(g, 'sudo service mongod restart');
    expect(currentFix(worldOf(g))).toBe('journal_same_volume');
  });
});
