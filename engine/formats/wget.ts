/**
 * GNU Wget 1.15 (Ubuntu 14.04) as it writes to a terminal: the log of one retrieval, the "bar"
 * progress indicator in its final state, and the summary after several URLs. Everything goes to
 * stderr, as wget's log does. After src/progress.c, src/http.c, src/host.c, src/retr.c,
 * src/utils.c and src/main.c at tag v1.15.
 */
import { cFixed, groupThousands } from './printf';

/** wget draws its bar one column short of the terminal's width */
const SCREEN_WIDTH = 80;

/** wget's quote(): curly quotes in a UTF-8 locale */
export const q = (s: string): string => `\u2018${s}\u2019`;

/** datetime_str(): local time (the box runs on UTC) as %Y-%m-%d %H:%M:%S */
export function wgetTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** human_readable(): 1024-based, one decimal below 10 */
export function humanReadable(n: number): string {
  if (n < 1024) return String(Math.trunc(n));
  const powers = ['K', 'M', 'G', 'T', 'P', 'E'];
  let v = n;
  for (let i = 0; i < powers.length; i++) {
    if (Math.floor(v / 1024) < 1024 || i === powers.length - 1) {
      const val = v / 1024;
      return `${cFixed(val, val < 10 ? 1 : 0)}${powers[i]}`;
    }
    v = Math.floor(v / 1024);
  }
  return String(n);
}

/** calc_rate(): bytes per second in B/s, KB/s, MB/s or GB/s (1024-based) */
function calcRate(bytes: number, secs: number): { rate: number; unit: string } {
  const units = ['B/s', 'KB/s', 'MB/s', 'GB/s'];
  let r = bytes / secs;
  let u = 0;
  while (u < 3 && r >= 1024) {
    r /= 1024;
    u++;
  }
  return { rate: r, unit: units[u]! };
}

const rateDigits = (r: number): number => (r >= 99.95 ? 0 : r >= 9.995 ? 1 : 2);

/** retr_rate(): "5.12 MB/s" */
export function retrRate(bytes: number, secs: number): string {
  const { rate, unit } = calcRate(bytes, secs);
  return `${cFixed(rate, rateDigits(rate))} ${unit}`;
}

/** print_decimal(): durations with one significant digit below ten seconds */
export function printDecimal(n: number): string {
  const a = Math.abs(n);
  if (a >= 9.95) return cFixed(n, 0);
  if (a >= 0.95) return cFixed(n, 1);
  if (a >= 0.001) return Number(n.toPrecision(1)).toString();
  if (a >= 0.0005) return cFixed(n, 3);
  return '0';
}

/** eta_to_human_short(), not condensed */
function etaShort(secs: number): string {
  if (secs < 100) return `${secs}s`;
  if (secs < 100 * 60) return `${Math.floor(secs / 60)}m ${secs % 60}s`;
  if (secs < 48 * 3600) return `${Math.floor(secs / 3600)}h ${Math.floor(secs / 60) % 60}m`;
  if (secs < 100 * 86400) return `${Math.floor(secs / 86400)}d ${Math.floor(secs / 3600) % 24}h`;
  return `${Math.floor(secs / 86400)}d`;
}

/** secs_to_human_time() of main.c, for the FINISHED summary */
function secsToHuman(interval: number): string {
  let secs = Math.trunc(interval + 0.5);
  const days = Math.floor(secs / 86400);
  secs %= 86400;
  const hours = Math.floor(secs / 3600);
  secs %= 3600;
  const mins = Math.floor(secs / 60);
  secs %= 60;
  if (days) return `${days}d ${hours}h ${mins}m ${secs}s`;
  if (hours) return `${hours}h ${mins}m ${secs}s`;
  if (mins) return `${mins}m ${secs}s`;
  return `${printDecimal(interval)}s`;
}

/** create_image() with done = true: the bar as it stays on the screen once the file is in */
export function finishedBar(bytes: number, secs: number): string {
  const width = SCREEN_WIDTH - 1;
  const grouped = groupThousands(String(bytes));
  const dlbytesSize = 1 + Math.max(grouped.length, 11);
  let progress = width - (4 + 2 + dlbytesSize + 8 + 14);
  if (progress < 5) progress = 0;
  let out = '100%';
  if (progress) out += `[${'='.repeat(progress - 1)}>]`;
  out += ` ${grouped}${' '.repeat(Math.max(0, 11 - grouped.length))}`;
  const { rate, unit } = calcRate(bytes, secs);
  out += ` ${cFixed(rate, rateDigits(rate)).padStart(4)}${unit}`;
  out += '   in ' + (secs >= 10 ? etaShort(Math.trunc(secs + 0.5)) : `${printDecimal(secs)}s`);
  return out.padEnd(width);
}

