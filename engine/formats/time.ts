/**
 * Calendar and clock text for every tool. The box runs in UTC, so all conversions go through
 * new Date(ms) with explicit UTC getters; nothing here reads the host clock.
 */
import { rpad, zpad } from './printf';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const WEEKDAYS_LONG = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const MONTHS_LONG = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
] as const;

interface UtcFields {
  year: number;
  /** 0..11 */
  month: number;
  /** 1..31 */
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday */
  weekday: number;
  /** 0..365, like struct tm's tm_yday */
  yday: number;
}

/** Breaks virtual ms since the epoch into calendar fields, truncating to whole seconds as time_t does. */
function utcFields(ms: number): UtcFields {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  const startOfYear = Date.UTC(d.getUTCFullYear(), 0, 1);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth(),
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
    yday: Math.floor((d.getTime() - startOfYear) / 86400000),
  };
}

/** HH:MM:SS */
export function clock(ms: number): string {
  const f = utcFields(ms);
  return `${zpad(f.hour, 2)}:${zpad(f.minute, 2)}:${zpad(f.second, 2)}`;
}

/** ctime(3) without the newline: "Sat Mar  4 03:12:01 2015" (day space-padded). */
export function ctime(ms: number): string {
  const f = utcFields(ms);
  return `${WEEKDAYS[f.weekday]} ${MONTHS[f.month]} ${rpad(f.day, 2)} ${clock(ms)} ${f.year}`;
}

/** rsyslog's traditional timestamp: "Mar  4 03:12:01". */
export function syslogTimestamp(ms: number): string {
  const f = utcFields(ms);
  return `${MONTHS[f.month]} ${rpad(f.day, 2)} ${clock(ms)}`;
}

/** printk's "[%5lu.%06lu]" stamp from ms since boot; printk truncates nanoseconds to microseconds. */
export function kernelTimestamp(sinceBootMs: number): string {
  const usec = Math.floor(Math.round(sinceBootMs * 1e6) / 1000);
  const sec = Math.floor(usec / 1000000);
  return `[${rpad(sec, 5)}.${zpad(usec - sec * 1000000, 6)}]`;
}

function isoWeek(f: UtcFields): { year: number; week: number } {
  const wdayMon = (f.weekday + 6) % 7;
  const thursday = Date.UTC(f.year, f.month, f.day) + (3 - wdayMon) * 86400000;
  const ty = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(ty, 0, 1)) / (7 * 86400000)) + 1;
  return { year: ty, week };
}

/**
 * strftime(3) for the C/UTC locale, with GNU's flag characters ('-' no pad, '_' space pad,
 * '0' zero pad, '^' upper case). Unknown conversions are copied through as glibc does.
 */
