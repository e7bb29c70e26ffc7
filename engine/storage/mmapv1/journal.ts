/**
 * MMAPv1's journal (src/mongo/db/dur_journalformat.h, dur_journal.cpp, dur_recover.cpp): files
 * `journal/j._N` start with an 8 KiB JHeader; each group commit appends a section aligned to
 * 8 KiB: JSectHeader { len, seqNumber (the LSN), fileId }, the write intents as JEntry { len, ofs,
 * fileNo } plus their bytes (with a DbContext entry naming the database when it changes), and a
 * JSectFooter { sentinel, md5 of the section, reserved, "\n\n\n\n" }. `journal/lsn` holds the LSN
 * of the last data-file flush; recovery replays the sections after it.
 */
import type { DataFileIO, DecodedJournal, JournalSection, Write } from './types';
import { asciiBytes, cstring, i32, i64, latin1, putI32, putI64, putU16, u16 } from './bytes';
import { md5 } from './md5';

export const JOURNAL_ALIGNMENT = 8192;
/**
 * 2.6 builds compress each section's entries with snappy and mark the file 0x4149; the same format
 * uncompressed (a _NOCOMPRESS build) is 0x4148, which is what this journal writes: the entries are
 * readable in a hexdump and no compressor is simulated
 */
const JHEADER_VERSION = 0x4148;
const OP_FOOTER = 0xffffffff;
const OP_DB_CONTEXT = 0xfffffffe;
const OP_MIN = 0xfffff000;
/** JEntry's file number for the `.ns` file */
const DOT_NS_SUFFIX = 0x7fffffff;
const SECT_HEADER = 20;
const FOOTER = 32;

/** JHeader: "j\n", version, a readable timestamp and path, the fileId every section repeats */
export function encodeJournalHeader(fileId: string, dbpath: string, timestamp = ''): Uint8Array {
  const h = new Uint8Array(JOURNAL_ALIGNMENT);
  h[0] = 0x6a;
  h[1] = 0x0a;
  putU16(h, 2, JHEADER_VERSION);
  h[4] = 0x0a;
  h.set(asciiBytes(timestamp, 20), 5);
  h[25] = 0x0a;
  h.set(asciiBytes(dbpath, 128), 26);
  h[154] = 0x0a;
  h[155] = 0x0a;
  putI64(h, 156, fileIdNumber(fileId));
  h[8190] = 0x0a;
  h[8191] = 0x0a;
  return h;
}

function splitFile(file: string): { db: string; fileNo: number } {
  const dot = file.lastIndexOf('.');
  const db = file.slice(0, dot);
  const suffix = file.slice(dot + 1);
  return { db, fileNo: suffix === 'ns' ? DOT_NS_SUFFIX : Number(suffix) };
}

function fileIdOf(bytes: Uint8Array): number {
  return i64(bytes, 156);
}

/** the fileId as hex text (what decodeJournal reports), kept within 53 bits */
function fileIdNumber(fileId: string): number {
  const hex = fileId.replace(/[^0-9a-f]/gi, '').slice(-13) || '0';
  return Number(BigInt.asUintN(52, BigInt(`0x${hex}`)));
}

/** one group commit's section, padded to the journal's 8 KiB alignment */
export function encodeJournalSection(section: JournalSection, fileIdText: string): Uint8Array {
  const fileId = fileIdNumber(fileIdText);
  const parts: Uint8Array[] = [];
  let db = '';
  for (const w of section.writes) {
    const f = splitFile(w.file);
    if (f.db !== db) {
      const ctx = new Uint8Array(4 + f.db.length + 1);
      putI32(ctx, 0, OP_DB_CONTEXT | 0);
      ctx.set(asciiBytes(f.db, f.db.length), 4);
      parts.push(ctx);
      db = f.db;
    }
    const e = new Uint8Array(12 + w.bytes.length);
    putI32(e, 0, w.bytes.length);
    putI32(e, 4, w.offset);
    putI32(e, 8, f.fileNo);
    e.set(w.bytes, 12);
    parts.push(e);
  }
  const body = parts.reduce((s, p) => s + p.length, 0);
  const len = SECT_HEADER + body + FOOTER;
  const total = Math.ceil(len / JOURNAL_ALIGNMENT) * JOURNAL_ALIGNMENT;
  const out = new Uint8Array(total);
  putI32(out, 0, len);
  putI64(out, 4, section.lsn);
  putI64(out, 12, fileId);
  let p = SECT_HEADER;
  for (const part of parts) {
    out.set(part, p);
    p += part.length;
  }
  putI32(out, p, OP_FOOTER | 0);
  out.set(md5(out.subarray(0, p)), p + 4);
  out.set([0x0a, 0x0a, 0x0a, 0x0a], p + 28);
  return out;
}

