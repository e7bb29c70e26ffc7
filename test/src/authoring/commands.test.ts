import { grimoire } from '../cli.helpers';

/** The authoring commands as a team runs them: the built CLI (dist), on the repository's chapters. */
describe('grimoire new-chapter / check-chapter (built)', () => {
  it('lists a chapter that is not the book\'s after the book\'s, with the name it is played by', () => {
    const r = grimoire(['chapters']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe("1  it's coming from INSIDE THE KERNEL");
    expect(lines).toContain('101  the export that stopped  (cron-dot)');
    expect(lines.indexOf('101  the export that stopped  (cron-dot)')).toBeGreaterThan(lines.indexOf('2  fiNAGLEing'));
  });

  it('checks the example chapter on the build and exits 0', () => {
    const r = grimoire(['check-chapter', 'cron-dot']);
    expect(r.stderr).toBe('');
    // on the build, the chapter is first checked to be listed, and its code to be as new as its sources
    expect(r.stdout).toMatch(
      /^check-chapter cron-dot\n  \[ok\] grimoire chapters lists it \(as 101\)\n  \[ok\] the chapter is built from its sources as they are now\n  \[ok\] the story compiles with no warnings \(story\/cron-dot.ink\)\n/,
    );
    expect(r.stdout).toMatch(/\nall 12 checks passed\n$/);
    expect(r.status).toBe(0);
  });

  it('plays the example by its name in script mode, solved by its walkthrough', () => {
    const r = grimoire(['play', 'cron-dot', '--script', 'engine/chapters/cron-dot/scripts/walkthrough.txt', '--seed', '5']);
    expect(r.stdout).toContain('ops@reports-1:~$ sudo mv /etc/cron.d/report-export.cron /etc/cron.d/report-export');
    expect(r.status).toBe(0);
  });

  it('exits 2 with a message naming the problem for a chapter that does not exist', () => {
    const r = grimoire(['check-chapter', 'no-such-chapter']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("grimoire: check-chapter: there is no chapter 'no-such-chapter': no folder engine/chapters/no-such-chapter (grimoire new-chapter no-such-chapter makes one).\n");
  });

  it('refuses a bad name, a book\'s name and an existing chapter, writing nothing (exit 2)', () => {
    expect(grimoire(['new-chapter', '../x']).stderr).toMatch(/^grimoire: new-chapter: '\.\.\/x' cannot name a chapter/);
    const book = grimoire(['new-chapter', 'ch9']);
    expect(book.status).toBe(2);
    expect(book.stderr).toBe("grimoire: new-chapter: 'ch9' is reserved for the book's own chapters (ch1, ch2, ...); pick a name of your own.\n");
    const taken = grimoire(['new-chapter', 'cron-dot']);
    expect(taken.status).toBe(2);
    expect(taken.stderr).toBe("grimoire: new-chapter: there is already a chapter 'cron-dot' (see: grimoire chapters).\n");
  });

  it('--help lists both commands', () => {
    const r = grimoire(['--help']);
    expect(r.stdout).toMatch(/grimoire new-chapter NAME/);
    expect(r.stdout).toMatch(/grimoire check-chapter NAME/);
  });
});
