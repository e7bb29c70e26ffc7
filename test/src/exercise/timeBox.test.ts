import { formatDuration, formatRemaining, parseTimeBox } from '../../../src/exercise/timeBox';

test('time boxes as people write them', () => {
  expect(parseTimeBox('45m')).toEqual({ ok: true, ms: 2_700_000 });
  expect(parseTimeBox('1h30m')).toEqual({ ok: true, ms: 5_400_000 });
  expect(parseTimeBox('90s')).toEqual({ ok: true, ms: 90_000 });
  expect(parseTimeBox('1h')).toEqual({ ok: true, ms: 3_600_000 });
  expect(parseTimeBox('24h')).toEqual({ ok: true, ms: 86_400_000 });
  expect(parseTimeBox('')).toEqual({ ok: false, message: "'' is not a time box: write hours, minutes and seconds as 45m, 1h30m or 90s" });
  expect(parseTimeBox('30m1h').ok).toBe(false);
  expect(parseTimeBox('59s')).toEqual({ ok: false, message: 'a time box of 59s is too short: at least 1m' });
  expect(parseTimeBox('24h1s')).toEqual({ ok: false, message: 'a time box of 24h1s is too long: at most 24h' });
});

test('the clock as the prompt shows it, rounded up to the second', () => {
  expect(formatRemaining(45 * 60_000)).toBe('45:00');
  expect(formatRemaining(45 * 60_000 - 1)).toBe('45:00');
  expect(formatRemaining(59_001)).toBe('1:00');
  expect(formatRemaining(5_400_000 - 1000)).toBe('1:29:59');
  expect(formatRemaining(0)).toBe('0:00');
  expect(formatRemaining(-5)).toBe('0:00');
});

test('durations, shortest first', () => {
  expect(formatDuration(0)).toBe('0s');
  expect(formatDuration(125_000)).toBe('2m5s');
  expect(formatDuration(5_400_000)).toBe('1h30m');
});
