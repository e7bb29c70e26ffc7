import type { FileStore } from './store';
import { byteLength } from './utf8';

/**
 * What the stored files take: blocks on the device they live on, and room in the saved game.
 *
 * Every file the player (or a daemon) writes is kept in the save as JSON, so besides the disk's
 * own limit (see machine/disk.ts) the files as a whole have a quota: STORE_QUOTA characters of
 * JSON. A few MiB of text is far more than any plausible game writes (a dmesg dump is 100 KB),
 * and it keeps a save far below the 64 MiB a save file may be. Past it a write fails with EDQUOT,
 * "Disk quota exceeded", as on a box with quotas; `> FILE` makes room again.
 */
export const STORE_QUOTA = 8 * 1024 * 1024;
/** what one file costs in the save before its content: its path, mode, owner, group and mtime */
const FILE_OVERHEAD = 96;

/** 1K blocks a file of `bytes` takes on an ext4 or tmpfs filesystem with 4 KiB blocks */
export function blocksKb(bytes: number): number {
  return Math.ceil(bytes / 4096) * 4;
}

/** Characters the text takes in the save's JSON: as JSON.stringify escapes it, without the quotes. */
export function keptLength(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20) n += c === 0x08 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d ? 1 : 5;
    else if (c === 0x22 || c === 0x5c) n += 1;
    else if (c >= 0xd800 && c <= 0xdfff) {
      // a lone surrogate is written as \udxxx
      const pair = c <= 0xdbff ? text.charCodeAt(i + 1) : text.charCodeAt(i - 1);
      const paired = c <= 0xdbff ? pair >= 0xdc00 && pair <= 0xdfff : pair >= 0xd800 && pair <= 0xdbff;
      if (!paired) n += 5;
    }
  }
  return n;
}

/** What one file takes. */
export interface FileCost {
  bytes: number;
  /** characters in the save, its path and metadata included */
  kept: number;
}

export function fileCost(path: string, content: string): FileCost {
  return { bytes: byteLength(content), kept: FILE_OVERHEAD + path.length + keptLength(content) };
}

export interface StoreMeasure {
  /** characters all stored files take in the save */
  kept: number;
  /** 1K blocks the stored files under each mount point take (see mountOf) */
  blocksKb: Record<string, number>;
  /** stored files under each mount point */
  files: Record<string, number>;
}

/**
 * Measures a store, remembering each file's cost for as long as its content stays the same
 * string: a write measures the store again without reading every file again.
 */
export class StoreMeter {
  private costs = new Map<string, { content: string; cost: FileCost }>();

  constructor(private readonly mountOf: (path: string) => string = () => '/') {}

  costOf(path: string, content: string): FileCost {
    const known = this.costs.get(path);
    if (known && known.content === content) return known.cost;
    const cost = fileCost(path, content);
    this.costs.set(path, { content, cost });
    return cost;
  }

  /** A file was just written with this content, whose cost the writer worked out. */
  remember(path: string, content: string, cost: FileCost): void {
    this.costs.set(path, { content, cost });
  }

  measure(store: FileStore): StoreMeasure {
    const seen = new Map<string, { content: string; cost: FileCost }>();
    const m: StoreMeasure = { kept: 0, blocksKb: {}, files: {} };
    for (const path in store.files) {
      const file = store.files[path]!;
      const content = file.content;
      const cost = this.costOf(path, content);
      seen.set(path, { content, cost });
      m.kept += cost.kept;
      const mount = this.mountOf(path);
      m.blocksKb[mount] = (m.blocksKb[mount] ?? 0) + blocksKb(file.bytes ?? cost.bytes);
      m.files[mount] = (m.files[mount] ?? 0) + 1;
    }
    // files that are gone are forgotten
    this.costs = seen;
    return m;
  }
}
