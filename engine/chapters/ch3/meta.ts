import type { ChapterInfo } from '../../api';

/** Chapter 3's title card: what the chapter list shows without loading the chapter. */
export const ch3Info: ChapterInfo = {
  id: '3',
  number: 3,
  title: 'oints',
  blurb: "Last night's backup of a MongoDB secondary will not read back, and the script that took it swears it ran fsync first.",
};
