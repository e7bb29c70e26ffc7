import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { checksumOf } from '../../../src/saves/canonical';
import { exportSave, importSave } from '../../../src/saves/exportFile';
import { FsSaveStore } from '../../../src/saves/fsStore';
import { cleanupTempDirs, sample, sampleData, tempDir } from './helpers';

afterAll(cleanupTempDirs);

const show = (p: string): string => `exports/${path.basename(p)}`;

describe('export / import', () => {
  it('round-trips a save through an export file into another store', async () => {
    const root = tempDir();
    const a = new FsSaveStore({ dir: path.join(root, 'a') });
    const b = new FsSaveStore({ dir: path.join(root, 'b') });
    await a.write('mine', sample.makeSave('A', 4));
    const r = await a.read('mine');
    if (r.status !== 'ok') throw new Error(r.status);
    const file = path.join(root, 'run.grimoire.json');
    await exportSave(r.save, file);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ format: 'grimoire-export', formatVersion: 2, slot: 'mine' });
    expect(readdirSync(root).sort()).toEqual(['a', 'run.grimoire.json']); // no temp file left behind

    const imported = await importSave(file);
    if (!imported.ok) throw new Error(imported.message);
    expect(imported.save).toEqual(sampleData('mine', 'A', 4));
    await b.write('theirs', imported.save);
    const back = await b.read('theirs');
    expect(back.status === 'ok' && back.save).toEqual({ ...sampleData('mine', 'A', 4), slot: 'theirs' });
  });

  it('accepts a copied slot file too', async () => {
    const root = tempDir();
    const store = new FsSaveStore({ dir: root });
    await store.write('slot1', sample.makeSave('A', 1));
    const r = await importSave(path.join(root, 'slot1.json'));
    expect(r.ok).toBe(true);
  });

  it('overwrites an existing export atomically', async () => {
    const root = tempDir();
    const file = path.join(root, 'x.json');
    await exportSave(sampleData('s', 'A', 1), file);
    await exportSave(sampleData('s', 'A', 2), file);
    const r = await importSave(file);
    expect(r.ok && r.save.payload.state).toMatchObject({ version: 2 });
  });

  const bad: [string, string, (good: string) => string][] = [
    ['truncated', 'truncated', (g) => g.slice(0, g.length / 2)],
    ['edited', 'checksum', (g) => g.replace('"seed": 4242', '"seed": 4243')],
    ['empty', 'empty', () => ''],
    ['not JSON', 'foreign', () => 'PK\u0003\u0004 a zip file'],
    ['foreign', 'foreign', () => '{"name": "x", "version": "1.0.0", "dependencies": {}}'],
    [
      'newer',
      'too-new',
      (g) => {
        const env: Record<string, unknown> = { ...(JSON.parse(g) as Record<string, unknown>), formatVersion: 3 };
        const { checksum: _c, ...body } = env;
        return JSON.stringify({ ...body, checksum: checksumOf(body) });
      },
    ],
    ['bare engine snapshot', 'foreign', (g) => JSON.stringify((JSON.parse(g) as { payload: unknown }).payload)],
  ];
  it.each(bad)('a %s file is refused with a clear message', async (_label, reason, corrupt) => {
    const root = tempDir();
    const file = path.join(root, 'in.json');
    await exportSave(sampleData('s', 'A', 1), file);
    writeFileSync(file, corrupt(readFileSync(file, 'utf8')));
    const r = await importSave(file, { displayPath: show });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe(reason);
      expect(r.message).toContain('exports/in.json');
      expect(r.message).toMatch(/Nothing was imported\.$/);
    }
  });

  it('a missing file, a folder and an oversized file are refused', async () => {
    const root = tempDir();
    expect(await importSave(path.join(root, 'nope.json'), { displayPath: show })).toEqual({
      ok: false,
      reason: 'missing',
      message: 'exports/nope.json does not exist.',
    });
    mkdirSync(path.join(root, 'dir.json'));
    expect(await importSave(path.join(root, 'dir.json'))).toMatchObject({ ok: false, reason: 'unreadable' });
    const big = path.join(root, 'big.json');
    writeFileSync(big, ' '.repeat(2048));
    expect(await importSave(big, { maxBytes: 1024 })).toMatchObject({ ok: false, reason: 'unreadable' });
  });
});
