/**
 * "Nothing lost, nothing overwritten, nothing hangs": the save store, export/import and the
 * transcript writer against the cases a reviewer reproduced. Each of these failed before the fix.
 */
import { execFileSync } from 'node:child_process';
// the module object itself, so a test can make fs.write short or the disk full
import fs = require('node:fs');
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { checksumOf } from '../../../src/saves/canonical';
import { FORMAT_VERSION } from '../../../src/saves/envelope';
import { exportSave, importSave } from '../../../src/saves/exportFile';
import { FsSaveStore } from '../../../src/saves/fsStore';
import type { ReadResult } from '../../../src/saves/store';
import { TRANSCRIPT_MARKER, writeTranscript } from '../../../src/transcript/markdown';
import { cleanupTempDirs, mockDisk, REPO, sample, sampleData, tempDir } from './helpers';

afterAll(cleanupTempDirs);
afterEach(() => jest.restoreAllMocks());

const show = (p: string): string => `saves/${path.basename(p)}`;

function newStore(extra: ConstructorParameters<typeof FsSaveStore>[0] = {}): { store: FsSaveStore; dir: string } {
  const dir = path.join(tempDir(), 'saves');
  return { store: new FsSaveStore({ dir, displayPath: show, ...extra }), dir };
}

/** Every file under dir with its bytes, to prove nothing was changed. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of readdirSync(dir).sort()) {
    const p = path.join(dir, n);
    const st = fs.lstatSync(p);
    out[n] = st.isFile() ? readFileSync(p).toString('base64') : st.isSymbolicLink() ? `-> ${fs.readlinkSync(p)}` : st.isDirectory() ? 'dir' : 'special';
  }
  return out;
}

const within = async <T>(p: Promise<T>, ms = 3000): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer after ${ms} ms: it hangs`)), ms).unref())]);

const status = (r: ReadResult): string => r.status;

/** Another game than sample.makeSave's default one: another seed and other lines typed. */
const otherGame = (tag: string, version: number, savedAt: string) =>
  sample.makeSave(tag, version, { savedAt, seed: 700, history: ['sleep 700d', `echo ${tag}`] });

describe('3. a save the game could not read back is never written', () => {
  it('a save over the read limit is refused with a clear message, before anything is touched', async () => {
    const { store, dir } = newStore({ maxBytes: 64 * 1024 });
    await store.write('full', sample.makeSave('A', 1));
    const before = snapshot(dir);
    // each autosave of a world grown too big
    for (let i = 0; i < 3; i++) {
      // lines that do not compress: a slot file is compressed, and a padded state would shrink below the limit
      const history = Array.from({ length: 3000 }, (_, n) => createHash('sha256').update(`line ${i} ${n}`).digest('hex'));
      await expect(store.write('full', sample.makeSave('A', 2, { history }))).rejects.toThrow(
        /more than the 64 KiB the game can read back, so it was not written/,
      );
    }
    expect(snapshot(dir)).toEqual(before);
    const r = await store.read('full');
    expect(r.status === 'ok' && r.save.payload.state).toMatchObject({ version: 1 });
  });
});

