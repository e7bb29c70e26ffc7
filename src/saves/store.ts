/**
 * Where saves live. Small on purpose: a Discord front end keeps one store per player, and a
 * shared (database) store can implement the same six methods later. FsSaveStore (fsStore.ts)
 * is the default.
 */
import type { DecodeFailureReason, SaveContent, SaveData } from './envelope';
import type { LoggedStep } from './stepLog';

export type { SaveData } from './envelope';

/** Why a file could not be used: a decode failure, or the file could not be read at all. */
export type SaveProblemReason = DecodeFailureReason | 'missing' | 'unreadable';

export interface SaveProblem {
  slot: string;
  /** the file as shown to the player, e.g. 'saves/slot1.json' */
  file: string;
  reason: SaveProblemReason;
  /** names the file; says what is wrong */
  message: string;
}

/** One line of a save list. */
export interface SaveInfo {
  slot: string;
  chapter: string;
  chapterTitle: string;
  progress: string;
  virtualTime: string;
  hints: number;
  spells: number;
  savedAt: string;
  /** the file the information came from (the backup when the main file is damaged) */
  file: string;
  /** set when the slot's main file is damaged and this entry comes from its previous good copy */
  recoveredFrom?: SaveProblem;
}

export type ReadResult =
  /** the slot's file is good */
  | { status: 'ok'; slot: string; save: SaveData; file: string }
  /**
   * The slot's file is damaged (or gone) but its previous good copy is fine: `save` is that copy,
   * `file` its path, `problem` what is wrong with the main file, `message` says both. The damaged
   * file is left as it is.
   */
  | { status: 'recovered'; slot: string; save: SaveData; file: string; problem: SaveProblem; message: string }
  /** the slot's file is damaged and there is no good copy; nothing was changed */
  | { status: 'damaged'; slot: string; problem: SaveProblem; backupProblem: SaveProblem | null; message: string }
  /** there is no such save */
  | { status: 'missing'; slot: string; message: string };

export interface SaveScan {
  /** newest first */
  saves: SaveInfo[];
  /** slots with no usable copy at all */
  damaged: SaveProblem[];
}

/** What write() takes: the content, and the time unless the store should stamp it. */
export type SaveInput = SaveContent & { savedAt?: string };

export interface WriteOptions {
  /**
   * What to do when the slot holds a file this grimoire cannot read (made by a newer grimoire,
   * damaged, foreign, not a plain file): such a file is never replaced or moved. 'refuse' (the
   * default) throws a SaveWriteError saying so; 'divert' writes to a new slot instead and says
   * which in the report.
   */
  ifUnusable?: 'refuse' | 'divert';
}

/** A save of another game that was in the way, moved to a slot of its own before the write. */
export interface ArchivedSave {
  /** the slot it was in */
  from: string;
  /** the slot it is in now */
  slot: string;
  savedAt: string;
  meta: SaveData['meta'];
}

export interface WriteReport {
  /** what was written; save.slot is the slot it went to */
  save: SaveData;
  /** saves of other games moved out of the way first (at most one per write) */
  archived: ArchivedSave[];
  /** set when the slot asked for held a file that cannot be read, and the save went to save.slot instead */
  diverted: { from: string; problem: SaveProblem } | null;
  /** what spells logged after this save name it by (appendSteps), when the store logs spells */
  base?: string;
}

export interface SaveStore {
  /** every usable save, newest first; damaged slots are left out (see scan) */
  list(): Promise<SaveInfo[]>;
  /** list() plus the slots that could not be used, with why */
  scan(): Promise<SaveScan>;
  read(slot: string): Promise<ReadResult>;
  /**
   * Replaces the slot atomically, keeping the previous good save as its backup. A save of another
   * game in the slot is first moved to a slot of its own; a file that cannot be read is never
   * replaced (see WriteOptions).
   */
  write(slot: string, save: SaveInput, opts?: WriteOptions): Promise<WriteReport>;
  remove(slot: string): Promise<void>;
  /**
   * Durably logs spells cast after the slot's save, the one written with this `base`
   * (WriteReport.base): a read of the slot plays them again. False, with nothing changed, when the
   * slot's save is not that one any more or the log cannot be kept; the caller then writes the
   * save whole. Optional: a store without it is always written whole.
   */
  appendSteps?(slot: string, base: string, steps: readonly LoggedStep[]): Promise<boolean>;
  /** the newest usable save (the autosave included), or null */
  latest(): Promise<SaveInfo | null>;
}

export function compareNewestFirst(a: SaveInfo, b: SaveInfo): number {
  const ta = Date.parse(a.savedAt);
  const tb = Date.parse(b.savedAt);
  if (ta !== tb) return tb - ta;
  return a.slot < b.slot ? -1 : a.slot > b.slot ? 1 : 0;
}

/** what a list shows of a save: a whole save, or only the header a listing reads */
export function saveInfoOf(save: Pick<SaveData, 'meta' | 'savedAt'>, slot: string, file: string, recoveredFrom?: SaveProblem): SaveInfo {
  const m = save.meta;
  return {
    slot,
    chapter: m.chapter,
    chapterTitle: m.chapterTitle,
    progress: m.progress,
    virtualTime: m.virtualTime,
    hints: m.hints,
    spells: m.spells,
    savedAt: save.savedAt,
    file,
    ...(recoveredFrom ? { recoveredFrom } : {}),
  };
}
