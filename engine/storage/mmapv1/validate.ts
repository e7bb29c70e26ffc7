/**
 * The validate command as 2.6 runs it (src/mongo/db/commands/validate.cpp, Extent::validates and
 * Extent::dump in extent.cpp): fields in its order. A record whose bytes do not make a BSONObj
 * raises 10334 inside the scan; the command catches it, says "exception during validate" and skips
 * the rest of that block, as mongod does.
 */
import type { DataFileIO, DiskLoc, MongoAssertion, ValidateResult } from './types';
import { isNull, locString, sameLoc, Tx } from './bytes';
import { invalidSize, isValidObject, MongoAssertionError } from './bsonCheck';
import { allEntries } from './btree';
import { indexNs, openColl, READ_OPTS, recordDataBytes } from './collection';
import { readExtent, type ExtentHeader } from './datafiles';
import { BUCKETS, EXTENT_MAGIC, EXTENT_MIN_SIZE, quantizeAllocationSpace, quantizePowerOf2, REC } from './layout';
import { readDetails } from './nsfile';
import { readRecordHeader, recordLocs } from './recordStore';
import { integerToHex } from './bsonCheck';

const dump = (e: ExtentHeader) => ({
  loc: locString(e.myLoc),
  xnext: locString(e.xnext),
  xprev: locString(e.xprev),
  nsdiag: e.nsDiagnostic,
  size: e.length,
  firstRecord: locString(e.firstRecord),
  lastRecord: locString(e.lastRecord),
});

function extentErrors(e: ExtentHeader, at: DiskLoc): string[] {
  const out: string[] = [];
  const where = locString(at);
  if (e.magic !== EXTENT_MAGIC) out.push(`bad extent signature ${integerToHex(e.magic | 0)} in extent ${where}`);
  if (!sameLoc(e.myLoc, at)) out.push(`extent ${where} self-pointer is ${locString(e.myLoc)}`);
  if (isNull(e.firstRecord) !== isNull(e.lastRecord)) {
    out.push(
      isNull(e.firstRecord)
        ? `in extent ${where}, firstRecord is null but lastRecord is ${locString(e.lastRecord)}`
        : `in extent ${where}, firstRecord is ${locString(e.firstRecord)} but lastRecord is null`,
    );
  }
  if (e.length < EXTENT_MIN_SIZE) out.push(`length of extent ${where} is ${e.length}, which is less than minimum length of ${EXTENT_MIN_SIZE}`);
  return out;
}

/** DiskLoc::questionable */
const questionable = (l: DiskLoc): boolean => l.offset < -1 || l.file < -1 || l.file > 524288;

export interface ValidateOutcome {
  result: ValidateResult;
  /** the assertion the scan hit (mongod logs it), when it hit one */
  assertion?: MongoAssertion;
}