export interface WgetHost {
  name: string;
  ip: string;
  port: number;
}

/** One URL's retrieval, as the simulation decided it. */
export type WgetRetrieval =
  | { kind: 'unresolved'; url: string; at: number; host: string }
  | { kind: 'http-error'; url: string; at: number; host: WgetHost; status: number; reason: string }
  | { kind: 'saved'; url: string; at: number; host: WgetHost; bytes: number; contentType: string; file: string; secs: number }
  | { kind: 'write-failed'; url: string; at: number; host: WgetHost; bytes: number; contentType: string; file: string; error: string }
  | { kind: 'open-failed'; url: string; at: number; host: WgetHost; bytes: number; contentType: string; file: string; error: string }
  | { kind: 'bad-url'; url: string; error: string };

function connect(h: WgetHost, reused: boolean): string {
  if (reused) return `Reusing existing connection to ${h.name}:${h.port}.\n`;
  return `Resolving ${h.name} (${h.name})... ${h.ip}\nConnecting to ${h.name} (${h.name})|${h.ip}|:${h.port}... connected.\n`;
}

function length(bytes: number, type: string): string {
  return `Length: ${bytes}${bytes >= 1024 ? ` (${humanReadable(bytes)})` : ''} [${type}]\n`;
}

/** The log of one retrieval; `reused` when the previous URL left a connection to the same host open; -q logs nothing. */
export function formatRetrieval(r: WgetRetrieval, reused = false, quiet = false): string {
  if (r.kind === 'bad-url') return `${r.url}: ${r.error}.\n`;
  const head = `--${wgetTime(r.at)}--  ${r.url}\n`;
  if (r.kind === 'unresolved') {
    if (quiet) return '';
    return `${head}Resolving ${r.host} (${r.host})... failed: Name or service not known.\nwget: unable to resolve host address ${q(r.host)}\n`;
  }
  if (r.kind === 'http-error') {
    const err = `${wgetTime(r.at)} ERROR ${r.status}: ${r.reason}.\n\n`;
    return quiet ? '' : `${head}${connect(r.host, reused)}HTTP request sent, awaiting response... ${r.status} ${r.reason}\n${err}`;
  }
  if (r.kind === 'open-failed') {
    // http.c: the file is opened once the headers are in, before "Saving to:"
    return quiet ? '' : `${head}${connect(r.host, reused)}HTTP request sent, awaiting response... 200 OK\n${length(r.bytes, r.contentType)}${r.file}: ${r.error}\n`;
  }
  if (r.kind === 'write-failed') {
    const err = `Cannot write to ${q(r.file)} (${r.error}).\n`;
    return quiet ? '' : `${head}${connect(r.host, reused)}HTTP request sent, awaiting response... 200 OK\n${length(r.bytes, r.contentType)}Saving to: ${q(r.file)}\n\n${err}`;
  }
  if (quiet) return '';
  const end = r.at + Math.round(r.secs * 1000);
  return (
    `${head}${connect(r.host, reused)}HTTP request sent, awaiting response... 200 OK\n${length(r.bytes, r.contentType)}` +
    `Saving to: ${q(r.file)}\n\n${finishedBar(r.bytes, r.secs)}\n\n` +
    `${wgetTime(end)} (${retrRate(r.bytes, r.secs)}) - ${q(r.file)} saved [${r.bytes}/${r.bytes}]\n\n`
  );
}

/** What wget prints after several URLs when anything came down. */
export function formatFinished(endAt: number, wallSecs: number, files: number, bytes: number, downloadSecs: number): string {
  return (
    `FINISHED --${wgetTime(endAt)}--\nTotal wall clock time: ${secsToHuman(wallSecs)}\n` +
    `Downloaded: ${files} files, ${humanReadable(bytes)} in ${secsToHuman(downloadSecs)} (${retrRate(bytes, downloadSecs)})\n`
  );
}

export const WGET_USAGE = 'Usage: wget [OPTION]... [URL]...\n';
export const WGET_TRY = "\nTry `wget --help' for more options.\n";