describe('4. a save of another game is moved to a slot of its own, never overwritten', () => {
  it('a new game in the autosave slot moves the old game to autosave-<its savedAt>, and saves lists it', async () => {
    const { store, dir } = newStore();
    // the 700-day game, saved twice (so it has a backup too)
    await store.write('autosave', otherGame('old', 1, '2025-03-04T05:06:07.000Z'));
    await store.write('autosave', otherGame('old', 2, '2025-03-04T05:07:00.000Z'));
    const oldMain = readFileSync(path.join(dir, 'autosave.json'));
    const oldBak = readFileSync(path.join(dir, 'autosave.bak.json'));
    // a new game: two spells
    await store.write('autosave', sample.makeSave('new', 1, { savedAt: '2026-01-01T00:00:01.000Z' }));
    await store.write('autosave', sample.makeSave('new', 2, { savedAt: '2026-01-01T00:00:02.000Z' }));
    expect(readdirSync(dir).sort()).toEqual(['autosave-20250304-050700.bak.json', 'autosave-20250304-050700.json', 'autosave.bak.json', 'autosave.json']);
    // moved, byte for byte
    expect(readFileSync(path.join(dir, 'autosave-20250304-050700.json')).equals(oldMain)).toBe(true);
    expect(readFileSync(path.join(dir, 'autosave-20250304-050700.bak.json')).equals(oldBak)).toBe(true);
    const archived = await store.read('autosave-20250304-050700');
    expect(archived.status === 'ok' && archived.save.payload.state).toMatchObject({ tag: 'old', version: 2 });
    const list = await store.list();
    expect(list.map((s) => s.slot)).toEqual(['autosave', 'autosave-20250304-050700']);
  });

  it('the write reports what it moved', async () => {
    const { store } = newStore();
    await store.write('mine', otherGame('old', 1, '2025-03-04T05:06:07.000Z'));
    const report = await store.write('mine', sample.makeSave('new', 1));
    expect(report.archived).toEqual([{ from: 'mine', slot: 'mine-20250304-050607', savedAt: '2025-03-04T05:06:07.000Z', meta: otherGame('old', 1, '2025-03-04T05:06:07.000Z').meta }]);
    expect(report.save.slot).toBe('mine');
  });

  it('the same game carrying on replaces its save as before, with no copies', async () => {
    const { store, dir } = newStore();
    const lines = ['uname -r', 'free -m'];
    const at = (v: number) => ({ savedAt: `2026-01-01T00:00:0${v}.000Z`, history: lines.slice(0, v) });
    for (let v = 1; v <= 2; v++) await store.write('autosave', sample.makeSave('A', v, at(v)));
    expect(readdirSync(dir).sort()).toEqual(['autosave.bak.json', 'autosave.json']);
  });

  it('a long game past the engine history limit (oldest lines dropped) still counts as the same game', async () => {
    const { store, dir } = newStore();
    const lines = Array.from({ length: 1003 }, (_, i) => `echo ${i}`);
    for (let v = 0; v < 3; v++) await store.write('autosave', sample.makeSave('A', v, { history: lines.slice(v, v + 1000) }));
    expect(readdirSync(dir).sort()).toEqual(['autosave.bak.json', 'autosave.json']);
  });

  it('two games with the same seed but different lines are different games', async () => {
    const { store } = newStore();
    await store.write('s', sample.makeSave('A', 1, { history: ['ls', 'sleep 3d'], savedAt: '2025-01-01T00:00:00.000Z' }));
    const r = await store.write('s', sample.makeSave('A', 2, { history: ['ls', 'df'] }));
    expect(r.archived.map((a) => a.slot)).toEqual(['s-20250101-000000']);
  });

  it('an older point of the same game loaded and played on keeps the further one', async () => {
    const { store } = newStore();
    await store.write('s', sample.makeSave('A', 1, { history: ['a', 'b', 'c'], savedAt: '2025-01-01T00:00:00.000Z' }));
    const r = await store.write('s', sample.makeSave('A', 2, { history: ['a', 'x'] }));
    expect(r.archived.map((a) => a.slot)).toEqual(['s-20250101-000000']);
  });

  it('a lone backup of another game (its save gone) is moved too before the slot is written', async () => {
    const { store, dir } = newStore();
    await store.write('s', otherGame('old', 1, '2025-01-01T00:00:00.000Z'));
    await store.write('s', otherGame('old', 2, '2025-01-02T00:00:00.000Z'));
    fs.unlinkSync(path.join(dir, 's.json'));
    const bak = readFileSync(path.join(dir, 's.bak.json'));
    await store.write('s', sample.makeSave('new', 1));
    expect(readFileSync(path.join(dir, 's-20250101-000000.json')).equals(bak)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['s-20250101-000000.json', 's.json']);
  });

  it('names are unique: a second game saved in the same second gets -2', async () => {
    const { store } = newStore();
    const at = '2025-05-05T05:05:05.000Z';
    await store.write('x', otherGame('one', 1, at));
    await store.write('x', sample.makeSave('two', 1, { savedAt: at, history: ['two'] }));
    const r = await store.write('x', sample.makeSave('three', 1, { history: ['three'] }));
    expect(r.archived.map((a) => a.slot)).toEqual(['x-20250505-050505-2']);
    expect((await store.list()).map((s) => s.slot).sort()).toEqual(['x', 'x-20250505-050505', 'x-20250505-050505-2']);
  });
});

