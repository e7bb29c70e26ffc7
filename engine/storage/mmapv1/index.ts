/**
 * An MMAPv1-style store (MongoDB 2.6's only storage engine) over files the caller supplies.
 *
 * Everything is read from and written to the bytes behind a `DataFileIO`: there is no in-memory
 * copy of the catalog or the records, so a torn image (some pages new, some old) is read exactly as
 * it lies, and the errors come out of those bytes (BSONObj::valid's 10334, index entries pointing
 * at records that are not there, validate's findings).
 *
 * File names passed to the IO are relative to the dbpath: `events.ns`, `events.0`, `events.1`...
 * Journal files (`j._0`, `lsn`) are encoded and decoded here; writing them is the caller's job.
 *
 * THIS FILE IS THE CONTRACT for engine/machine/mongo (C2). Signatures are declared first and
 * implemented module by module; they stay stable.
 */
import type { Document, ObjectId } from 'bson';

/** how the store reaches its files (the chapter maps it onto the page cache, tests onto a Map) */
export interface DataFileIO {
  /** `len` bytes at `offset`; bytes past the end of the file, or of a missing file, read as zeros */
  read(file: string, offset: number, len: number): Uint8Array;
  /** write bytes at offset, extending the file if needed */
  write(file: string, offset: number, bytes: Uint8Array): void;
  /** the file's length in bytes; 0 when it does not exist */
  size(file: string): number;
  /**
   * make the file `size` bytes long, zero-filled, without writing its pages (mongod preallocates
   * data files with posix_fallocate); when absent, the store writes one zero byte at the end
   */
  allocate?(file: string, size: number): void;
}

/** one byte range written, in the order mongod writes them (what the journal records as an intent) */
export interface Write {
  file: string;
  offset: number;
  bytes: Uint8Array;
}

/** a record's place: data file number and byte offset of its 16-byte header (MongoDB's DiskLoc) */
export interface DiskLoc {
  file: number;
  offset: number;
}

/** an assertion as mongod reports it: `{ code: 10334, message: "BSONObj size: ..." }` */
export interface MongoAssertion {
  code: number;
  message: string;
}

/** thrown by readers; `assertion` is the plain object C2 prints as the server's error */
export declare class MongoAssertionError extends Error {
  readonly code: number;
  readonly assertion: MongoAssertion;
  constructor(code: number, message: string);
}

export interface StoreOptions {
  /** mongod --smallfiles: data files start at 16 MiB (not 64 MiB) and max out at 512 MiB */
  smallfiles: boolean;
}

export interface CollectionOptions {
  /** 2.6 default true (record sizes rounded up to powers of two); false = 2.4-style padding factor */
  usePowerOf2Sizes?: boolean;
}

export interface OpResult {
  /** false when update/remove found no document with that _id */
  found: boolean;
  /** where the document now lives (insert, update) */
  loc?: DiskLoc;
  /** an update that outgrew its record and moved */
  moved?: boolean;
  /** every byte range this logical operation wrote, in mongod's order; already applied to the IO */
  writes: Write[];
}

export interface ScanOptions {
  skip?: number;
  limit?: number;
}

/** a collection scan in natural order; stops at the first bad record with the server's assertion */
export interface ScanResult {
  docs: Document[];
  error?: MongoAssertion;
}

/** mongodump's output for one collection */
export interface DumpResult {
  /** the documents as concatenated BSON, as `<coll>.bson` holds them (up to the bad record) */
  bson: Uint8Array;
  /** `<coll>.metadata.json` as mongodump 2.6 writes it */
  metadata: string;
  /** documents written */
  count: number;
  /** set when the dump stopped on a bad record */
  error?: MongoAssertion;
}

/** validate's reply, fields in 2.6's order (see validate.ts for the sources) */
export type ValidateResult = Record<string, unknown>;

/** one section of the journal: a group commit's write intents, with its sequence number (LSN) */
export interface JournalSection {
  lsn: number;
  writes: Write[];
}

export interface DecodedJournal {
  fileId: string;
  sections: JournalSection[];
  /** the file ended in the middle of a section, or a section's checksum failed (replay stops there) */
  torn: boolean;
}

// ---- files and catalog ----
/** create `<db>.ns` and `<db>.0` (preallocated, headers written); returns the writes */
export declare function createDatabase(io: DataFileIO, db: string, opts: StoreOptions): Write[];
export declare function databaseExists(io: DataFileIO, db: string): boolean;
/** the database's files in creation order: `events.ns`, `events.0`, `events.1`... */
export declare function databaseFiles(io: DataFileIO, db: string): string[];
/** create a collection and its `_id` index (system.namespaces and system.indexes entries too) */
export declare function createCollection(io: DataFileIO, db: string, coll: string, opts?: CollectionOptions): Write[];
/** collection names (without the db prefix), system collections included, in catalog order */
export declare function listCollections(io: DataFileIO, db: string): string[];

// ---- writes (each creates the database and collection first if missing, as mongod does) ----
/** `doc` must carry its `_id` (build ObjectIds with `objectIdAt`, never with the package's generator) */
export declare function insert(io: DataFileIO, db: string, coll: string, doc: Document, opts: StoreOptions): OpResult;
/** replace the document with this `_id` by `doc` (same `_id`); in place when it fits, else moved */
export declare function update(io: DataFileIO, db: string, coll: string, id: unknown, doc: Document, opts: StoreOptions): OpResult;
export declare function remove(io: DataFileIO, db: string, coll: string, id: unknown): OpResult;

// ---- reads (throw MongoAssertionError where mongod would assert) ----
export declare function scan(io: DataFileIO, db: string, coll: string, opts?: ScanOptions): ScanResult;
/** the _id index lookup then the record fetch; null when the key is not in the index */
export declare function findById(io: DataFileIO, db: string, coll: string, id: unknown): Document | null;
/** the namespace's record count (what count() with no query answers: no scan) */
export declare function count(io: DataFileIO, db: string, coll: string): number;
export declare function validate(io: DataFileIO, db: string, coll: string, opts: { full: boolean }): ValidateResult;
export declare function dumpCollection(io: DataFileIO, db: string, coll: string): DumpResult;

// ---- journal (MMAPv1's j._N and lsn files) ----
export declare function encodeJournalHeader(fileId: string, dbpath: string): Uint8Array;
export declare function encodeJournalSection(section: JournalSection, fileId: string): Uint8Array;
export declare function decodeJournal(bytes: Uint8Array): DecodedJournal;
export declare function encodeLsnFile(lsn: number): Uint8Array;
/** null when the lsn file is missing or fails its check bytes */
export declare function decodeLsnFile(bytes: Uint8Array): number | null;
/** apply the intents of sections with lsn > lastSyncedLsn, in order; returns what was applied */
export declare function replayJournal(io: DataFileIO, journals: DecodedJournal[], lastSyncedLsn: number): { sections: number; writes: Write[] };

// ---- helpers ----
/** a 2015-style ObjectId: 4-byte seconds, 3-byte machine, 2-byte pid, 3-byte counter (from the caller's RNG) */
export declare function objectIdAt(seconds: number, machine: number, pid: number, counter: number): ObjectId;
/** a DataFileIO over a Map of buffers (tests, scratch copies) */
export declare function memoryIO(files?: Map<string, Uint8Array>): DataFileIO & { files: Map<string, Uint8Array> };
