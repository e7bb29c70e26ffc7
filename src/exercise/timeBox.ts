/**
 * An exercise's time box, written as people say it ("45m", "1h30m", "90s"), and the clock's
 * remaining time as a player reads it at the prompt ("44:59", "1:29:59").
 */

const MIN_MS = 60_000;
const MAX_MS = 24 * 3600_000;

/** ms, or a message saying what a time box looks like */
export function parseTimeBox(text: string): { ok: true; ms: number } | { ok: false; message: string } {
  const m = /^(?:(\d{1,3})h)?(?:(\d{1,4})m)?(?:(\d{1,5})s)?$/.exec(text.trim());
  if (!m || text.trim() === '') return { ok: false, message: `'${text}' is not a time box: write hours, minutes and seconds as 45m, 1h30m or 90s` };
  const ms = (Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)) * 1000;
  if (ms < MIN_MS) return { ok: false, message: `a time box of ${text} is too short: at least 1m` };
  if (ms > MAX_MS) return { ok: false, message: `a time box of ${text} is too long: at most 24h` };
  return { ok: true, ms };
}

/** 44:59 or 1:29:59, rounded up to the second (the clock shows 0:00 only once time is up) */
export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** 45m, 1h30m, 2m5s: the shortest way to say a duration of whole seconds */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts = [h ? `${h}h` : '', m ? `${m}m` : '', s ? `${s}s` : ''].join('');
  return parts === '' ? '0s' : parts;
}
