/** The store's public types (index.ts re-exports them; modules import them from here). */
import type { Document } from 'bson';

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
  /** the header's fileId as hex text (what encodeJournalHeader and encodeJournalSection take) */
  fileId: string;
  sections: JournalSection[];
  /** the file ended in the middle of a section, or a section's checksum failed (replay stops there) */
  torn: boolean;
}

