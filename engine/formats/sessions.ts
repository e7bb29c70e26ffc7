/**
 * Who is logged in and who was: who (coreutils 8.21), w (procps-ng 3.3.9) and last
 * (sysvinit-utils 2.88), each reading the same utmp/wtmp records.
 */
import { getopt } from '../shell/getopt';
import { exitWith, type ParsedArgs } from './args';
import { procpsVersion, USAGE_HEADER, USAGE_OPTIONS, USAGE_SEPARATOR, USAGE_VERSION, usageManTail } from './procps';
import { ctime, strftime } from './time';
import { sprintUptime } from './uptime';
import type { SystemSummaryView } from './types';

/** A USER_PROCESS entry of utmp: one login on one terminal. */
export interface LoginView {
  user: string;
  /** 'pts/0' */
  line: string;
  /** where the login came from (ut_host) */
  host: string;
  loginMs: number;
  /** ut_pid: the login's shell */
  pid: number;
  /** since the terminal was last read from */
  idleMs: number;
  /** CPU of every process on the terminal, and of the one w names */
  jcpuMs: number;
  pcpuMs: number;
  /** the foreground command line w shows */
  what: string;
}

// ---- who ----

interface WhoOptions {
  heading: boolean;
  boot: boolean;
  users: boolean;
  count: boolean;
  /** -u: idle and pid columns */
  idle: boolean;
  mine: boolean;
}

const WHO_USAGE_HINT = "Try 'who --help' for more information.\n";

export function parseWhoArgs(argv: readonly string[]): ParsedArgs<WhoOptions> {
  const o: WhoOptions = { heading: false, boot: false, users: false, count: false, idle: false, mine: false };
  const p = getopt('who', argv, [
    { short: 'b', long: 'boot', key: 'b' },
    { short: 'H', long: 'heading', key: 'H' },
    { short: 'm', key: 'm' },
    { short: 'q', long: 'count', key: 'q' },
    { short: 's', key: 's' },
    { short: 'u', long: 'users', key: 'u' },
    { long: 'help', key: 'help' },
    { long: 'version', key: 'version' },
  ]);
  if (p.error !== undefined) return exitWith('', `${p.error}\n${WHO_USAGE_HINT}`, 1);
  let assumptions = true;
  for (const e of p.opts) {
    if (e.key === 'b') {
      o.boot = true;
      assumptions = false;
    } else if (e.key === 'H') o.heading = true;
    else if (e.key === 'm') o.mine = true;
    else if (e.key === 'q') o.count = true;
    else if (e.key === 'u') {
      o.users = true;
      o.idle = true;
      assumptions = false;
    } else if (e.key === 'help') return exitWith('Usage: who [OPTION]... [ FILE | ARG1 ARG2 ]\n', '', 0);
    else if (e.key === 'version') return exitWith('who (GNU coreutils) 8.21\n', '', 0);
  }
  if (assumptions) o.users = true;
  if (p.operands.length === 2) o.mine = true;
  else if (p.operands.length === 1) return exitWith('', `who: the grimoire keeps one utmp: reading ${p.operands[0]} as a utmp file is not simulated\n`, 1);
  else if (p.operands.length > 2) return exitWith('', `who: extra operand '${p.operands[2]}'\n${WHO_USAGE_HINT}`, 1);
  return { ok: true, options: o };
}

/** print_line(): fixed columns, trailing blanks removed */
function whoLine(user: string, line: string, time: string, idle: string | null, pid: string | null, comment: string): string {
  let s = `${user.padEnd(8)} ${line.padEnd(12)} ${time.padEnd(16)}`;
  if (idle !== null) s += ` ${idle.padEnd(6)}`;
  if (pid !== null) s += ` ${pid.padStart(10)}`;
  s += ` ${comment.padEnd(8)}`;
  return `${s.replace(/ +$/, '')}\n`;
}

/** en_US.UTF-8 is a "hard" locale: who prints ISO times */
const whoTime = (ms: number): string => strftime('%Y-%m-%d %H:%M', ms);

