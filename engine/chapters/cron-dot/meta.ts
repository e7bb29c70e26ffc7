import type { ChapterInfo } from '../../api';

/**
 * The title card `grimoire chapters` and the title screen show without loading the chapter. A
 * chapter that is not the book's takes a number above the book's (from 101): `grimoire play` also
 * finds it by its id, the folder's name.
 */
export const info: ChapterInfo = {
  id: 'cron-dot',
  number: 101,
  title: 'the export that stopped',
  blurb: 'A report box stopped sending its numbers after a deploy. Nothing failed; nothing ran.',
};
