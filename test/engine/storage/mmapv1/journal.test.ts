import { createHash } from 'node:crypto';
import {
  createDatabase, decodeJournal, decodeLsnFile, encodeJournalHeader, encodeJournalSection, encodeLsnFile, findById,
  insert, JOURNAL_ALIGNMENT, memoryIO, objectIdAt, replayJournal, scan, type Write,
} from '../../../../engine/storage/mmapv1';

const opts = { smallfiles: true };
const PAGE = 4096;
const event = (i: number) => ({ _id: objectIdAt(1431399600 + i, 0x4b2f1a, 2210, i), user: `u${i}`, type: 'checkin', points: i });
const fileId = '5551a0c0e7d1';

/** a database with a few events, then a group commit's worth more, journaled */
function scenario() {
  const io = memoryIO();
  createDatabase(io, 'events', opts);
  for (let i = 0; i < 5; i++) insert(io, 'events', 'events', event(i), opts);
  const before = new Map([...io.files].map(([k, v]) => [k, v.slice()]));
  const commits: Write[][] = [];
  for (let c = 0; c < 3; c++) {
    const writes: Write[] = [];
    for (let i = 0; i < 4; i++) writes.push(...insert(io, 'events', 'events', event(100 + c * 10 + i), opts).writes);
    commits.push(writes);
  }
  const parts = [encodeJournalHeader(fileId, '/data/db/journal/j._0', 'Tue May 12 03:00:01'), ...commits.map((w, k) => encodeJournalSection({ lsn: 1431399601000 + k * 100, writes: w }, fileId))];
  const journal = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    journal.set(p, at);
    at += p.length;
  }
  return { io, before, commits, journal };
}

describe('the MMAPv1 journal', () => {
  it('writes the 2.6 file header: "j\\n", version 0x4148 (uncompressed sections), readable text, "\\n\\n" at 8 KiB', () => {
    const h = encodeJournalHeader(fileId, '/data/db/journal/j._0', 'Tue May 12 03:00:01');
    expect(h.length).toBe(8192);
    expect([...h.subarray(0, 5)]).toEqual([0x6a, 0x0a, 0x48, 0x41, 0x0a]);
    expect(Buffer.from(h.subarray(5, 25)).toString('latin1').replace(/\0+$/, '')).toBe('Tue May 12 03:00:01');
    expect(Buffer.from(h.subarray(26, 47)).toString('latin1')).toBe('/data/db/journal/j._0');
    expect([...h.subarray(8190)]).toEqual([0x0a, 0x0a]);
  });

  it('sections are 8 KiB aligned and read back intent for intent', () => {
    const { commits, journal } = scenario();
    expect(journal.length % JOURNAL_ALIGNMENT).toBe(0);
    const d = decodeJournal(journal);
    expect(d.torn).toBe(false);
    expect(d.fileId).toBe(fileId);
    expect(d.sections.map((s) => s.lsn)).toEqual([1431399601000, 1431399601100, 1431399601200]);
    d.sections.forEach((s, k) => {
      expect(s.writes.map((w) => [w.file, w.offset, [...w.bytes]])).toEqual(commits[k]!.map((w) => [w.file, w.offset, [...w.bytes]]));
    });
  });

  it('each section ends with the footer sentinel and the md5 of the section', () => {
    const { journal } = scenario();
    const at = JOURNAL_ALIGNMENT;
    const len = journal[at]! | (journal[at + 1]! << 8) | (journal[at + 2]! << 16) | (journal[at + 3]! << 24);
    const footer = at + len - 32;
    expect([...journal.subarray(footer, footer + 4)]).toEqual([0xff, 0xff, 0xff, 0xff]);
    const md5 = createHash('md5').update(journal.subarray(at, footer)).digest();
    expect(Buffer.from(journal.subarray(footer + 4, footer + 20)).equals(md5)).toBe(true);
    expect([...journal.subarray(footer + 28, footer + 32)]).toEqual([0x0a, 0x0a, 0x0a, 0x0a]);
  });

  it('replay after the last synced LSN restores a torn image byte for byte', () => {
    const { io, before, journal } = scenario();
    // the data files as a crash left them: every other page of events.0 never written back
    const torn = memoryIO(new Map([...io.files].map(([k, v]) => [k, v.slice()])));
    const old = before.get('events.0')!;
    const cur = torn.files.get('events.0')!;
    for (let p = 0; p < cur.length; p += 2 * PAGE) cur.set(old.subarray(p, p + PAGE), p);
    torn.files.get('events.ns')!.set(before.get('events.ns')!);
    expect(() => scan(torn, 'events', 'events')).not.toThrow();
    const lsn = decodeLsnFile(encodeLsnFile(1431399600900));
    expect(lsn).toBe(1431399600900);
    const r = replayJournal(torn, [decodeJournal(journal)], lsn!);
    expect(r.sections).toBe(3);
    for (const [name, bytes] of io.files) expect(Buffer.compare(Buffer.from(torn.files.get(name)!), Buffer.from(bytes))).toBe(0);
    expect(findById(torn, 'events', 'events', event(121)._id)?.user).toBe('u121');
  });

  it('replays only sections newer than the lsn file', () => {
    const { journal } = scenario();
    const target = memoryIO();
    const r = replayJournal(target, [decodeJournal(journal)], 1431399601100);
    expect(r.sections).toBe(1);
  });

  it('a journal cut inside its last section replays the whole ones and says it was torn', () => {
    const { journal } = scenario();
    const cut = journal.subarray(0, journal.length - JOURNAL_ALIGNMENT + 100);
    const d = decodeJournal(cut);
    expect(d.torn).toBe(true);
    expect(d.sections).toHaveLength(2);
    const flipped = journal.slice();
    flipped[JOURNAL_ALIGNMENT + 40] ^= 0xff;
    const f = decodeJournal(flipped);
    expect(f.torn).toBe(true);
    expect(f.sections).toHaveLength(0);
  });

  it('the lsn file carries its check bytes', () => {
    const b = encodeLsnFile(1431399601234);
    expect(b.length).toBe(88);
    expect(decodeLsnFile(b)).toBe(1431399601234);
    b[16] ^= 1;
    expect(decodeLsnFile(b)).toBeNull();
    expect(decodeLsnFile(new Uint8Array(0))).toBeNull();
  });
});
