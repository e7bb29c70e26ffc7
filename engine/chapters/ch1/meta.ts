import type { ChapterInfo } from '../../api';

/** Chapter 1's title card: what the chapter list shows without loading the chapter. */
export const ch1Info: ChapterInfo = {
  id: '1',
  number: 1,
  title: "it's coming from INSIDE THE KERNEL",
  blurb: 'A DNS secondary keeps losing its name server to the OOM killer, yet no process is using much memory.',
};
