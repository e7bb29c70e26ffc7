/**
 * Files the player (or a daemon) can change live in the game state as plain JSON, keyed by
 * absolute path. Directories are implied by the paths of the files under them, plus any listed
 * in `dirs` so that empty ones exist too.
 */
export interface StoredFile {
  content: string;
  /** permission bits, e.g. 0o644 */
  mode: number;
  owner: string;
  group: string;
  /** virtual ms since the epoch */
  mtime: number;
  /**
   * a binary file whose bytes the game does not keep (a downloaded package): its size; its
   * content stays empty, so a save keeps only its name and size
   */
  bytes?: number;
}

export interface FileStore {
  files: Record<string, StoredFile>;
  /**
   * directories that exist even when empty, with their mode and owner; `mtime` when one was made
   * while the game ran (mkdir), so it is not older than the box's install
   */
  dirs: Record<string, { mode: number; owner: string; group: string; mtime?: number }>;
}
