/**
 * A save written before slot files were compressed (format 1: one pretty-printed JSON document)
 * still lists and loads, and the next save of that game replaces it with a format 2
 * slot file, keeping the old file byte for byte as the backup. The fixture was written by the
 * code of commit dc7117c itself:
 *   grimoire play 1 --seed 11 --save format1 --saves-dir DIR --script two.txt
 * with two.txt holding `free -m` and `uname -r`, then gzipped.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { FsSaveStore } from '../../../src/saves/fsStore';
import { decodeSaveFile, isSlotFile } from '../../../src/saves/slotFile';
import { ENGINE_COMPAT } from '../../../src/session';
import { cleanupTempDirs, tempDir } from './helpers';

afterAll(cleanupTempDirs);

const FIXTURE = path.join(__dirname, '..', '..', 'fixtures', 'saves', 'ch1-format1.json.gz');
const text = gunzipSync(readFileSync(FIXTURE)).toString('utf8');

function slotsWithFixture(): { dir: string; store: FsSaveStore } {
  const dir = path.join(tempDir(), 'saves');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'format1.json'), text);
  return { dir, store: new FsSaveStore({ dir, engine: ENGINE_COMPAT, displayPath: (p) => `saves/${path.basename(p)}` }) };
}

describe('a format 1 save (plain JSON envelope)', () => {
  it('is what it claims to be: format 1, pretty-printed, with two spells in it', () => {
    expect(text.startsWith('{\n  "format": "grimoire-save",\n  "formatVersion": 1,\n')).toBe(true);
    expect(isSlotFile(Buffer.from(text))).toBe(false);
    const env = JSON.parse(text) as { history: string[]; meta: { spells: number } };
    expect(env.history).toEqual(['free -m', 'uname -r']);
    expect(env.meta.spells).toBe(2);
  });

  it('decodes through the format migration', () => {
    const r = decodeSaveFile(Buffer.from(text), 'saves/format1.json', { engine: ENGINE_COMPAT });
    if (!r.ok) throw new Error(r.message);
    expect(r.migrated?.fromFormatVersion).toBe(1);
    expect(r.save.slot).toBe('format1');
    expect(r.save.payload.seed).toBe(11);
  });

  it('is listed and loads; the next save of that game is a slot file, with the old file kept as the backup, byte for byte', async () => {
    const { dir, store } = slotsWithFixture();
    expect(await store.scan()).toMatchObject({ damaged: [], saves: [{ slot: 'format1', chapter: '1', spells: 2 }] });
    const r = await store.read('format1');
    if (r.status !== 'ok') throw new Error(`${r.status}`);
    // the same game one line on (same world, its lines carried on): it replaces its own save, no archive
    const next = { ...r.save, savedAt: '2027-01-01T00:00:00.000Z', history: [...r.save.history, 'hostname'] };
    const report = await store.write('format1', next);
    expect(report.archived).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(['format1.bak.json', 'format1.json']);
    expect(readFileSync(path.join(dir, 'format1.bak.json'), 'utf8')).toBe(text);
    const main = readFileSync(path.join(dir, 'format1.json'));
    expect(isSlotFile(main)).toBe(true);
    expect(main.length).toBeLessThan(text.length / 10);
    const again = decodeSaveFile(main, 'format1.json', { engine: ENGINE_COMPAT });
    if (!again.ok) throw new Error(again.message);
    expect(again.migrated).toBeNull();
    expect(again.save).toEqual({ ...next, slot: 'format1' });
  });
});
