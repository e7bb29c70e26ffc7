/**
 * mongod 2.6's log lines: the time in its default iso8601-local form (milliseconds and the zone's
 * offset, +0000 on a box kept in UTC), the thread's name in brackets, the message:
 * `2015-05-12T03:00:01.234+0000 [conn42] end connection 127.0.0.1:51234 (1 connection now open)`.
 * The mongo shell's own log() lines (a failed connect, a JavaScript error) carry the same
 * stamp without a thread.
 */

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** 2.6's iso8601-local timestamp on a UTC box */
export function mongoStamp(t: number): string {
  const d = new Date(Math.floor(t));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}+0000`;
}

/** one line of mongod's log, its newline included */
export function mongodLogLine(t: number, thread: string, message: string): string {
  return `${mongoStamp(t)} [${thread}] ${message}\n`;
}

/** a line the shell logs (no thread), its newline included */
export function shellLogLine(t: number, message: string): string {
  return `${mongoStamp(t)} ${message}\n`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * OpTime::toStringLong: time_t_to_String_short (ctime's "May 12 03:12:00") then the seconds and
 * the increment in hex, as the RS102 lines print an optime.
 */
export function optimeLong(secs: number, inc: number): string {
  const d = new Date(secs * 1000);
  return `${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${secs.toString(16)}:${inc.toString(16)}`;
}
