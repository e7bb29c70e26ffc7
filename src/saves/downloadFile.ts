/**
 * `download PATH [LOCAL]`: a file of the simulated machine (a pcap from tcpdump -w, a log) written
 * to the player's own disk, with the checks export makes (ownFiles.ts): never through a link or
 * into a folder, a device or a FIFO, and an existing file replaced only with --force, since the
 * game cannot tell its own downloads from the player's files by what they hold.
 */
import * as path from 'node:path';
import type { GameHandle } from '../../engine/index';
import type { DurableFs } from './durable';
import { writeOwnFile, type OwnFileKind } from './ownFiles';

const DOWNLOAD_FILE: OwnFileKind = {
  what: 'one of the game’s own files',
  headBytes: 0,
  isOurs: () => false,
};

/** writes the machine's file; a message for the player on success, an error (in words) otherwise */
export async function downloadMachineFile(game: GameHandle, remote: string, local: string | undefined, opts: { force?: boolean; fs?: DurableFs } = {}): Promise<string> {
  const f = game.machineFile(remote);
  if (!f.ok) throw new Error(f.message.replace(/^download: /, ''));
  const target = local ?? path.posix.basename(f.path);
  const hint = `download --force ${remote} ${target}`;
  await writeOwnFile(path.resolve(target), f.bytes, DOWNLOAD_FILE, { force: opts.force, display: target, forceHint: hint, fs: opts.fs });
  return `Downloaded ${f.path} (${f.bytes.length} bytes) to ${target}.`;
}
