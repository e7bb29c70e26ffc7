/**
 * MMAPv1's on-disk structures as MongoDB 2.6 lays them out (all little-endian, #pragma pack(1)).
 * Sources: mongodb/mongo src/mongo/db/storage/data_file.h, extent.h, record.h,
 * src/mongo/db/structure/catalog/namespace_details.h, namespace.h, hashtab.h, btree/btree_ondisk.h
 * (see docs/sources.md, "MMAPv1 store").
 */

/** DataFileHeader: version, versionMinor, fileLength, DiskLoc unused, unusedLength, reserved; 8 KiB */
export const DF = { version: 0, versionMinor: 4, fileLength: 8, unused: 12, unusedLength: 20, headerSize: 8192 } as const;
/** PDFILE_VERSION and PDFILE_VERSION_MINOR_22_AND_OLDER (what 2.6 writes into a new file) */
export const PDFILE_VERSION = 4;
export const PDFILE_VERSION_MINOR = 5;

/** Extent header (176 bytes) */
export const EXT = {
  magic: 0, myLoc: 4, xnext: 12, xprev: 20, nsDiagnostic: 28, length: 156, firstRecord: 160, lastRecord: 168, headerSize: 176,
} as const;
/** 'DCBA' read as a little-endian unsigned */
export const EXTENT_MAGIC = 0x41424344;

/** Record header (16 bytes); a DeletedRecord shares the first two fields, then DiskLoc nextDeleted */
export const REC = { lengthWithHeaders: 0, extentOfs: 4, nextOfs: 8, prevOfs: 12, headerSize: 16, nextDeleted: 8 } as const;

/** NamespaceDetails (496 bytes), offsets from namespace_details.h's own comments */
export const NS_DETAILS = {
  firstExtent: 0, lastExtent: 8, deletedList: 16, datasize: 168, nrecords: 176, lastExtentSize: 184, nIndexes: 188,
  indexes: 192, isCapped: 352, maxDocsInCapped: 356, paddingFactor: 360, systemFlags: 368, capExtent: 372,
  capFirstNewRecord: 380, dataFileVersion: 388, indexFileVersion: 390, multiKeyIndexBits: 392, reservedA: 400,
  extraOffset: 408, indexBuildsInProgress: 416, userFlags: 420, size: 496,
} as const;
/** IndexDetails: DiskLoc head (the btree root), DiskLoc info (its spec document in system.indexes) */
export const IDX = { head: 0, info: 8, size: 16 } as const;
export const BUCKETS = 19;
export const MAX_BUCKET = 18;
export const BUCKET_SIZES = [
  0x20, 0x40, 0x80, 0x100, 0x200, 0x400, 0x800, 0x1000, 0x2000, 0x4000, 0x8000, 0x10000, 0x20000, 0x40000, 0x80000,
  0x100000, 0x200000, 0x400000, 0x1000000,
];
export const FLAG_HAVE_ID_INDEX = 1;
export const FLAG_USE_POWER_OF_2_SIZES = 1;

/** the .ns file: a hash table of nodes { int hash; Namespace key (128 chars); NamespaceDetails } */
export const NS_NODE = { hash: 0, key: 4, details: 132, size: 628 } as const;
export const NS_NAME_LEN = 128;
/** --nssize default: 16 MiB whatever --smallfiles says */
export const NS_FILE_BYTES = 16 * 1024 * 1024;

/** deleted list bucket for a size: the first bucket larger than it (NamespaceDetails::bucket) */
export function bucketOf(size: number): number {
  for (let i = 0; i < BUCKETS; i++) if (BUCKET_SIZES[i]! > size) return i;
  return MAX_BUCKET;
}
/** NamespaceDetails::quantizeAllocationSpace: round up to 1/16 of the bucket size */
export function quantizeAllocationSpace(allocSize: number): number {
  const bucketSize = BUCKET_SIZES[bucketOf(allocSize)]!;
  const unit = allocSize >= 1 << 22 ? 1 << 18 : bucketSize / 16;
  if (allocSize % unit === 0) return allocSize;
  return (allocSize | (unit - 1)) + 1;
}
/** NamespaceDetails::quantizePowerOf2AllocationSpace */
export function quantizePowerOf2(allocSize: number): number {
  const size = BUCKET_SIZES[bucketOf(allocSize)]!;
  if (size === BUCKET_SIZES[MAX_BUCKET]) return 1 + (allocSize | ((1 << 20) - 1));
  return size;
}

/** DataFile::defaultSize: 64 MiB << fileNo up to file 4, then 0x7ff00000; a quarter with --smallfiles */
export function dataFileSize(fileNo: number, smallfiles: boolean): number {
  const size = fileNo <= 4 ? (64 * 1024 * 1024) * 2 ** fileNo : 0x7ff00000;
  return smallfiles ? Math.floor(size / 4) : size;
}

/** Extent::minSize and Extent::maxSize (DataFile::maxSize less the file header) */
export const EXTENT_MIN_SIZE = 0x1000;
export const extentMaxSize = (smallfiles: boolean): number => (smallfiles ? 0x7ff00000 >> 2 : 0x7ff00000) - 8192 - 16;
/** ExtentManager::quantizeExtentSize: whole 4 KiB pages */
export function quantizeExtentSize(size: number, max: number): number {
  if (size === max) return size;
  const q = (size + 0xfff) & 0xfffff000;
  return q > max ? max : q < EXTENT_MIN_SIZE ? EXTENT_MIN_SIZE : q;
}
/** Extent::initialSize */
export function initialExtentSize(len: number, max: number): number {
  const sz = len < 1000 ? len * 64 : len * 16;
  if (sz >= max) return max;
  if (sz <= EXTENT_MIN_SIZE) return EXTENT_MIN_SIZE;
  return quantizeExtentSize(sz, max);
}
/** Extent::followupSize */
export function followupExtentSize(len: number, lastExtentLen: number, max: number): number {
  const x = initialExtentSize(len, max);
  const y = Math.floor(lastExtentLen < 4000000 ? lastExtentLen * 4.0 : lastExtentLen * 1.35);
  const sz = y > x ? y : x;
  if (sz < lastExtentLen || sz > max) return max;
  return quantizeExtentSize(sz, max);
}

/** btree buckets: one 8 KiB record each (BtreeBucket's BucketSize includes the record header) */
export const BTREE_BUCKET_RECORD = 8192;
