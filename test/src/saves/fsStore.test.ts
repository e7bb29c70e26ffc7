import { existsSync, readFileSync, readdirSync, symlinkSync, writeFileSync, mkdirSync, unlinkSync } from 'node:fs';
import * as path from 'node:path';
import { checksumOf } from '../../../src/saves/canonical';
import { FORMAT_VERSION } from '../../../src/saves/envelope';
import { encodeSlotFile } from '../../../src/saves/slotFile';
import { defaultSavesDir, FsSaveStore, SaveWriteError } from '../../../src/saves/fsStore';
import { SaveEncodeError } from '../../../src/saves/envelope';
import { SlotNameError } from '../../../src/saves/slotName';
import type { ReadResult, SaveProblemReason } from '../../../src/saves/store';
import { cleanupTempDirs, REPO, sample, sampleData, tempDir, tree } from './helpers';

afterAll(cleanupTempDirs);

const show = (p: string): string => `saves/${path.basename(p)}`;

function newStore(extra: ConstructorParameters<typeof FsSaveStore>[0] = {}): { store: FsSaveStore; dir: string } {
  const dir = path.join(tempDir(), 'saves');
  return { store: new FsSaveStore({ dir, displayPath: show, ...extra }), dir };
}

function expectStatus<S extends ReadResult['status']>(r: ReadResult, status: S): Extract<ReadResult, { status: S }> {
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${'message' in r ? r.message : ''}`);
  return r as Extract<ReadResult, { status: S }>;
}

describe('FsSaveStore basics', () => {
  it('writes and reads back a save', async () => {
    const { store, dir } = newStore();
    const written = await store.write('slot1', sample.makeSave('A', 1));
    expect(written).toEqual({ save: sampleData('slot1', 'A', 1), archived: [], diverted: null });
    const r = expectStatus(await store.read('slot1'), 'ok');
    expect(r.save).toEqual(sampleData('slot1', 'A', 1));
    expect(r.file).toBe('saves/slot1.json');
    expect(readdirSync(dir).sort()).toEqual(['slot1.json']);
  });

  it('stamps savedAt from its clock when the caller gives none', async () => {
    const { store } = newStore({ now: () => new Date('2030-05-06T07:08:09.000Z') });
    const { savedAt: _drop, ...content } = sample.makeSave('A', 1);
    const written = await store.write('slot1', content);
    expect(written.save.savedAt).toBe('2030-05-06T07:08:09.000Z');
    expect(expectStatus(await store.read('slot1'), 'ok').save.savedAt).toBe('2030-05-06T07:08:09.000Z');
  });

  it('keeps the previous good save, byte for byte, as <slot>.bak.json', async () => {
    const { store, dir } = newStore();
    await store.write('slot1', sample.makeSave('A', 1));
    const first = readFileSync(path.join(dir, 'slot1.json'));
    await store.write('slot1', sample.makeSave('A', 2));
    expect(readFileSync(path.join(dir, 'slot1.bak.json')).equals(first)).toBe(true);
    expect(expectStatus(await store.read('slot1'), 'ok').save.payload.state).toMatchObject({ version: 2 });
    expect(readdirSync(dir).sort()).toEqual(['slot1.bak.json', 'slot1.json']);
  });

  it('lists saves newest first (ties by name), with chapter, progress and time; latest() is the newest', async () => {
    const { store } = newStore();
    expect(await store.list()).toEqual([]);
    expect(await store.latest()).toBeNull();
    await store.write('old', sample.makeSave('A', 1, { savedAt: '2025-01-01T10:00:00.000Z' }));
    await store.write('newest', sample.makeSave('A', 2, { savedAt: '2025-03-01T10:00:00.000Z' }));
    await store.write('autosave', sample.makeSave('A', 3, { savedAt: '2025-02-01T10:00:00.000Z' }));
    await store.write('b-tie', sample.makeSave('A', 4, { savedAt: '2025-01-15T10:00:00.000+02:00' }));
    await store.write('a-tie', sample.makeSave('A', 5, { savedAt: '2025-01-15T08:00:00.000Z' }));
    const list = await store.list();
    expect(list.map((s) => s.slot)).toEqual(['newest', 'autosave', 'a-tie', 'b-tie', 'old']);
    expect(list[0]).toEqual({
      slot: 'newest',
      chapter: 'ch1',
      chapterTitle: 'The Disk That Lied',
      progress: '2/5 objectives holding',
      virtualTime: '2m',
      hints: 2,
      spells: 2,
      savedAt: '2025-03-01T10:00:00.000Z',
      file: 'saves/newest.json',
    });
    expect((await store.latest())?.slot).toBe('newest');
    // rewriting an old slot makes it the latest
    await store.write('old', sample.makeSave('A', 6, { savedAt: '2025-04-01T00:00:00.000Z' }));
    expect((await store.latest())?.slot).toBe('old');
  });

  it('removes a slot and its backup', async () => {
    const { store, dir } = newStore();
    await store.write('slot1', sample.makeSave('A', 1));
    await store.write('slot1', sample.makeSave('A', 2));
    await store.write('keep', sample.makeSave('A', 3));
    await store.remove('slot1');
    expect(readdirSync(dir).sort()).toEqual(['keep.json']);
    expect(expectStatus(await store.read('slot1'), 'missing').message).toBe('There is no save called "slot1" (saves/slot1.json does not exist).');
    await expect(store.remove('slot1')).resolves.toBeUndefined(); // removing twice is fine
    expect((await store.list()).map((s) => s.slot)).toEqual(['keep']);
  });

  it('serialises concurrent writes to one slot within a process', async () => {
    const { store } = newStore();
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.write('slot1', sample.makeSave('A', i + 1))));
    const r = expectStatus(await store.read('slot1'), 'ok');
    expect(r.save.payload.state).toMatchObject({ version: 10 });
    expect((await store.scan()).damaged).toEqual([]);
  });

  it('a renamed save file loads under its new slot name', async () => {
    const { store, dir } = newStore();
    await store.write('slot1', sample.makeSave('A', 1));
    writeFileSync(path.join(dir, 'renamed.json'), readFileSync(path.join(dir, 'slot1.json')));
    const r = expectStatus(await store.read('renamed'), 'ok');
    expect(r.save.slot).toBe('renamed');
    expect((await store.list()).map((s) => s.slot).sort()).toEqual(['renamed', 'slot1']);
  });

  it('an invalid save is refused before anything is written', async () => {
    const { store, dir } = newStore();
    const s = sample.makeSave('A', 1);
    await expect(store.write('slot1', { ...s, meta: { ...s.meta, hints: -1 } })).rejects.toThrow(SaveEncodeError);
    await expect(store.write('slot1', { ...s, savedAt: 'now' })).rejects.toThrow(SaveEncodeError);
    expect(existsSync(dir)).toBe(false);
  });

  it('defaults to saves/ at the project root, or $GRIMOIRE_SAVES_DIR', () => {
    const before = process.env.GRIMOIRE_SAVES_DIR;
    try {
      delete process.env.GRIMOIRE_SAVES_DIR;
      expect(defaultSavesDir()).toBe(path.join(REPO, 'saves'));
      expect(new FsSaveStore().dir).toBe(path.join(REPO, 'saves'));
      process.env.GRIMOIRE_SAVES_DIR = '/tmp/elsewhere';
      expect(new FsSaveStore().dir).toBe('/tmp/elsewhere');
    } finally {
      if (before === undefined) delete process.env.GRIMOIRE_SAVES_DIR;
      else process.env.GRIMOIRE_SAVES_DIR = before;
    }
  });

  it('creates its folder on first write, not before', async () => {
    const { store, dir } = newStore();
    expect(existsSync(dir)).toBe(false);
    await store.list();
    await store.read('slot1');
    expect(existsSync(dir)).toBe(false);
    await store.write('slot1', sample.makeSave('A', 1));
    expect(existsSync(path.join(dir, 'slot1.json'))).toBe(true);
  });
});

describe('slot names reach no file outside the folder', () => {
  const evil = ['../../etc/passwd', '../escape', 'a/b', '\0x', 'x\0', '', '..', '/abs', 'sub\\dir', '.bak'];

  it.each(evil)('%j is refused by write, read and remove, and nothing is written', async (name) => {
    const root = tempDir();
    const dir = path.join(root, 'deep', 'saves');
    mkdirSync(dir, { recursive: true });
    const store = new FsSaveStore({ dir, displayPath: show });
    const before = tree(root);
    await expect(store.write(name, sample.makeSave('A', 1))).rejects.toThrow(SlotNameError);
    await expect(store.read(name)).rejects.toThrow(SlotNameError);
    await expect(store.remove(name)).rejects.toThrow(SlotNameError);
    expect(tree(root)).toEqual(before);
  });

  it('a symlink planted in the folder is not written through', async () => {
    const root = tempDir();
    const dir = path.join(root, 'saves');
    mkdirSync(dir);
    const victim = path.join(root, 'victim.txt');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, path.join(dir, 'evil.json'));
    const store = new FsSaveStore({ dir, displayPath: show });
    await expect(store.write('evil', sample.makeSave('A', 1))).rejects.toThrow(SaveWriteError);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
  });
});

describe('damaged saves: reported, kept, and the previous good copy offered', () => {
  /** main = version 2, bak = version 1 */
  async function twoSaves(extra: ConstructorParameters<typeof FsSaveStore>[0] = {}) {
    const { store, dir } = newStore(extra);
    await store.write('slot1', sample.makeSave('A', 1));
    await store.write('slot1', sample.makeSave('A', 2));
    const main = path.join(dir, 'slot1.json');
    const bak = path.join(dir, 'slot1.bak.json');
    return { store, dir, main, bak, good: readFileSync(main), bakBytes: readFileSync(bak) };
  }

  const flip = (buf: Buffer, at: number, bit: number): Buffer => {
    const b = Buffer.from(buf);
    b[at] ^= 1 << bit;
    return b;
  };
  /** a slot file with its header line changed and sealed again; the compressed body kept */
  const resealed = (buf: Buffer, change: (env: Record<string, unknown>) => Record<string, unknown>): Buffer => {
    const nl = buf.indexOf(0x0a);
    const { checksum: _c, ...header } = change(JSON.parse(buf.subarray(0, nl).toString('utf8')) as Record<string, unknown>);
    return Buffer.concat([Buffer.from(JSON.stringify({ ...header, checksum: checksumOf(header) })), buf.subarray(nl)]);
  };

  const cases: [string, SaveProblemReason, (good: Buffer) => Buffer][] = [
    ['truncated to 1 byte', 'truncated', (g) => g.subarray(0, 1)],
    ['truncated at 10%', 'truncated', (g) => g.subarray(0, Math.floor(g.length * 0.1))],
    ['truncated at half', 'truncated', (g) => g.subarray(0, Math.floor(g.length / 2))],
    ['truncated 5 bytes before the end', 'truncated', (g) => g.subarray(0, g.length - 5)],
    ['bit 0 flipped in a value near the start', 'checksum', (g) => flip(g, g.indexOf('grimoire-save') + 3, 0)],
    ['bit 3 flipped in the middle', 'checksum', (g) => flip(g, Math.floor(g.length / 2), 3)],
    ['bit 1 flipped in the checksum', 'checksum', (g) => flip(g, g.indexOf('"checksum":"sha256:') + 30, 1)],
    ['bit 5 flipped in the last byte', 'checksum', (g) => flip(g, g.length - 1, 5)],
    ['bit 7 flipped in structure', 'not-json', (g) => flip(g, 0, 7)],
    ['hand-edited hint count', 'checksum', (g) => Buffer.from(g.toString('latin1').replace('"hints":2', '"hints":0'), 'latin1')],
    ['from a newer grimoire', 'too-new', (g) => resealed(g, (e) => ({ ...e, formatVersion: FORMAT_VERSION + 1 }))],
    ['not JSON', 'foreign', () => Buffer.from('this is my save, I promise\n')],
    ['empty', 'empty', () => Buffer.alloc(0)],
    ['zero-filled', 'empty', (g) => Buffer.alloc(g.length)],
    ['a package.json', 'foreign', () => readFileSync(path.join(REPO, 'package.json'))],
  ];

  it.each(cases)('%s: reason %s, message names the file, .bak offered, nothing changed', async (_label, reason, corrupt) => {
    const { store, main, bak, good, bakBytes } = await twoSaves();
    const bad = corrupt(good);
    writeFileSync(main, bad);
    const r = expectStatus(await store.read('slot1'), 'recovered');
    expect(r.problem).toMatchObject({ slot: 'slot1', file: 'saves/slot1.json', reason });
    expect(r.problem.message).toContain('saves/slot1.json');
    expect(r.message).toContain('saves/slot1.json');
    expect(r.message).toContain('Your previous good copy saves/slot1.bak.json');
    expect(r.file).toBe('saves/slot1.bak.json');
    expect(r.save).toEqual(sampleData('slot1', 'A', 1));
    // reading changed nothing
    expect(readFileSync(main).equals(bad)).toBe(true);
    expect(readFileSync(bak).equals(bakBytes)).toBe(true);
    // the list shows the slot from its good copy, marked
    const [info] = await store.list();
    expect(info).toMatchObject({ slot: 'slot1', spells: 1, file: 'saves/slot1.bak.json', recoveredFrom: { reason } });
  });

  it('the checksum message reads as the issue asks', async () => {
    const { store, main, good } = await twoSaves();
    writeFileSync(main, Buffer.from(good.toString('latin1').replace('"spells":2', '"spells":99'), 'latin1'));
    const r = expectStatus(await store.read('slot1'), 'recovered');
    expect(r.message).toMatch(
      /^saves\/slot1\.json is damaged \(checksum mismatch\): it was changed after it was written\. That file was left as it is\. Your previous good copy saves\/slot1\.bak\.json \(saved .*\) was kept\.$/,
    );
  });

  it('an older format with a migration loads; without one it is refused and the .bak offered', async () => {
    const { dir, main } = await twoSaves();
    const v0 = (() => {
      const body = {
        format: 'grimoire-save',
        formatVersion: 0,
        game: 'grimoire',
        slot: 'slot1',
        savedAt: '2024-01-01T00:00:00.000Z',
        engineVersion: 1,
        storyVersion: 'story-1',
        chapter: 'ch1',
        seed: 7,
        state: { old: true },
      };
      return JSON.stringify({ ...body, checksum: checksumOf(body) });
    })();
    writeFileSync(main, v0);
    const withMigrations = new FsSaveStore({ dir, displayPath: show });
    const ok = expectStatus(await withMigrations.read('slot1'), 'ok');
    expect(ok.save.payload).toMatchObject({ seed: 7, state: { old: true } });
    const without = new FsSaveStore({ dir, displayPath: show, formatMigrations: {} });
    const r = expectStatus(await without.read('slot1'), 'recovered');
    expect(r.problem.reason).toBe('too-old');
    expect(readFileSync(main, 'utf8')).toBe(v0);
  });

  it('an engine version this grimoire cannot load is refused, and never replaced or moved by a later write', async () => {
    const { store: newer, dir } = newStore();
    const s = sample.makeSave('A', 1);
    await newer.write('slot1', { ...s, payload: { ...s.payload, engineVersion: 3 } });
    const newerBytes = readFileSync(path.join(dir, 'slot1.json'));
    const older = new FsSaveStore({ dir, displayPath: show, engine: { version: 1 } });
    const r = expectStatus(await older.read('slot1'), 'damaged');
    expect(r.problem.reason).toBe('too-new');
    expect(r.message).toMatch(/made by a newer grimoire \(engine version 3; this is version 1\)/);
    await expect(older.write('slot1', sample.makeSave('A', 2))).rejects.toThrow(/never replaces or moves a file it cannot read/);
    await expect(older.write('slot1', sample.makeSave('A', 3))).rejects.toThrow(SaveWriteError);
    expect(readdirSync(dir)).toEqual(['slot1.json']);
    expect(readFileSync(path.join(dir, 'slot1.json')).equals(newerBytes)).toBe(true);
  });

  it('damaged with no backup: says so, changes nothing, and scan() reports it while list() skips it', async () => {
    const { store, dir } = newStore();
    await store.write('slot1', sample.makeSave('A', 1));
    await store.write('fine', sample.makeSave('A', 2));
    const main = path.join(dir, 'slot1.json');
    const bad = readFileSync(main).subarray(0, 100);
    writeFileSync(main, bad);
    const r = expectStatus(await store.read('slot1'), 'damaged');
    expect(r.problem.reason).toBe('truncated');
    expect(r.backupProblem).toBeNull();
    expect(r.message).toMatch(/^saves\/slot1\.json is damaged \(truncated\).*There is no previous copy \(saves\/slot1\.bak\.json does not exist\)\. Nothing was changed\.$/);
    expect(readFileSync(main).equals(bad)).toBe(true);
    expect((await store.list()).map((s) => s.slot)).toEqual(['fine']);
    const scan = await store.scan();
    expect(scan.damaged).toHaveLength(1);
    expect(scan.damaged[0]).toMatchObject({ slot: 'slot1', reason: 'truncated', file: 'saves/slot1.json' });
  });

  it('damaged main and damaged backup: both reported', async () => {
    const { store, main, bak } = await twoSaves();
    writeFileSync(main, '');
    writeFileSync(bak, '{"format": "grimoire-save", ');
    const r = expectStatus(await store.read('slot1'), 'damaged');
    expect(r.problem.reason).toBe('empty');
    expect(r.backupProblem).toMatchObject({ reason: 'truncated', file: 'saves/slot1.bak.json' });
    expect(r.message).toContain('saves/slot1.bak.json is damaged (truncated)');
  });

  it('main file deleted: the backup is offered', async () => {
    const { store, main } = await twoSaves();
    unlinkSync(main);
    const r = expectStatus(await store.read('slot1'), 'recovered');
    expect(r.problem.reason).toBe('missing');
    expect(r.save).toEqual(sampleData('slot1', 'A', 1));
  });

  it('saving over a damaged file is refused, or diverted to a new slot: the damaged file and the good backup stay', async () => {
    const { store, dir, main, bakBytes } = await twoSaves();
    writeFileSync(main, '{"format": "grimoire-save", "garbage');
    await expect(store.write('slot1', sample.makeSave('A', 3))).rejects.toThrow(/saves\/slot1\.json is damaged \(truncated\).*Nothing was saved to slot "slot1"/);
    const report = await store.write('slot1', sample.makeSave('A', 3, { savedAt: '2031-01-01T00:00:00.000Z' }), { ifUnusable: 'divert' });
    expect(report.save.slot).toBe('slot1-20310101-000000');
    expect(report.diverted).toMatchObject({ from: 'slot1', problem: { reason: 'truncated', file: 'saves/slot1.json' } });
    expect(readFileSync(main, 'utf8')).toBe('{"format": "grimoire-save", "garbage');
    expect(readFileSync(path.join(dir, 'slot1.bak.json')).equals(bakBytes)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['slot1-20310101-000000.json', 'slot1.bak.json', 'slot1.json']);
    expect(expectStatus(await store.read('slot1-20310101-000000'), 'ok').save.payload.state).toMatchObject({ version: 3 });
    expect((await store.list()).map((s) => s.slot)).toEqual(['slot1-20310101-000000', 'slot1']);
  });
});

describe('the folder may hold other things', () => {
  it('temp files, moved-aside files and non-save files are never listed as saves; foreign .json is reported', async () => {
    const { store, dir } = newStore();
    await store.write('slot1', sample.makeSave('A', 1));
    const good = readFileSync(path.join(dir, 'slot1.json'));
    writeFileSync(path.join(dir, 'slot1.json.3141592653'), good.subarray(0, 50)); // a killed write's temp file
    writeFileSync(path.join(dir, 'slot2.json.2718281828'), good); // even a complete one is not a save yet
    writeFileSync(path.join(dir, 'slot1.json.damaged-1700000000000'), 'x');
    writeFileSync(path.join(dir, 'README.md'), '# saves\n');
    writeFileSync(path.join(dir, '.gitkeep'), '');
    writeFileSync(path.join(dir, '.hidden.json'), '{}');
    writeFileSync(path.join(dir, 'notes.json'), '{"todo": []}');
    const scan = await store.scan();
    expect(scan.saves.map((s) => s.slot)).toEqual(['slot1']);
    expect(scan.damaged.map((p) => [p.slot, p.reason])).toEqual([['notes', 'foreign']]);
  });

  it('sweepTempFiles removes old temp files only', async () => {
    const { store, dir } = newStore();
    await store.write('slot1', sample.makeSave('A', 1));
    writeFileSync(path.join(dir, 'slot1.json.3141592653'), 'partial');
    writeFileSync(path.join(dir, 'slot1.json.damaged-1700000000000'), 'x');
    expect(await store.sweepTempFiles(60_000)).toEqual([]); // too young: may be a write in progress
    expect(await store.sweepTempFiles(-1)).toEqual(['slot1.json.3141592653']);
    expect(readdirSync(dir).sort()).toEqual(['slot1.json', 'slot1.json.damaged-1700000000000']);
  });
});

// slot files are encoded by encodeSlotFile since format 2 (encodeSave still writes exports)
describe('encodeSlotFile output is what the store writes', () => {
  it('the file is exactly encodeSlotFile of the save', async () => {
    const { store, dir } = newStore();
    const written = await store.write('slot1', sample.makeSave('A', 9));
    expect(readFileSync(path.join(dir, 'slot1.json')).equals(await encodeSlotFile(written.save))).toBe(true);
  });
});