/** idle_string(): "  .  " under a minute, HH:MM under a day, " old " after */
function idleString(idleMs: number): string {
  const s = Math.floor(idleMs / 1000);
  if (s >= 86_400) return ' old ';
  if (s < 60) return '  .  ';
  return `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}`;
}

export function formatWho(logins: readonly LoginView[], bootMs: number, o: WhoOptions): string {
  if (o.count) return `${logins.map((l) => l.user).join(' ')}\n# users=${logins.length}\n`;
  let out = '';
  const short = !o.idle;
  if (o.heading) out += whoLine('NAME', 'LINE', 'TIME', o.idle ? 'IDLE' : null, short ? null : 'PID', 'COMMENT');
  if (o.boot) out += whoLine('', 'system boot', whoTime(bootMs), o.idle ? '' : null, short ? null : '', '');
  if (o.users) {
    for (const l of o.mine ? logins.slice(0, 1) : logins) {
      out += whoLine(l.user, l.line, whoTime(l.loginMs), o.idle ? idleString(l.idleMs) : null, short ? null : String(l.pid), `(${l.host})`);
    }
  }
  return out;
}

// ---- w ----

interface WOptions {
  header: boolean;
  long: boolean;
  from: boolean;
  oldStyle: boolean;
  user: string | null;
}

function wUsage(): string {
  return (
    USAGE_HEADER +
    ' w [options]\n' +
    USAGE_OPTIONS +
    ' -h, --no-header     do not print header\n' +
    ' -u, --no-current    ignore current process username\n' +
    ' -s, --short         short format\n' +
    ' -f, --from          show remote hostname field\n' +
    ' -o, --old-style     old style output\n' +
    ' -i, --ip-addr       display IP address instead of hostname (if possible)\n' +
    USAGE_SEPARATOR +
    '     --help     display this help and exit\n' +
    USAGE_VERSION +
    usageManTail('w(1)')
  );
}

export function parseWArgs(argv: readonly string[]): ParsedArgs<WOptions> {
  // Debian builds w with the FROM column on; -f turns it off
  const o: WOptions = { header: true, long: true, from: true, oldStyle: false, user: null };
  const p = getopt('w', argv, [
    { short: 'h', long: 'no-header', key: 'h' },
    { short: 'u', long: 'no-current', key: 'u' },
    { short: 's', long: 'short', key: 's' },
    { short: 'f', long: 'from', key: 'f' },
    { short: 'o', long: 'old-style', key: 'o' },
    { short: 'i', long: 'ip-addr', key: 'i' },
    { short: 'V', long: 'version', key: 'V' },
    { long: 'help', key: 'help' },
  ]);
  if (p.error !== undefined) return exitWith('', `${p.error}\n${wUsage()}`, 1);
  for (const e of p.opts) {
    if (e.key === 'h') o.header = false;
    else if (e.key === 's') o.long = false;
    else if (e.key === 'f') o.from = !o.from;
    else if (e.key === 'o') o.oldStyle = true;
    else if (e.key === 'i') o.from = true;
    else if (e.key === 'V') return exitWith(procpsVersion('w'), '', 0);
    else if (e.key === 'help') return exitWith(wUsage(), '', 0);
  }
  o.user = p.operands[0] ?? null;
  return { ok: true, options: o };
}

/** print_time_ival7(): seven characters for an interval */
function ival7(ms: number, oldStyle: boolean): string {
  const t = Math.floor(ms / 1000);
  const centi = Math.floor((ms % 1000) / 10);
  const two = (n: number) => String(n).padStart(2, '0');
  if (t < 0) return '   ?   ';
  if (oldStyle) {
    if (t >= 48 * 3600) return ` ${String(Math.floor(t / 86_400)).padStart(2)}days`;
    if (t >= 3600) return ` ${String(Math.floor(t / 3600)).padStart(2)}:${two(Math.floor(t / 60) % 60)} `;
    if (t > 60) return ` ${String(Math.floor(t / 60)).padStart(2)}:${two(t % 60)}m`;
    return '       ';
  }
  if (t >= 48 * 3600) return ` ${String(Math.floor(t / 86_400)).padStart(2)}days`;
  if (t >= 3600) return ` ${String(Math.floor(t / 3600)).padStart(2)}:${two(Math.floor(t / 60) % 60)}m`;
  if (t > 60) return ` ${String(Math.floor(t / 60)).padStart(2)}:${two(t % 60)} `;
  return ` ${String(t).padStart(2)}.${two(centi)}s`;
}

