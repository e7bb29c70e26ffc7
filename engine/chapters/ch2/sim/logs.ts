/**
 * The lines the box's own software writes, each in its real format: Ruby's Logger (the app's log),
 * Go's log package with nsqd's "[nsqd] " prefix (what nsqd prints to stderr), and upstart's
 * console log that takes a job's stdout and stderr. They are appended to the stored files.
 */
import { file } from '../../../machine/files';
import type { MachineWorld } from '../../../machine/world';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** microseconds of a virtual time in ms (the clock keeps fractions of a ms) */
const usecOf = (t: number): number => Math.floor(t * 1000) % 1_000_000;

/**
 * Ruby 1.9.3 Logger::Formatter: "%s, [%s#%d] %5s -- %s: %s\n", the time as
 * strftime("%Y-%m-%dT%H:%M:%S.") followed by "%06d " of its usec, progname empty.
 */
export function rubyLogLine(t: number, pid: number, severity: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL', message: string): string {
  const d = new Date(Math.floor(t));
  const stamp = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(usecOf(t), 6)} `;
  return `${severity[0]}, [${stamp}#${pid}] ${severity.padStart(5, ' ')} -- : ${message}\n`;
}

/** Go's log.New(os.Stderr, "[nsqd] ", log.Ldate|log.Ltime|log.Lmicroseconds), in the box's UTC */
export function nsqdLogLine(t: number, message: string): string {
  const d = new Date(Math.floor(t));
  return `[nsqd] ${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(usecOf(t), 6)} ${message}\n`;
}

/** appends to a stored file, making it (with this mode and owner) if it is not there */
export function appendTo(w: MachineWorld, path: string, text: string, t: number, mode: number, owner: string, group = owner): void {
  const f = w.files.files[path];
  if (!f) {
    w.files.files[path] = file(text, t, mode, owner, group);
    return;
  }
  f.content += text;
  f.mtime = Math.max(f.mtime, t);
}

/** upstart 1.12's console log of a job: /var/log/upstart/JOB.log, made 0640 root by init */
export function upstartLog(w: MachineWorld, job: string, text: string, t: number): void {
  appendTo(w, `/var/log/upstart/${job}.log`, text, t, 0o640, 'root');
}
