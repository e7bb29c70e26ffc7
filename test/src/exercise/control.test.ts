import * as fs from 'node:fs';
import * as path from 'node:path';
import { appendAction, ControlReader, createControlFile } from '../../../src/exercise/control';
import { FakeClock, tempDir } from './helpers';

describe('the control file', () => {
  test('actions appended by the watcher are read once each, a line still being written waits for its end', () => {
    const file = path.join(tempDir(), 'control.jsonl');
    createControlFile(file);
    const reader = new ControlReader(file);
    expect(reader.poll()).toEqual({ actions: [], problems: [] });
    const clock = new FakeClock();
    const a = appendAction(file, { action: 'pause' }, clock.now);
    expect(a).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), action: 'pause', at: '2026-12-03T14:00:00.000Z' });
    fs.appendFileSync(file, JSON.stringify(a) + '\n');
    fs.appendFileSync(file, '{"id":"b","action":"inj');
    expect(reader.poll()).toEqual({ actions: [a], problems: [] });
    fs.appendFileSync(file, 'ect","injection":"reload-burst","at":"x"}\n');
    expect(reader.poll()).toEqual({ actions: [{ id: 'b', action: 'inject', injection: 'reload-burst', at: 'x' }], problems: [] });
    expect(reader.poll()).toEqual({ actions: [], problems: [] });
  });

  test('the watcher writes only to a run\'s own control file', () => {
    const dir = tempDir();
    const file = path.join(dir, 'control.jsonl');
    fs.writeFileSync(file, 'precious\n');
    expect(() => appendAction(file, { action: 'end' }, new FakeClock().now)).toThrow(`${file} is not this run's control file; nothing was written to it`);
    expect(fs.readFileSync(file, 'utf8')).toBe('precious\n');
    expect(() => createControlFile(file)).toThrow(/EEXIST/);
  });
});