/** print_logintime(): HH:MM today, weekday and hour within six days, else DDMonYY */
function loginTime(loginMs: number, nowMs: number): string {
  const sameDay = strftime('%j', loginMs) === strftime('%j', nowMs);
  if (nowMs - loginMs > 12 * 3_600_000 && !sameDay) {
    if (nowMs - loginMs > 6 * 86_400_000) return ` ${strftime('%d%b%y', loginMs)}`;
    return ` ${strftime('%a%H', loginMs)}  `;
  }
  return ` ${strftime('%H:%M', loginMs)}  `;
}

export function formatW(summary: Pick<SystemSummaryView, 'now' | 'uptimeMs' | 'users' | 'loadavg'>, logins: readonly LoginView[], o: WOptions): string {
  let out = '';
  if (o.header) {
    out += `${sprintUptime(summary)}\n`;
    out += `${'USER'.padEnd(8)} TTY      `;
    if (o.from) out += 'FROM'.padEnd(15);
    out += o.long ? '  LOGIN@   IDLE   JCPU   PCPU WHAT\n' : '   IDLE WHAT\n';
  }
  for (const l of logins) {
    if (o.user !== null && l.user !== o.user.slice(0, 32)) continue;
    let row = `${l.user.slice(0, 8).padEnd(9)}${l.line.slice(0, 8).padEnd(9)}`;
    if (o.from) {
      // print_host(): printable characters up to the first blank, space-filled to 16
      const m = /^[!-~]*/.exec(l.host)![0];
      row += (m.length < l.host.length ? `${m}-` : m).slice(0, 16).padEnd(16);
    }
    if (o.long) {
      row += loginTime(l.loginMs, summary.now);
      row += ival7(l.idleMs, o.oldStyle);
      row += ival7(l.jcpuMs, o.oldStyle);
      row += ival7(l.pcpuMs, o.oldStyle);
    } else row += ival7(l.idleMs, o.oldStyle);
    out += `${row} ${l.what}\n`;
  }
  return out;
}

// ---- last ----

/** A wtmp record, oldest first as the file holds them. */
export type WtmpRecord =
  | { kind: 'boot'; time: number; release: string }
  /** a RUN_LVL record: `level` is the runlevel's character */
  | { kind: 'runlevel'; time: number; level: string; release: string }
  | { kind: 'shutdown'; time: number; release: string }
  /** `alive`: kill(ut_pid, 0) finds the login's process */
  | { kind: 'login'; time: number; user: string; line: string; host: string; pid: number; alive: boolean }
  | { kind: 'logout'; time: number; line: string };

interface LastOptions {
  /** 0: all */
  max: number;
  hostLast: boolean;
  noHost: boolean;
  fullTime: boolean;
  /** -x: shutdown and runlevel records too */
  extended: boolean;
  /** -w: the whole name and host */
  wide: boolean;
  /** -t: records after this are skipped (0: none) */
  untilMs: number;
  names: string[];
}

const LAST_USAGE = 'Usage: last [-num | -n num] [-f file] [-t YYYYMMDDHHMMSS] [-R] [-adioxFw] [username..] [tty..]\n';

