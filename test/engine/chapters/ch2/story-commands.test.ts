import { blocksToPlainText } from '../../../../src/text/plain';
import { createGame } from '../../../../engine/index';
import { STORY_COMMANDS } from '../../../../engine/chapters/ch2/storyContract';

/** Every command Chapter 2's story tells the player to type is a spell this chapter's shell knows. */
describe('the story only names spells that exist', () => {
  const g = createGame('2', 12);
  g.start();
  // `time` is bash's keyword (it has no help topic here): it must time a pipeline
  it('time', () => {
    expect(blocksToPlainText(g.step('time publish'))).toMatch(/^real\t0m0\.\d{3}s$/m);
  });
  // `download` belongs to the front ends, which write the file (test/src covers it through grimoire play)
  it.each([...STORY_COMMANDS].filter((c) => c !== 'time' && c !== 'download'))('%s', (name) => {
    const out = blocksToPlainText(g.step(`help ${name}`));
    expect(out).not.toMatch(/no help topics match/);
    expect(out).toMatch(new RegExp(`^${name.replace(/[-]/g, '\\-')} - `, 'm'));
  });
});
