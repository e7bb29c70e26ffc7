import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readScript } from '../../../src/authoring/runner';

it('reads a script as script mode types it, without blank lines and # comments', () => {
  const dir = mkdtempSync(join(tmpdir(), 'script-'));
  const file = join(dir, 'walkthrough.txt');
  writeFileSync(file, '# look first\ntail -n 3 /var/log/syslog\r\n\n   # indented comment\nsleep 16m  # a trailing comment is the shell\'s\n');
  expect(readScript(file)).toEqual(['tail -n 3 /var/log/syslog', "sleep 16m  # a trailing comment is the shell's"]);
  rmSync(dir, { recursive: true, force: true });
});
