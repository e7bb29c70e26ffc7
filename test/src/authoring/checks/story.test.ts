import { commandsNamed, externalsOf, knotsOf } from '../../../../src/authoring/checks/story';

// the build's own ink compiler, as a library
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { compileInk } = require('../../../../scripts/compile-ink.js') as { compileInk(f: string): { json: string | null; messages: string[] } };

describe('what check-chapter reads out of a story', () => {
  it('finds the commands in backticks: each pipeline stage, after sudo and its options, never in comments', () => {
    const ink = [
      '// `rm -rf /` is only a comment',
      'Look: `tail -n 3 /var/log/syslog \\| grep CRON` and `sudo -u root service cron status`.',
      '- 2: `ps aux; free -m && LANG=C df -h` then `curl -s http:\\/\\/127.0.0.1\\/`',
      'Nothing here: `` is empty.',
    ].join('\n');
    expect([...commandsNamed(ink)].sort()).toEqual(['curl', 'df', 'free', 'grep', 'ps', 'service', 'tail']);
  });

  it('lists a compiled story\'s knots and the externals it calls', () => {
    const dir = require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'ink-'));
    const file = require('node:path').join(dir, 'tiny.ink');
    require('node:fs').writeFileSync(file, 'EXTERNAL host()\nEXTERNAL unused()\n-> DONE\n=== briefing ===\nOn {host()}.\n-> DONE\n=== hints ===\nNone.\n-> DONE\n');
    const r = compileInk(file);
    expect(r.messages).toEqual([]);
    expect([...knotsOf(r.json!)].sort()).toEqual(['briefing', 'hints']);
    // declared but never called: ink's JSON only holds calls
    expect([...externalsOf(r.json!)]).toEqual(['host']);
    require('node:fs').rmSync(dir, { recursive: true, force: true });
  });
});
