/**
 * What bash 4.3's `time` keyword prints (execute_cmd.c, print_formatted_time() and mkfmt()):
 * TIMEFORMAT's %[p][l]R, U, S and P, with p the digits after the point (0 to 3, 3 when absent)
 * and l the long form MmS.FFFs.
 */

export interface PipelineTimes {
  realMs: number;
  userMs: number;
  sysMs: number;
}

/** bash's default, $'\nreal\t%3lR\nuser\t%3lU\nsys\t%3lS' */
export const BASH_TIME_FORMAT = '\nreal\t%3lR\nuser\t%3lU\nsys\t%3lS';
/** `time -p` */
export const POSIX_TIME_FORMAT = 'real %2R\nuser %2U\nsys %2S';

const PRECS = [0, 100, 10, 1];

/** mkfmt(): seconds (and minutes with l), then the first `prec` digits of the milliseconds */
function mkfmt(prec: number, long: boolean, sec: number, frac: number): string {
  let out = '';
  if (long) {
    out += `${Math.floor(sec / 60)}m`;
    sec %= 60;
  }
  out += String(sec);
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) {
      out += String(Math.floor(frac / PRECS[i]!));
      frac %= PRECS[i]!;
    }
  }
  return long ? `${out}s` : out;
}

/** whole seconds and thousandths of a duration in ms, truncated as bash's timeval arithmetic does */
const split = (ms: number): [number, number] => {
  const total = Math.max(0, Math.floor(ms));
  return [Math.floor(total / 1000), total % 1000];
};

/** print_formatted_time(): the format with a newline after it (none when the format is empty) */
export function formatTimes(format: string, t: PipelineTimes): string {
  if (format === '') return '';
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== '%') {
      out += c;
      continue;
    }
    const next = format[i + 1];
    if (next === undefined) {
      out += c;
      break;
    }
    if (next === '%') {
      out += '%';
      i++;
      continue;
    }
    if (next === 'P') {
      // CPU percentage: (user + sys) / real, two places
      const pct = t.realMs > 0 ? ((t.userMs + t.sysMs) * 100) / t.realMs : 0;
      const hundredths = Math.floor(pct * 100);
      out += mkfmt(2, false, Math.floor(hundredths / 100), (hundredths % 100) * 10);
      i++;
      continue;
    }
    let j = i + 1;
    let prec = 3;
    if (/[0-9]/.test(format[j] ?? '')) {
      prec = Math.min(3, Number(format[j]));
      j++;
    }
    let long = false;
    if (format[j] === 'l') {
      long = true;
      j++;
    }
    const which = format[j];
    if (which === 'R' || which === 'U' || which === 'S') {
      const [sec, frac] = split(which === 'R' ? t.realMs : which === 'U' ? t.userMs : t.sysMs);
      out += mkfmt(prec, long, sec, frac);
      i = j;
      continue;
    }
    // anything else is printed as it stands
    out += format.slice(i, j + 1);
    i = j;
  }
  return `${out}\n`;
}