export function strftime(format: string, ms: number): string {
  const f = utcFields(ms);
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== '%' || i + 1 >= format.length) {
      out += c;
      continue;
    }
    let j = i + 1;
    let flag = '';
    while ('-_0^#'.includes(format[j]) && j < format.length - 1) flag += format[j++];
    let width = '';
    while (/[0-9]/.test(format[j]) && j < format.length - 1) width += format[j++];
    const conv = format[j];
    i = j;
    const num = (v: number, w: number, pad: '0' | ' ' = '0'): string => {
      const p = flag.includes('-') ? '' : flag.includes('_') ? ' ' : flag.includes('0') ? '0' : pad;
      const ww = width ? Number(width) : w;
      return p === '' ? String(v) : String(v).padStart(ww, p);
    };
    const str = (s: string): string => {
      const t = flag.includes('^') ? s.toUpperCase() : s;
      return width ? t.padStart(Number(width), flag.includes('0') ? '0' : ' ') : t;
    };
    const hour12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
    switch (conv) {
      case '%': out += '%'; break;
      case 'a': out += str(WEEKDAYS[f.weekday]); break;
      case 'A': out += str(WEEKDAYS_LONG[f.weekday]); break;
      case 'b': case 'h': out += str(MONTHS[f.month]); break;
      case 'B': out += str(MONTHS_LONG[f.month]); break;
      case 'c': out += str(`${WEEKDAYS[f.weekday]} ${MONTHS[f.month]} ${rpad(f.day, 2)} ${clock(ms)} ${f.year}`); break;
      case 'C': out += num(Math.floor(f.year / 100), 2); break;
      case 'd': out += num(f.day, 2); break;
      case 'D': out += str(`${zpad(f.month + 1, 2)}/${zpad(f.day, 2)}/${zpad(f.year % 100, 2)}`); break;
      case 'e': out += num(f.day, 2, ' '); break;
      case 'F': out += str(`${f.year}-${zpad(f.month + 1, 2)}-${zpad(f.day, 2)}`); break;
      case 'g': out += num(isoWeek(f).year % 100, 2); break;
      case 'G': out += num(isoWeek(f).year, 4); break;
      case 'H': out += num(f.hour, 2); break;
      case 'I': out += num(hour12, 2); break;
      case 'j': out += num(f.yday + 1, 3); break;
      case 'k': out += num(f.hour, 2, ' '); break;
      case 'l': out += num(hour12, 2, ' '); break;
      case 'm': out += num(f.month + 1, 2); break;
      case 'M': out += num(f.minute, 2); break;
      case 'n': out += '\n'; break;
      case 'N': out += num(Math.round((ms - Math.floor(ms / 1000) * 1000) * 1e6), 9); break;
      case 'p': out += str(f.hour < 12 ? 'AM' : 'PM'); break;
      case 'P': out += str(f.hour < 12 ? 'am' : 'pm'); break;
      case 'r': out += str(`${zpad(hour12, 2)}:${zpad(f.minute, 2)}:${zpad(f.second, 2)} ${f.hour < 12 ? 'AM' : 'PM'}`); break;
      case 'R': out += str(`${zpad(f.hour, 2)}:${zpad(f.minute, 2)}`); break;
      case 's': out += str(String(Math.floor(ms / 1000))); break;
      case 'S': out += num(f.second, 2); break;
      case 't': out += '\t'; break;
      case 'T': out += str(clock(ms)); break;
      case 'u': out += num(f.weekday === 0 ? 7 : f.weekday, 1); break;
      case 'U': out += num(Math.floor((f.yday + 7 - f.weekday) / 7), 2); break;
      case 'V': out += num(isoWeek(f).week, 2); break;
      case 'w': out += num(f.weekday, 1); break;
      case 'W': out += num(Math.floor((f.yday + 7 - ((f.weekday + 6) % 7)) / 7), 2); break;
      case 'x': out += str(`${zpad(f.month + 1, 2)}/${zpad(f.day, 2)}/${zpad(f.year % 100, 2)}`); break;
      case 'X': out += str(clock(ms)); break;
      case 'y': out += num(f.year % 100, 2); break;
      case 'Y': out += num(f.year, 4); break;
      case 'z': out += '+0000'; break;
      case ':': out += format.slice(j, j + 2) === ':z' ? '+00:00' : '%:'; if (format[j + 1] === 'z') i++; break;
      case 'Z': out += str('UTC'); break;
      default: out += `%${flag}${width}${conv}`;
    }
  }
  return out;
}

/** procps ps "time": cumulative CPU as [DD-]HH:MM:SS. */
export function psCpuTime(cpuSeconds: number): string {
  let t = Math.floor(cpuSeconds);
  const ss = t % 60; t = Math.floor(t / 60);
  const mm = t % 60; t = Math.floor(t / 60);
  const hh = t % 24;
  const dd = Math.floor(t / 24);
  return `${dd ? `${dd}-` : ''}${zpad(hh, 2)}:${zpad(mm, 2)}:${zpad(ss, 2)}`;
}

/** procps ps "etime": elapsed as [[DD-]HH:]MM:SS. */
export function psElapsed(seconds: number): string {
  let t = Math.max(0, Math.floor(seconds));
  const ss = t % 60; t = Math.floor(t / 60);
  const mm = t % 60; t = Math.floor(t / 60);
  const hh = t % 24;
  const dd = Math.floor(t / 24);
  return `${dd ? `${dd}-` : ''}${dd || hh ? `${zpad(hh, 2)}:` : ''}${zpad(mm, 2)}:${zpad(ss, 2)}`;
}

/** procps ps "bsdtime": cumulative CPU as MMM:SS. */
export function psBsdTime(cpuSeconds: number): string {
  const u = Math.floor(cpuSeconds);
  return `${rpad(Math.floor(u / 60), 3)}:${zpad(u % 60, 2)}`;
}

/** procps ps "stime"/"start_time": HH:MM today, MonDD this year, else the year. */
export function psStime(startMs: number, nowMs: number): string {
  const p = utcFields(startMs);
  const n = utcFields(nowMs);
  if (n.year !== p.year) return String(p.year);
  if (n.yday !== p.yday) return `${MONTHS[p.month]}${zpad(p.day, 2)}`;
  return `${zpad(p.hour, 2)}:${zpad(p.minute, 2)}`;
}

/** procps ps "start": HH:MM:SS within a day, else "  Mon DD". */
export function psStart(startMs: number, nowMs: number): string {
  const t = Math.floor(startMs / 1000);
  const now = Math.floor(nowMs / 1000);
  const p = utcFields(startMs);
  if (t + 86400 > now) return clock(startMs);
  return `  ${MONTHS[p.month]} ${zpad(p.day, 2)}`;
}
