/** date from coreutils 8.21 on a UTC box: display only; setting the clock is left to the caller. */
import { exitWith, quoteUtf8, type ParsedArgs, type ToolExit } from './args';
import { getopt } from '../shell/getopt';
import { strftime } from './time';

interface DateOptions {
  /** a strftime format; the default is "%a %b %e %H:%M:%S %Z %Y" */
  format: string;
  /** -d STRING, still to be interpreted against the current time */
  date?: string;
  /** MMDDhhmm[[CC]YY][.ss] or -s STRING: a request to set the clock */
  set?: string;
}

const TRY = "Try 'date --help' for more information.\n";
const DATE_DEFAULT_FORMAT = '%a %b %e %H:%M:%S %Z %Y';

function dateHelp(): string {
  return (
    'Usage: date [OPTION]... [+FORMAT]\n' +
    '  or:  date [-u|--utc|--universal] [MMDDhhmm[[CC]YY][.ss]]\n' +
    'Display the current time in the given FORMAT, or set the system date.\n' +
    '\n' +
    'Mandatory arguments to long options are mandatory for short options too.\n' +
    '  -d, --date=STRING         display time described by STRING, not \'now\'\n' +
    '  -f, --file=DATEFILE       like --date once for each line of DATEFILE\n' +
    '  -I[TIMESPEC], --iso-8601[=TIMESPEC]  output date/time in ISO 8601 format.\n' +
    "                            TIMESPEC='date' for date only (the default),\n" +
    "                            'hours', 'minutes', 'seconds', or 'ns' for date\n" +
    '                            and time to the indicated precision.\n' +
    '  -r, --reference=FILE      display the last modification time of FILE\n' +
    '  -R, --rfc-2822            output date and time in RFC 2822 format.\n' +
    "                            Example: Mon, 07 Aug 2006 12:34:56 -0600\n" +
    '      --rfc-3339=TIMESPEC   output date and time in RFC 3339 format.\n' +
    "                            TIMESPEC='date', 'seconds', or 'ns' for\n" +
    '                            date and time to the indicated precision.\n' +
    '                            Date and time components are separated by\n' +
    "                            a single space: 2006-08-07 12:34:56-06:00\n" +
    '  -s, --set=STRING          set time described by STRING\n' +
    '  -u, --utc, --universal    print or set Coordinated Universal Time (UTC)\n' +
    '      --help     display this help and exit\n' +
    '      --version  output version information and exit\n' +
    '\n' +
    'FORMAT controls the output.  Interpreted sequences are described in the\n' +
    "coreutils info page (info '(coreutils) date invocation').\n" +
    '\n' +
    'Full documentation at: <http://www.gnu.org/software/coreutils/date>\n' +
    "or available locally via: info '(coreutils) date invocation'\n"
  );
}

const ISO: Record<string, string> = {
  date: '%Y-%m-%d',
  hours: '%Y-%m-%dT%H%z',
  minutes: '%Y-%m-%dT%H:%M%z',
  seconds: '%Y-%m-%dT%H:%M:%S%z',
  ns: '%Y-%m-%dT%H:%M:%S,%N%z',
};
const RFC3339: Record<string, string> = {
  date: '%Y-%m-%d',
  seconds: '%Y-%m-%d %H:%M:%S%:z',
  ns: '%Y-%m-%d %H:%M:%S.%N%:z',
};

function argMatch(value: string, choices: Record<string, string>, option: string): string | { error: string } {
  const hits = Object.keys(choices).filter((k) => k.startsWith(value));
  const exact = Object.keys(choices).find((k) => k === value);
  const key = exact ?? (hits.length === 1 ? hits[0] : undefined);
  if (key !== undefined) return choices[key];
  const valid = Object.keys(choices).map((k) => `  - ${quoteUtf8(k)}`).join('\n');
  return {
    error:
      `date: ${hits.length > 1 ? 'ambiguous' : 'invalid'} argument ${quoteUtf8(value)} for ${quoteUtf8(option)}\n` +
      `Valid arguments are:\n${valid}\n${TRY}`,
  };
}

