import { STORY_COMMANDS } from '../../../../engine/chapters/ch1/storyContract';
import { newGame, play } from './walkthrough.helpers';

/** Every command the story tells the player to type is a spell this chapter's shell knows. */
describe('the story only names spells that exist', () => {
  const g = newGame(12);
  it.each([...STORY_COMMANDS])('%s', (name) => {
    const [out] = play(g, [`help ${name}`]);
    expect(out).not.toMatch(/no help topics match/);
    expect(out).toMatch(new RegExp(`^${name.replace(/[-]/g, '\\-')} - `, 'm'));
  });
});
