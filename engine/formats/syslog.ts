/**
 * /var/log/syslog lines in rsyslog's RSYSLOG_TraditionalFileFormat, as Ubuntu 14.04 configures it:
 * "%TIMESTAMP% %HOSTNAME% %syslogtag%%msg:::sp-if-no-1st-sp%%msg:::drop-last-lf%".
 */
import type { KernelLogRecord, SyslogRecord } from './types';
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
