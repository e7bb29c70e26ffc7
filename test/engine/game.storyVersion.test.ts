import { createGame, restoreGame } from '../../engine/index';
import { blocksToPlainText } from '../../src/text/plain';

/** Mending the story's words must not strand every saved game: a save from another story version plays on. */
describe('a save from another version of the story', () => {
  it('restores and plays on, and saves again under the current story', () => {
    const g = createGame('1', 21);
    g.start();
    g.step('free -m');
    const snap = JSON.parse(JSON.stringify(g.snapshot())) as { storyVersion: string };
    const current = snap.storyVersion;
    snap.storyVersion = '0000older000';
    const back = restoreGame(snap as never);
    expect(blocksToPlainText(back.step('hostname')).length).toBeGreaterThan(0);
    expect((back.snapshot() as { storyVersion: string }).storyVersion).toBe(current);
  });

  it('is refused with a clear message when its place in the story cannot be carried over', () => {
    const g = createGame('1', 21);
    g.start();
    const snap = JSON.parse(JSON.stringify(g.snapshot())) as { storyVersion: string; state: { story: unknown } };
    snap.storyVersion = '0000older000';
    snap.state.story = '{"not":"an ink state"}';
    expect(() => restoreGame(snap as never)).toThrow(/another version of chapter 1's story/);
  });
});
