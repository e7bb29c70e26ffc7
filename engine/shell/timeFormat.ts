/**
 * What bash 4.3's `time` keyword prints (execute_cmd.c, print_formatted_time() and mkfmt()):
 * TIMEFORMAT's %[p][l]R (or E), U, S, and %P and %%, with p the digits after the point (0 to 3,
 * 3 when absent) and l the long form MmS.FFFs.
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

/**
 * print_formatted_time(): the format with a newline after it (none when the format is empty), or
 * internal_error()'s complaint when a % is followed by something it does not know (nothing printed)
 */
export function formatTimes(format: string, t: PipelineTimes): { text: string } | { error: string } {
  if (format === '') return { text: '' };
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    const next = format[i + 1];
    if (c !== '%' || next === undefined) {
      out += c;
      continue;
    }
    if (next === '%') {
      out += '%';
      i++;
      continue;
    }
    if (next === 'P') {
      // timeval_to_cpu(): (user + sys) * 10000 / real, at most 10000, printed as a percentage with two places
      const cpu = t.realMs > 0 ? Math.min(10_000, Math.floor(((Math.floor(t.userMs) + Math.floor(t.sysMs)) * 10_000) / Math.floor(t.realMs))) : 0;
      out += mkfmt(2, false, Math.floor(cpu / 100), (cpu % 100) * 10);
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
    if (which !== 'R' && which !== 'E' && which !== 'U' && which !== 'S') return { error: `bad format character in time format: ${which ?? ''}` };
    const [sec, frac] = split(which === 'U' ? t.userMs : which === 'S' ? t.sysMs : t.realMs);
    out += mkfmt(prec, long, sec, frac);
    i = j;
  }
  return { text: `${out}\n` };
}
