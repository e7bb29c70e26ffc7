import type { ChapterInfo } from '../../api';

/** Chapter 2's title card: what the chapter list shows without loading the chapter. */
export const ch2Info: ChapterInfo = {
  id: '2',
  number: 2,
  title: 'fiNAGLEing',
  blurb: 'Every message a web box hands to the queue daemon next door takes forty milliseconds, and the daemon is doing nothing.',
};