/** parsetm(): YYYYMMDDHHMMSS as local time (UTC on this box), refused unless mktime keeps every field */
function parseTm(ts: string): number | null {
  const m = /^\s*([+-]?\d{1,4})([+-]?\d{1,2})([+-]?\d{1,2})([+-]?\d{1,2})([+-]?\d{1,2})([+-]?\d{1,2})/.exec(ts);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const t = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(t);
  if (y < 1900 || back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || back.getUTCHours() !== h || back.getUTCMinutes() !== mi || back.getUTCSeconds() !== s) return null;
  return t;
}

/** sysvinit 2.88's getopt string "f:n:RxadFiot:0123456789w" (plain getopt: no long options) */
export function parseLastArgs(argv: readonly string[]): ParsedArgs<LastOptions> {
  const o: LastOptions = { max: 0, hostLast: false, noHost: false, fullTime: false, extended: false, wide: false, untilMs: 0, names: [] };
  // getopt(3) reads "--help" as the options '-', 'h', ...: the first is already invalid
  const dashes = argv.findIndex((a, i) => a.startsWith('--') && a !== '--' && !argv.slice(0, i).includes('--'));
  const defs = [
    ...'RxadFiow0123456789'.split('').map((c) => ({ short: c, key: c })),
    { short: 'f', key: 'f', arg: 'required' as const },
    { short: 'n', key: 'n', arg: 'required' as const },
    { short: 't', key: 't', arg: 'required' as const },
  ];
  const p = getopt('last', dashes >= 0 ? argv.slice(0, dashes) : argv, defs);
  const error = p.error ?? (dashes >= 0 ? "last: invalid option -- '-'" : undefined);
  for (const e of p.opts) {
    if (e.key === 'R') o.noHost = true;
    else if (e.key === 'x') o.extended = true;
    else if (e.key === 'a') o.hostLast = true;
    else if (e.key === 'F') o.fullTime = true;
    else if (e.key === 'w') o.wide = true;
    else if (e.key === 'n') o.max = atoi(e.value!);
    else if (/^\d$/.test(e.key)) o.max = Math.min(o.max * 10 + Number(e.key), 0x7fffffff);
    else if (e.key === 't') {
      const t = parseTm(e.value!);
      if (t === null) return exitWith('', `last: Invalid time value "${e.value}"\n${LAST_USAGE}`, 1);
      o.untilMs = t;
    } else if (e.key === 'f' && e.value !== '/var/log/wtmp') {
      return exitWith('', `last: reading ${e.value} is not simulated: this machine keeps /var/log/wtmp only\n`, 1);
    }
    // -d and -i look the host up or print its address: sshd wrote the address already
  }
  if (error !== undefined) return exitWith('', `${error}\n${LAST_USAGE}`, 1);
  if (dashes < 0) o.names = p.operands;
  return { ok: true, options: o };
}

/** atoi(3): leading blanks, a sign, digits; anything else ends it */
function atoi(s: string): number {
  const m = /^\s*([+-]?\d+)/.exec(s);
  return m ? Math.max(-0x80000000, Math.min(0x7fffffff, Number(m[1]))) : 0;
}

type Why = 'normal' | 'crash' | 'down' | 'now' | 'phantom' | 'reboot';

interface Shown {
  name: string;
  line: string;
  host: string;
  time: number;
}

