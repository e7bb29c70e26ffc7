/**
 * Files the game writes outside its saves folder (exports, transcripts) go wherever the player
 * names, so the game looks before it writes: a file that is already there is replaced only when
 * it is one of the game's own (an earlier export, an earlier transcript: recognised by how it
 * begins) or when the player said --force. Whatever is not a plain file (a folder, a device, a
 * FIFO, a socket, a symbolic link) is never written to, --force or not: the write would replace
 * the link, not what it points to, or fail halfway.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileDurable, type DurableFs } from './durable';
import { describeFsError, kindOf } from './fsErrors';
import { readHead } from './readLimited';

export interface OwnFileKind {
  /** what one of the game's own files of this kind is called, e.g. 'a grimoire transcript' */
  what: string;
  /** how many bytes from the start of a file are enough to recognise one */
  headBytes: number;
  /** whether a file beginning with `head` is one of the game's own */
  isOurs(head: Buffer): boolean;
}

interface TargetOptions {
  /** replace a plain file even if it is not one of the game's own */
  force?: boolean;
  /** the file as named in messages */
  display: string;
  /** how the player asks for the replacement, e.g. 'transcript --force notes.md' */
  forceHint: string;
  /** the calls the write makes; default the real ones */
  fs?: DurableFs;
}

export type TargetCheck = { ok: true; replaces: boolean } | { ok: false; message: string };

/** A write to a file the game may not replace. The message says why and what to do. */
export class OutputRefusedError extends Error {
  override readonly name = 'OutputRefusedError';
}

/** Whether `file` may be written: it does not exist, or it is a plain file that is ours (or force). Never throws. */
export async function checkOutputTarget(file: string, kind: OwnFileKind, opts: TargetOptions): Promise<TargetCheck> {
  const abs = path.resolve(file);
  const shown = opts.display;
  const refuse = (why: string): TargetCheck => ({ ok: false, message: `${shown} ${why} Nothing was written.` });
  let st;
  try {
    st = await fs.lstat(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return refuse(`cannot be written: ${describeFsError(e)}.`);
    try {
      const dir = await fs.stat(path.dirname(abs));
      if (!dir.isDirectory()) return refuse(`cannot be written: ${path.dirname(file) || '.'} is not a folder.`);
    } catch (e2) {
      return refuse(`cannot be written: its folder ${describeFolder(file)} ${(e2 as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be used (${describeFsError(e2)})`}.`);
    }
    return { ok: true, replaces: false };
  }
  if (st.isSymbolicLink()) {
    return refuse(`is a symbolic link; the game writes only to plain files and will not replace a link (name the file it points to, or pick another name).`);
  }
  if (!st.isFile()) return refuse(`is ${kindOf(st)}, not a plain file; the game will not write to it.`);
  if (opts.force) return { ok: true, replaces: true };
  let head: Buffer | null;
  try {
    head = await readHead(abs, kind.headBytes);
  } catch (e) {
    return refuse(`already exists and could not be read to check what it is (${describeFsError(e)}); the game does not replace files it did not write.`);
  }
  if (head === null) return { ok: true, replaces: false };
  if (kind.isOurs(head)) return { ok: true, replaces: true };
  return refuse(`already exists and is not ${kind.what}; the game does not replace files it did not write. To replace it anyway: ${opts.forceHint}.`);
}

function describeFolder(file: string): string {
  const dir = path.dirname(file);
  return dir === '' || dir === '.' ? 'here' : dir;
}

/** checkOutputTarget, then a durable write (durable.ts). Throws an OutputRefusedError or a DurableWriteError, both in words. */
export async function writeOwnFile(file: string, data: string | Uint8Array, kind: OwnFileKind, opts: TargetOptions): Promise<void> {
  const check = await checkOutputTarget(file, kind, opts);
  if (!check.ok) throw new OutputRefusedError(check.message);
  await writeFileDurable(path.resolve(file), data, { mode: 0o644, display: opts.display, fs: opts.fs });
}
