/**
 * /var/log/syslog lines in rsyslog's RSYSLOG_TraditionalFileFormat, as Ubuntu 14.04 configures it:
 * "%TIMESTAMP% %HOSTNAME% %syslogtag%%msg:::sp-if-no-1st-sp%%msg:::drop-last-lf%".
 */
import type { KernelLogRecord, SyslogRecord } from './types';
import { rpad, zpad } from './printf';
import { kernelTimestamp, syslogTimestamp } from './time';

/** the stamp of the last second formatted: a day's log prints the same second dozens of times in a row */
let lastSecond = NaN;
let lastStamp = '';

function stampOf(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s !== lastSecond) {
    lastSecond = s;
    lastStamp = syslogTimestamp(s * 1000);
  }
  return lastStamp;
}

export function formatSyslogLine(r: SyslogRecord): string {
  const tag = r.pid === undefined ? `${r.tag}:` : `${r.tag}[${r.pid}]:`;
  const msg = r.text.startsWith(' ') ? r.text : ` ${r.text}`;
  return `${stampOf(r.time)} ${r.host} ${tag}${msg}`;
}

/** Whole file contents, one line per record. */
export function formatSyslog(records: readonly SyslogRecord[]): string {
  return records.map((r) => `${formatSyslogLine(r)}\n`).join('');
}

/**
 * imklog reads /proc/kmsg, where printk has already put the "[seconds.micros] " stamp in front
 * of the text, so kernel lines in syslog carry both clocks.
 */
export function kernelToSyslog(k: KernelLogRecord, bootTimeMs: number, host: string): SyslogRecord {
  return { time: bootTimeMs + k.sinceBootMs, host, tag: 'kernel', text: `${kernelTimestamp(k.sinceBootMs)} ${k.text}` };
}

/** "000".."999": printk's microseconds are two of these */
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** what follows a kernel line's stamp in syslog: its text and newline, the part kernelLinesText() repeats */
export function kernelLineTail(text: string): string {
  return `] ${text}\n`;
}

/**
 * Kernel lines stamped `since[k]` ms after boot, as syslog holds them: one string, each line with
 * its newline. What formatSyslogLine(kernelToSyslog(...)) prints for each, worked out the same
 * way, but with the part up to printk's seconds formatted once per second rather than per line,
 * and each line's text given as kernelLineTail() made it: a day of an OOM storm is millions of
 * these lines, the same few hundred over and over.
 */
export function kernelLinesText(tails: readonly string[], since: readonly number[], bootTimeMs: number, host: string): string {
  const parts = new Array<string>(tails.length);
  let { second, secs, ms, head, upToSecs } = lastHead;
  if (lastHead.host !== host) second = NaN;
  for (let k = 0; k < tails.length; k++) {
    const s = since[k]!;
    // kernelTimestamp()'s and stampOf()'s arithmetic, step for step
    const usec = Math.floor(Math.round(s * 1e6) / 1000);
    const sec = Math.floor(usec / 1000000);
    const micros = usec - sec * 1000000;
    const wall = Math.floor((bootTimeMs + s) / 1000);
    if (!(micros >= 0 && micros < 1000000)) {
      // not a stamp printk makes (before boot): the plain way
      parts[k] = `${syslogTimestamp(wall * 1000)} ${host} kernel: [${rpad(sec, 5)}.${zpad(micros, 6)}${tails[k]!}`;
      continue;
    }
    const milli = Math.floor(micros / 1000);
    if (wall !== second || sec !== secs) {
      second = wall;
      secs = sec;
      upToSecs = `${stampOf(wall * 1000)} ${host} kernel: [${rpad(sec, 5)}.`;
      ms = NaN;
    }
    if (milli !== ms) {
      ms = milli;
      // the stamp up to its milliseconds: a report's lines are a few microseconds apart
      head = upToSecs + THREE_DIGITS[milli]!;
    }
    parts[k] = head + THREE_DIGITS[micros - milli * 1000]! + tails[k]!;
  }
  lastHead = { host, second, secs, ms, head, upToSecs };
  return parts.join('');
}

/** the last line's stamp up to its milliseconds: the next report is most often in the same second */
let lastHead = { host: '', second: NaN, secs: NaN, ms: NaN, head: '', upToSecs: '' };

/**
 * What comes before printk's six digits of microseconds in the lines kernelLinesText() would
 * print, each once: every line is one of these, six digits and its tail. Null when a stamp is not
 * of that shape.
 */
export function kernelLinesLeads(since: readonly number[], bootTimeMs: number, host: string): string[] | null {
  const leads: string[] = [];
  let second = NaN;
  let secs = NaN;
  for (const s of since) {
    const usec = Math.floor(Math.round(s * 1e6) / 1000);
    const sec = Math.floor(usec / 1000000);
    const micros = usec - sec * 1000000;
    if (!(micros >= 0 && micros < 1000000)) return null;
    const wall = Math.floor((bootTimeMs + s) / 1000);
    if (wall !== second || sec !== secs) {
      second = wall;
      secs = sec;
      leads.push(`${stampOf(wall * 1000)} ${host} kernel: [${rpad(sec, 5)}.`);
    }
  }
  return leads;
}
