import { ExerciseClock } from '../../../src/exercise/clock';
import { FakeClock } from './helpers';

test('the clock runs from start, stops while paused, and expires at the box', () => {
  const wall = new FakeClock();
  const c = new ExerciseClock(wall.now, 10 * 60_000);
  wall.advance(5000);
  expect(c.elapsed()).toBe(0);
  expect(c.expired()).toBe(false);
  c.start();
  wall.advance(4 * 60_000);
  expect(c.remaining()).toBe(6 * 60_000);
  expect(c.pause()).toBe(true);
  expect(c.pause()).toBe(false);
  wall.advance(60 * 60_000);
  expect(c.paused).toBe(true);
  expect(c.remaining()).toBe(6 * 60_000);
  expect(c.resume()).toBe(true);
  expect(c.resume()).toBe(false);
  wall.advance(6 * 60_000 - 1);
  expect(c.expired()).toBe(false);
  wall.advance(1);
  expect(c.expired()).toBe(true);
  expect(c.remaining()).toBe(0);
  wall.advance(60_000);
  expect(c.elapsed()).toBe(10 * 60_000);
});