/** list(): one line of last's output */
function lastLine(p: Shown, t: number, why: Why, o: LastOptions): string {
  const login = ctime(p.time);
  const loginText = o.fullTime ? login : login.slice(0, 16);
  let logout = o.fullTime ? `- ${ctime(t)}` : `- ${ctime(t).slice(11, 16)}`;
  const secs = Math.floor(t / 1000) - Math.floor(p.time / 1000);
  const mins = Math.trunc(secs / 60) % 60;
  const hours = Math.trunc(secs / 3600) % 24;
  const days = Math.trunc(secs / 86_400);
  // %02d: a negative value (the clock set back) keeps its sign within the width
  const two = (n: number) => String(n).padStart(2, '0');
  let length = days ? `(${days}+${two(hours)}:${two(mins)})` : ` (${two(hours)}:${two(mins)})`;
  if (why === 'crash') logout = '- crash';
  else if (why === 'down') logout = '- down ';
  else if (why === 'now') {
    length = o.fullTime ? '' : 'logged in';
    logout = o.fullTime ? '  still logged in' : '  still';
  } else if (why === 'phantom') {
    length = o.fullTime ? '' : '- no logout';
    logout = o.fullTime ? '  gone - no logout' : '   gone';
  }
  // printf's %-W.Ps: cut at P, pad to W
  const f = (s: string, width: number, precision = width) => s.slice(0, precision).padEnd(width);
  const name = f(p.name, 8, o.wide ? 32 : 8);
  const line = f(p.line, 12);
  const times = o.fullTime ? `${f(loginText, 24)} ${f(logout, 26)} ${f(length, 12)}` : `${f(loginText, 16)} ${f(logout, 7)} ${f(length, 12)}`;
  let s: string;
  if (o.noHost) s = `${name} ${line} ${times}\n`;
  else if (o.hostLast) s = `${name} ${line} ${times} ${p.host}\n`;
  else s = `${name} ${line} ${f(p.host, 16, o.wide ? 256 : 16)} ${times}\n`;
  // what cannot be printed safely prints as '*'
  return s.replace(/[^\n\x20-\x7e]/g, '*');
}

/**
 * last's walk over wtmp, newest record first, pairing logins with what ended them; `fileCtime`
 * is what "wtmp begins" says when the file holds nothing.
 */
export function formatLast(records: readonly WtmpRecord[], nowMs: number, fileCtime: number, o: LastOptions): string {
  let out = '';
  let shown = 0;
  let lastdown = nowMs;
  let lastrch = nowMs;
  let lastboot = 0;
  let whydown: Why = 'crash';
  let open: Array<{ line: string; time: number }> = [];
  const want = (p: Shown): boolean => o.names.length === 0 || o.names.some((n) => n === p.name.slice(0, 32) || n === p.line || (p.line.startsWith('tty') && p.line.slice(3) === n));
  const show = (p: Shown, t: number, why: Why): boolean => {
    if (!want(p)) return false;
    out += lastLine(p, t, why, o);
    shown++;
    return o.max > 0 && shown >= o.max;
  };
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i]!;
    if (o.untilMs && o.untilMs < Math.floor(r.time / 1000) * 1000) continue;
    let down: 'down' | 'crash' | null = null;
    let stop = false;
    if (r.kind === 'shutdown') {
      if (o.extended) stop = show({ name: 'shutdown', line: 'system down', host: r.release, time: r.time }, lastboot, 'normal');
      lastdown = lastrch = r.time;
      down = 'down';
    } else if (r.kind === 'boot') {
      stop = show({ name: 'reboot', line: 'system boot', host: r.release, time: r.time }, lastdown, 'reboot');
      lastboot = r.time;
      down = 'crash';
    } else if (r.kind === 'runlevel') {
      if (o.extended) stop = show({ name: 'runlevel', line: `(to lvl ${r.level})`, host: r.release, time: r.time }, lastrch, 'normal');
      if (r.level === '0' || r.level === '6') {
        lastdown = r.time;
        down = 'down';
      }
      lastrch = r.time;
    } else if (r.kind === 'login') {
      const p: Shown = { name: r.user, line: r.line, host: r.host, time: r.time };
      const end = open.find((x) => x.line === r.line);
      if (end) stop = show(p, end.time, 'normal');
      else stop = show(p, lastboot, lastboot === 0 ? (r.alive ? 'now' : 'phantom') : whydown);
      open = open.filter((x) => x.line !== r.line);
      open.unshift({ line: r.line, time: r.time });
    } else {
      open.unshift({ line: r.line, time: r.time });
    }
    if (down) {
      lastboot = r.time;
      whydown = down;
      open = [];
    }
    if (stop) break;
  }
  const begins = records.length ? records[0]!.time : fileCtime;
  return `${out}\nwtmp begins ${ctime(begins)}\n`;
}