export function validateCollection(io: DataFileIO, db: string, name: string, opts: { full: boolean }): ValidateOutcome {
  const tx = new Tx(io);
  const ns = `${db}.${name}`;
  const c = openColl(tx, db, ns, READ_OPTS);
  if (!c) return { result: { ok: 0, errmsg: 'ns not found' } };
  const full = opts.full;
  const r: ValidateResult = { ns };
  const errors: string[] = [];
  let valid = true;
  let assertion: MongoAssertion | undefined;
  const d = readDetails(tx, db, c.at);
  r.firstExtent = isNull(d.firstExtent) ? 'null' : `${locString(d.firstExtent)} ns:${readExtent(tx, db, d.firstExtent).nsDiagnostic}`;
  r.lastExtent = isNull(d.lastExtent) ? 'null' : `${locString(d.lastExtent)} ns:${readExtent(tx, db, d.lastExtent).nsDiagnostic}`;
  const extents: unknown[] = [];
  let extentCount = 0;
  let at = d.firstExtent;
  const seen = new Set<string>();
  while (!isNull(at) && !seen.has(locString(at))) {
    seen.add(locString(at));
    const e = readExtent(tx, db, at);
    if (full) extents.push(dump(e));
    const errs = extentErrors(e, at);
    if (errs.length) {
      errors.push(...errs);
      valid = false;
    }
    if (extentCount > 0 && !isNull(e.xnext) && !sameLoc(readExtent(tx, db, e.xnext).xprev, at)) {
      errors.push(`'xprev' pointer ${locString(readExtent(tx, db, e.xnext).xprev)} in extent ${locString(e.xnext)} does not point to extent ${locString(at)}`);
      valid = false;
    }
    if (isNull(e.xnext) && !sameLoc(at, d.lastExtent)) {
      errors.push(`'lastExtent' pointer ${locString(d.lastExtent)} does not point to last extent in list ${locString(at)}`);
      valid = false;
    }
    at = e.xnext;
    extentCount++;
  }
  r.extentCount = extentCount;
  if (full) r.extents = extents;
  r.datasize = d.datasize;
  r.nrecords = d.nrecords;
  r.lastExtentSize = d.lastExtentSize;
  r.padding = d.paddingFactor;
  try {
    if (!isNull(d.firstExtent)) {
      const first = readExtent(tx, db, d.firstExtent);
      r.firstExtentDetails = dump(first);
      if (!isNull(first.xprev)) {
        errors.push(`'xprev' pointer in 'firstExtent' ${locString(d.firstExtent)} is ${locString(first.xprev)}, should be null`);
        valid = false;
      }
    }
    if (!isNull(d.lastExtent) && !sameLoc(d.firstExtent, d.lastExtent)) {
      const last = readExtent(tx, db, d.lastExtent);
      r.lastExtentDetails = dump(last);
      if (!isNull(last.xnext)) {
        errors.push(`'xnext' pointer in 'lastExtent' ${locString(d.lastExtent)} is ${locString(last.xnext)}, should be null`);
        valid = false;
      }
    }
    const recs = new Set<string>();
    if (full) {
      let n = 0;
      let nInvalid = 0;
      let nQuantized = 0;
      let nPow2 = 0;
      let len = 0;
      let nlen = 0;
      let bsonLen = 0;
      for (const loc of recordLocs(tx, c)) {
        // the collection scan builds a BSONObj for each record: a bad size asserts here
        const data = recordDataBytes(tx, db, loc);
        const size = data.length >= 4 ? data[0]! | (data[1]! << 8) | (data[2]! << 16) | (data[3]! << 24) : 0;
        if (!(size > 0 && size <= 16 * 1024 * 1024 + 16 * 1024)) {
          const a = invalidSize(data)!;
          throw new MongoAssertionError(a.code, a.message);
        }
        n++;
        recs.add(locString(loc));
        const h = readRecordHeader(tx, db, loc);
        len += h.lengthWithHeaders;
        nlen += h.lengthWithHeaders - REC.headerSize;
        if (h.lengthWithHeaders === quantizeAllocationSpace(h.lengthWithHeaders)) nQuantized++;
        if (h.lengthWithHeaders === quantizePowerOf2(h.lengthWithHeaders - 1)) nPow2++;
        if (!isValidObject(data)) {
          valid = false;
          if (nInvalid === 0) errors.push('invalid bson object detected (see logs for more info)');
          nInvalid++;
        } else bsonLen += size;
      }
      r.objectsFound = n;
      r.invalidObjects = nInvalid;
      r.nQuantizedSize = nQuantized;
      r.nPowerOf2QuantizedSize = nPow2;
      r.bytesWithHeaders = len;
      r.bytesWithoutHeaders = nlen;
      r.bytesBson = bsonLen;
    }
    let ndel = 0;
    let delSize = 0;
    let incorrect = 0;
    const delBucketSizes: number[] = [];
    for (let i = 0; i < BUCKETS; i++) {
      let l = d.deletedList[i]!;
      let k = 0;
      const seenDel = new Set<string>();
      while (!isNull(l) && !seenDel.has(locString(l))) {
        seenDel.add(locString(l));
        if (recs.has(locString(l))) incorrect++;
        ndel++;
        if (questionable(l)) {
          errors.push(`bad pointer in deleted record list: ${locString(l)} bucket: ${i} k: ${k}`);
          valid = false;
          break;
        }
        const h = readRecordHeader(tx, db, l);
        delSize += h.lengthWithHeaders;
        l = tx.loc(`${db}.${l.file}`, l.offset + REC.nextDeleted);
        k++;
      }
      delBucketSizes.push(k);
    }
    r.deletedCount = ndel;
    r.deletedSize = delSize;
    if (full) r.delBucketSizes = delBucketSizes;
    if (incorrect) {
      errors.push(`${incorrect} records from datafile are in deleted list`);
      valid = false;
    }
    r.nIndexes = d.nIndexes;
    const keysPerIndex: Record<string, number> = {};
    const idx = openColl(tx, db, indexNs(ns), READ_OPTS);
    if (idx && d.nIndexes > 0) keysPerIndex[idx.ns] = allEntries(tx, idx, d.indexes[0]!.head).length;
    r.keysPerIndex = keysPerIndex;
  } catch (e) {
    if (!(e instanceof MongoAssertionError)) throw e;
    assertion = e.assertion;
    errors.push('exception during validate');
    valid = false;
  }
  r.valid = valid;
  r.errors = errors;
  if (!full) r.warning = 'Some checks omitted for speed. use {full:true} option to do more thorough scan.';
  if (!valid) r.advice = 'ns corrupt. See http://dochub.mongodb.org/core/data-recovery';
  r.ok = 1;
  return assertion ? { result: r, assertion } : { result: r };
}
