import * as path from 'node:path';

/** A path as the player is shown it: relative to where they are when it lies below, else in full. */
export function relativeToCwd(absolutePath: string): string {
  const rel = path.relative(process.cwd(), absolutePath);
  return rel.length > 0 && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : absolutePath;
}