export function parseDateArgs(argv: readonly string[]): ParsedArgs<DateOptions> {
  const o: DateOptions = { format: DATE_DEFAULT_FORMAT };
  let chosenFormat: string | null = null;
  const p = getopt('date', argv, [
    { short: 'd', long: 'date', arg: 'required', key: 'd' },
    { short: 'f', long: 'file', arg: 'required', key: 'f' },
    { short: 'I', long: 'iso-8601', arg: 'optional', key: 'I' },
    { short: 'r', long: 'reference', arg: 'required', key: 'r' },
    { short: 'R', long: 'rfc-2822', key: 'R' },
    { long: 'rfc-3339', arg: 'required', key: 'rfc3339' },
    { short: 's', long: 'set', arg: 'required', key: 's' },
    { short: 'u', long: 'utc', key: 'u' },
    { long: 'universal', key: 'u' },
    { long: 'help', key: 'help' },
    { long: 'version', key: 'version' },
  ]);
  for (const e of p.opts) {
    const multiple = () => exitWith('', `date: multiple output formats specified\n${TRY}`, 1);
    switch (e.key) {
      case 'd': o.date = e.value; break;
      case 's': o.set = e.value; break;
      case 'u': break;
      case 'f': case 'r':
        return exitWith('', `date: ${e.value}: No such file or directory\n`, 1);
      case 'R':
        if (chosenFormat !== null) return multiple();
        chosenFormat = '%a, %d %b %Y %H:%M:%S %z';
        break;
      case 'I': {
        if (chosenFormat !== null) return multiple();
        const r = argMatch(e.value ?? 'date', ISO, '--iso-8601');
        if (typeof r !== 'string') return exitWith('', r.error, 1);
        chosenFormat = r;
        break;
      }
      case 'rfc3339': {
        if (chosenFormat !== null) return multiple();
        const r = argMatch(e.value ?? '', RFC3339, '--rfc-3339');
        if (typeof r !== 'string') return exitWith('', r.error, 1);
        chosenFormat = r;
        break;
      }
      case 'help':
        return exitWith(dateHelp(), '', 0);
      case 'version':
        return exitWith(
          'date (GNU coreutils) 8.21\nCopyright (C) 2013 Free Software Foundation, Inc.\n' +
            'License GPLv3+: GNU GPL version 3 or later <http://gnu.org/licenses/gpl.html>.\n' +
            'This is free software: you are free to change and redistribute it.\n' +
            'There is NO WARRANTY, to the extent permitted by law.\n\nWritten by David MacKenzie.\n',
          '',
          0,
        );
    }
  }
  if (p.error !== undefined) return exitWith('', `${p.error}\n${TRY}`, 1);
  const operands = p.operands;
  const plus = operands.filter((x) => x.startsWith('+'));
  const others = operands.filter((x) => !x.startsWith('+'));
  if (operands.length > 1) return exitWith('', `date: extra operand ${quoteUtf8(operands[1])}\n${TRY}`, 1);
  if (plus.length) {
    if (chosenFormat !== null) return exitWith('', `date: multiple output formats specified\n${TRY}`, 1);
    chosenFormat = plus[0].slice(1);
  }
  if (others.length) {
    if (o.date !== undefined || o.set !== undefined) {
      return exitWith('', `date: the argument ${quoteUtf8(others[0])} lacks a leading '+';\nwhen using an option to specify date(s), any non-option\nargument must be a format string beginning with '+'\n${TRY}`, 1);
    }
    o.set = others[0];
  }
  if (chosenFormat !== null) o.format = chosenFormat;
  return { ok: true, options: o };
}

/**
 * Interprets the date strings people actually type: @EPOCH, now, today, yesterday, tomorrow,
 * "N unit(s) ago", "+N unit(s)", YYYY-MM-DD[ HH:MM[:SS]]. Returns null for anything else.
 */
export function parseDateString(s: string, nowMs: number): number | null {
  const ms = parseDateMs(s, nowMs);
  // past what a date can be (the JavaScript Date range, year 275760): GNU says invalid too
  return ms !== null && Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? ms : null;
}

function parseDateMs(s: string, nowMs: number): number | null {
  const t = s.trim().toLowerCase();
  if (t === '' || t === 'now' || t === 'today') return nowMs;
  if (t === 'yesterday') return nowMs - 86400000;
  if (t === 'tomorrow') return nowMs + 86400000;
  let m = /^@(-?\d+)$/.exec(t);
  if (m) return Number(m[1]) * 1000;
  const units: Record<string, number> = { sec: 1e3, second: 1e3, min: 6e4, minute: 6e4, hour: 36e5, day: 864e5, week: 6048e5 };
  m = /^([+-]?\d+)\s*(sec|second|min|minute|hour|day|week)s?(\s+ago)?$/.exec(t);
  if (m) {
    const n = Number(m[1]) * units[m[2]];
    return m[3] ? nowMs - n : nowMs + n;
  }
  m = /^(\d{4})-(\d{2})-(\d{2})(?:[ t](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  if (m) {
    const [y, mo, d, h, mi, se] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number);
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return null;
    return Date.UTC(y, mo - 1, d, h, mi, se);
  }
  return null;
}

/**
 * Prints the date. `isRoot` decides whether a set request would succeed; when it would, the
 * caller gets `setTo` and applies it to the virtual clock.
 */
export function formatDate(nowMs: number, o: DateOptions, isRoot = false): ToolExit & { setTo?: number } {
  let when = nowMs;
  if (o.date !== undefined) {
    const d = parseDateString(o.date, nowMs);
    if (d === null) return { stdout: '', stderr: `date: invalid date ${quoteUtf8(o.date)}\n`, code: 1 };
    when = d;
  }
  if (o.set !== undefined) {
    const target = parseSetString(o.set, nowMs) ?? parseDateString(o.set, nowMs);
    if (target === null) return { stdout: '', stderr: `date: invalid date ${quoteUtf8(o.set)}\n`, code: 1 };
    const out = `${strftime(o.format, target)}\n`;
    if (!isRoot) return { stdout: out, stderr: 'date: cannot set date: Operation not permitted\n', code: 1 };
    return { stdout: out, stderr: '', code: 0, setTo: target };
  }
  return { stdout: `${strftime(o.format, when)}\n`, stderr: '', code: 0 };
}

/** The POSIX MMDDhhmm[[CC]YY][.ss] form. */
function parseSetString(s: string, nowMs: number): number | null {
  const m = /^(\d{2})(\d{2})(\d{2})(\d{2})((?:\d{2})?\d{2})?(?:\.(\d{2}))?$/.exec(s);
  if (!m) return null;
  const now = new Date(nowMs);
  let year = now.getUTCFullYear();
  if (m[5]) year = m[5].length === 4 ? Number(m[5]) : Number(m[5]) + (Number(m[5]) < 69 ? 2000 : 1900);
  return Date.UTC(year, Number(m[1]) - 1, Number(m[2]), Number(m[3]), Number(m[4]), m[6] ? Number(m[6]) : 0);
}
