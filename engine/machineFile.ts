/**
 * `download PATH [LOCAL]`: the bytes of one file of the simulated machine, for the front end to
 * write on the player's own disk. Read as the player's login user, as `cat` would read it. A file
 * the machine stores as bytes (a pcap tcpdump -w wrote: one char per byte, its `bytes` count set)
 * comes out as those bytes, as does every file of a block filesystem (read one char per byte);
 * text comes out as UTF-8.
 */
import type { MachineFile } from './api';
import type { Vfs } from './shell/types';
import { errnoMessage } from './vfs/errno';
import { normalizePath } from './vfs/path';
import type { FileStore } from './vfs/store';

function utf8(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return Uint8Array.from(out);
}

/** the VFS, and whether a file's text is one char per byte (a block filesystem's: see VfsProvider.binary) */
type DownloadVfs = Vfs & { holdsBytes?(path: string): boolean };

export function machineFile(fs: DownloadVfs, files: FileStore, user: string, cwd: string, home: string, path: string): MachineFile {
  if (path === '') return { ok: false, message: 'download: which file? (download PATH [LOCAL])' };
  const abs = normalizePath(path === '~' ? home : path.startsWith('~/') ? `${home}/${path.slice(2)}` : path, cwd);
  const st = fs.stat(abs);
  if (!st.ok) return { ok: false, message: `download: ${path}: ${errnoMessage(st.errno)}` };
  if (st.value.type === 'dir') return { ok: false, message: `download: ${path}: Is a directory (download takes one file)` };
  const r = fs.read(abs, user);
  if (!r.ok) return { ok: false, message: `download: ${path}: ${errnoMessage(r.errno)}` };
  const stored = files.files[abs];
  if (stored?.bytes !== undefined) {
    if (stored.content.length !== stored.bytes) {
      return { ok: false, message: `download: ${path}: the machine keeps only this file's name and size (${stored.bytes} bytes), not its contents` };
    }
    return { ok: true, path: abs, bytes: Uint8Array.from(stored.content, (ch) => ch.charCodeAt(0) & 0xff) };
  }
  if (fs.holdsBytes?.(abs)) return { ok: true, path: abs, bytes: Uint8Array.from(r.value, (ch) => ch.charCodeAt(0) & 0xff) };
  return { ok: true, path: abs, bytes: utf8(r.value) };
}