/** read a journal file back: its sections until the end of what was written or the first bad one */
export function decodeJournal(bytes: Uint8Array): DecodedJournal {
  if (bytes.length < JOURNAL_ALIGNMENT || bytes[0] !== 0x6a || bytes[1] !== 0x0a || u16(bytes, 2) !== JHEADER_VERSION) {
    return { fileId: '', sections: [], torn: bytes.length > 0 };
  }
  const fileId = fileIdOf(bytes);
  const sections: JournalSection[] = [];
  let at = JOURNAL_ALIGNMENT;
  while (at + SECT_HEADER <= bytes.length) {
    const len = i32(bytes, at) >>> 0;
    if (len === 0) return { fileId: fileId.toString(16), sections, torn: false };
    if (len < SECT_HEADER + FOOTER || at + len > bytes.length || i64(bytes, at + 12) !== fileId) {
      return { fileId: fileId.toString(16), sections, torn: true };
    }
    const footer = at + len - FOOTER;
    const sum = md5(bytes.subarray(at, footer));
    const stored = bytes.subarray(footer + 4, footer + 20);
    if ((i32(bytes, footer) >>> 0) !== OP_FOOTER || !sum.every((x, i) => x === stored[i])) {
      return { fileId: fileId.toString(16), sections, torn: true };
    }
    const writes: Write[] = [];
    let p = at + SECT_HEADER;
    let db = '';
    while (p < footer) {
      const op = i32(bytes, p) >>> 0;
      if (op === OP_DB_CONTEXT) {
        db = cstring(bytes, p + 4, 256);
        p += 4 + db.length + 1;
        continue;
      }
      if (op >= OP_MIN) break;
      const ofs = i32(bytes, p + 4);
      const fileNo = i32(bytes, p + 8);
      writes.push({ file: `${db}.${fileNo === DOT_NS_SUFFIX ? 'ns' : fileNo}`, offset: ofs, bytes: bytes.slice(p + 12, p + 12 + op) });
      p += 12 + op;
    }
    sections.push({ lsn: i64(bytes, at + 4), writes });
    at += Math.ceil(len / JOURNAL_ALIGNMENT) * JOURNAL_ALIGNMENT;
  }
  return { fileId: fileId.toString(16), sections, torn: false };
}

/** LSNFile { ver, reserved2, lsn, checkbytes = ~lsn, reserved[8] } */
export function encodeLsnFile(lsn: number): Uint8Array {
  const b = new Uint8Array(88);
  putI64(b, 8, lsn);
  const check = ~BigInt(lsn) & 0xffffffffffffffffn;
  putI32(b, 16, Number(check & 0xffffffffn) | 0);
  putI32(b, 20, Number(check >> 32n) | 0);
  return b;
}

export function decodeLsnFile(bytes: Uint8Array): number | null {
  if (bytes.length < 24) return null;
  const lsn = i64(bytes, 8);
  const check = (BigInt(i32(bytes, 20) >>> 0) << 32n) | BigInt(i32(bytes, 16) >>> 0);
  return check === (~BigInt(lsn) & 0xffffffffffffffffn) ? lsn : null;
}

/** recovery: every intent of every section newer than the last flush, in journal order */
export function replayJournal(io: DataFileIO, journals: DecodedJournal[], lastSyncedLsn: number): { sections: number; writes: Write[] } {
  const applied: Write[] = [];
  let sections = 0;
  for (const j of journals) {
    for (const s of j.sections) {
      if (s.lsn <= lastSyncedLsn) continue;
      for (const w of s.writes) {
        io.write(w.file, w.offset, w.bytes);
        applied.push(w);
      }
      sections++;
    }
  }
  return { sections, writes: applied };
}

export const _latin1 = latin1;