describe('5. a file the game cannot read is never moved or replaced by a later write', () => {
  function newerSave(store: FsSaveStore, dir: string): Buffer {
    // a slot file's header line, bumped and sealed again; its body kept
    const file = readFileSync(path.join(dir, 'autosave.json'));
    const nl = file.indexOf(0x0a);
    const { checksum: _c, ...body } = JSON.parse(file.subarray(0, nl).toString('utf8')) as Record<string, unknown>;
    const bumped = { ...body, formatVersion: FORMAT_VERSION + 1, fromTheFuture: true };
    const bytes = Buffer.concat([Buffer.from(JSON.stringify({ ...bumped, checksum: checksumOf(bumped) })), file.subarray(nl)]);
    writeFileSync(path.join(dir, 'autosave.json'), bytes);
    void store;
    return bytes;
  }

  it('a save from a newer grimoire survives any number of writes to its slot', async () => {
    const { store, dir } = newStore();
    await store.write('autosave', sample.makeSave('A', 1));
    const newer = newerSave(store, dir);
    for (let v = 2; v <= 4; v++) await store.write('autosave', sample.makeSave('A', v)).catch(() => undefined);
    expect(readFileSync(path.join(dir, 'autosave.json')).equals(newer)).toBe(true);
    for (const n of readdirSync(dir)) {
      if (n !== 'autosave.json') expect(readFileSync(path.join(dir, n)).equals(newer)).toBe(false);
    }
  });

  it('refused by default with a message that says why; diverted to a new slot when asked', async () => {
    const { store, dir } = newStore();
    await store.write('autosave', sample.makeSave('A', 1));
    const newer = newerSave(store, dir);
    await expect(store.write('autosave', sample.makeSave('A', 2))).rejects.toThrow(
      /saves\/autosave\.json was made by a newer grimoire .* Nothing was saved to slot "autosave": the game never replaces or moves a file it cannot read\. Save under another name, or move that file out of the saves folder\./,
    );
    const r = await store.write('autosave', sample.makeSave('A', 3, { savedAt: '2026-02-03T04:05:06.000Z' }), { ifUnusable: 'divert' });
    expect(r.save.slot).toBe('autosave-20260203-040506');
    expect(r.diverted).toMatchObject({ from: 'autosave', problem: { reason: 'too-new' } });
    expect(readFileSync(path.join(dir, 'autosave.json')).equals(newer)).toBe(true);
  });

  const unreadable: [string, (file: string) => void][] = [
    ['damaged (cut off)', (f) => writeFileSync(f, readFileSync(f).subarray(0, 300))],
    ['a package.json', (f) => writeFileSync(f, readFileSync(path.join(REPO, 'package.json')))],
    ['empty', (f) => writeFileSync(f, '')],
  ];
  it.each(unreadable)('%s: never moved aside, never replaced', async (_label, spoil) => {
    const { store, dir } = newStore();
    await store.write('s', sample.makeSave('A', 1));
    await store.write('s', sample.makeSave('A', 2));
    spoil(path.join(dir, 's.json'));
    const before = snapshot(dir);
    for (let v = 3; v <= 5; v++) await expect(store.write('s', sample.makeSave('A', v))).rejects.toThrow(/Nothing was saved to slot "s"/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('an unreadable backup blocks the slot as well (it would be overwritten by the next backup)', async () => {
    const { store, dir } = newStore();
    await store.write('s', sample.makeSave('A', 1));
    writeFileSync(path.join(dir, 's.bak.json'), 'not mine');
    await expect(store.write('s', sample.makeSave('A', 2))).rejects.toThrow(/saves\/s\.bak\.json is not a grimoire save/);
    expect(readFileSync(path.join(dir, 's.bak.json'), 'utf8')).toBe('not mine');
  });
});

describe('6. slots and imports that are not plain files do not hang or fill memory', () => {
  it('a FIFO as a slot: read, scan, latest and write answer at once, and the FIFO stays', async () => {
    const { store, dir } = newStore();
    await store.write('good', sample.makeSave('A', 1));
    execFileSync('mkfifo', [path.join(dir, 'pipe.json')]);
    const r = await within(store.read('pipe'));
    expect(r.status).toBe('damaged');
    expect(r.status === 'damaged' && r.problem.message).toBe('saves/pipe.json could not be read: it is a named pipe (FIFO), not a plain file.');
    const scan = await within(store.scan());
    expect(scan.saves.map((s) => s.slot)).toEqual(['good']);
    expect(scan.damaged.map((p) => p.slot)).toEqual(['pipe']);
    expect((await within(store.latest()))?.slot).toBe('good');
    await expect(within(store.write('pipe', sample.makeSave('A', 2)))).rejects.toThrow(/named pipe/);
    expect(fs.lstatSync(path.join(dir, 'pipe.json')).isFIFO()).toBe(true);
  }, 15_000);

  it('a slot that is a symbolic link to /dev/zero: refused at once, the link left alone', async () => {
    const { store, dir } = newStore();
    await store.write('good', sample.makeSave('A', 1));
    symlinkSync('/dev/zero', path.join(dir, 'zero.json'));
    const r = await within(store.read('zero'));
    expect(status(r)).toBe('damaged');
    expect(r.status === 'damaged' && r.problem.message).toBe('saves/zero.json could not be read: it is a symbolic link, not a plain file.');
    expect((await within(store.scan())).saves.map((s) => s.slot)).toEqual(['good']);
    expect(fs.readlinkSync(path.join(dir, 'zero.json'))).toBe('/dev/zero');
  }, 15_000);

  it('import /dev/zero, a FIFO, a folder: refused at once, in words', async () => {
    const dir = tempDir();
    execFileSync('mkfifo', [path.join(dir, 'fifo.json')]);
    mkdirSync(path.join(dir, 'folder.json'));
    symlinkSync('/dev/zero', path.join(dir, 'zero-link.json'));
    const cases: [string, RegExp][] = [
      ['/dev/zero', /^\/dev\/zero could not be read: it is a device, not a plain file\. Nothing was imported\.$/],
      [path.join(dir, 'zero-link.json'), /could not be read: it is a device, not a plain file\./],
      [path.join(dir, 'fifo.json'), /could not be read: it is a named pipe \(FIFO\), not a plain file\./],
      [path.join(dir, 'folder.json'), /could not be read: it is a folder, not a plain file\./],
    ];
    for (const [file, message] of cases) {
      const r = await within(importSave(file, { displayPath: (p) => p }));
      expect(r).toMatchObject({ ok: false, reason: 'unreadable' });
      expect(!r.ok && r.message).toMatch(message);
    }
  }, 20_000);
});

describe('13. errors name the problem in words', () => {
  it('/etc/passwd imported is "not a grimoire save", not "damaged"', async () => {
    if (!existsSync('/etc/passwd')) return;
    const r = await importSave('/etc/passwd', { displayPath: (p) => p });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toBe('foreign');
    expect(!r.ok && r.message).toMatch(/^\/etc\/passwd is not a grimoire save/);
    expect(!r.ok && r.message).not.toMatch(/damaged/);
  });

  it('a full disk during a save says so, without an error code or a temporary file name', async () => {
    const { store, dir } = newStore();
    await store.write('s', sample.makeSave('A', 1));
    const before = snapshot(dir);
    mockDisk(fs, { room: 0 });
    const err = await store.write('s', sample.makeSave('A', 2)).then(
      () => null,
      (e: Error) => e,
    );
    jest.restoreAllMocks();
    expect(err?.message).toMatch(/^could not write saves\/s\.(bak\.)?json: the disk is full\. The previous save in slot "s" was kept\.$/);
    expect(err?.message).not.toMatch(/ENOSPC|\.json\.\d/);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('2. a short write is never taken for a save', () => {
  it('an autosave on a disk that takes half of each write is complete, not cut', async () => {
    const { store, dir } = newStore();
    mockDisk(fs, { perCall: (length) => Math.max(1, Math.floor(length / 2)) });
    await store.write('full', sample.makeSave('A', 1, { padBytes: 300_000 }));
    jest.restoreAllMocks();
    const r = await store.read('full');
    expect(r.status).toBe('ok');
    expect(readdirSync(dir)).toEqual(['full.json']);
  });

  it('an export cut at 1 MiB by a full disk is a failure, not "exported"', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'stuck.json');
    // room for 1 MiB: the first write is cut short there, the next one finds the disk full
    mockDisk(fs, { room: 1024 * 1024 });
    const exported = await exportSave(sampleData('s', 'A', 1, { padBytes: 3 * 1024 * 1024 }), file).then(
      () => 'exported',
      (e: Error) => e.message,
    );
    jest.restoreAllMocks();
    expect(exported).toMatch(/the disk is full/);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('1. export and transcript never replace a file that is not the game’s own', () => {
  const save = sampleData('s', 'A', 1);

  it('export over package.json or a README is refused and the file kept; --force replaces it', async () => {
    const dir = tempDir();
    const pkg = path.join(dir, 'package.json');
    const readme = path.join(dir, 'README.md');
    writeFileSync(pkg, readFileSync(path.join(REPO, 'package.json')));
    writeFileSync(readme, '# my project\n');
    for (const f of [pkg, readme]) {
      const before = readFileSync(f);
      await expect(exportSave(save, f, { displayPath: (p) => path.basename(p) })).rejects.toThrow(
        new RegExp(`^${path.basename(f).replace('.', '\\.')} already exists and is not a grimoire export; the game does not replace files it did not write\\. To replace it anyway: export --force .*\\. Nothing was written\\.$`),
      );
      expect(readFileSync(f).equals(before)).toBe(true);
    }
    await exportSave(save, readme, { force: true });
    expect((await importSave(readme)).ok).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['README.md', 'package.json']);
  });

  it('an earlier export (even a damaged one) is replaced without asking', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'run.json');
    await exportSave(save, f);
    writeFileSync(f, readFileSync(f).subarray(0, 100));
    await exportSave(sampleData('s', 'A', 2), f);
    const r = await importSave(f);
    expect(r.ok && r.save.payload.state).toMatchObject({ version: 2 });
  });

  it('a slot file is not an export: exporting over a save in the saves folder is refused', async () => {
    const { store, dir } = newStore();
    await store.write('slot1', sample.makeSave('A', 1));
    const before = readFileSync(path.join(dir, 'slot1.json'));
    await expect(exportSave(save, path.join(dir, 'slot1.json'))).rejects.toThrow(/is not a grimoire export/);
    expect(readFileSync(path.join(dir, 'slot1.json')).equals(before)).toBe(true);
  });

  it('transcript over a file that is not a transcript is refused; an earlier transcript is replaced; --force replaces', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'notes.md');
    writeFileSync(f, '# my notes\n');
    await expect(writeTranscript(f, `${TRANSCRIPT_MARKER}\n# run\n`, { display: 'notes.md' })).rejects.toThrow(
      'notes.md already exists and is not a grimoire transcript; the game does not replace files it did not write. To replace it anyway: transcript --force',
    );
    expect(readFileSync(f, 'utf8')).toBe('# my notes\n');
    // a file that merely mentions the marker further down is not one
    writeFileSync(f, `# my notes\n${TRANSCRIPT_MARKER}\n`);
    await expect(writeTranscript(f, `${TRANSCRIPT_MARKER}\n# run\n`)).rejects.toThrow(/not a grimoire transcript/);
    await writeTranscript(f, `${TRANSCRIPT_MARKER}\n# run 1\n`, { force: true });
    await writeTranscript(f, `${TRANSCRIPT_MARKER}\n# run 2\n`);
    expect(readFileSync(f, 'utf8')).toBe(`${TRANSCRIPT_MARKER}\n# run 2\n`);
  });

  it('a folder, a FIFO, a device or a symbolic link is never written to, even with --force', async () => {
    const dir = tempDir();
    const victim = path.join(dir, 'victim.txt');
    writeFileSync(victim, 'precious');
    mkdirSync(path.join(dir, 'folder'));
    execFileSync('mkfifo', [path.join(dir, 'fifo')]);
    symlinkSync(victim, path.join(dir, 'link-to-victim'));
    symlinkSync(path.join(dir, 'export.json'), path.join(dir, 'link-to-export'));
    await exportSave(save, path.join(dir, 'export.json'));
    const before = snapshot(dir);
    const targets: [string, RegExp][] = [
      ['folder', /is a folder, not a plain file/],
      ['fifo', /is a named pipe \(FIFO\), not a plain file/],
      ['link-to-victim', /is a symbolic link/],
      ['link-to-export', /is a symbolic link/],
    ];
    for (const force of [false, true]) {
      for (const [name, why] of targets) {
        await expect(within(exportSave(save, path.join(dir, name), { force }))).rejects.toThrow(why);
        await expect(within(writeTranscript(path.join(dir, name), `${TRANSCRIPT_MARKER}\n`, { force }))).rejects.toThrow(why);
      }
      await expect(within(exportSave(save, '/dev/null', { force }))).rejects.toThrow(/is a device, not a plain file/);
    }
    expect(snapshot(dir)).toEqual(before);
  }, 20_000);
});
