/**
 * ps of procps-ng: its mixed SysV/BSD/GNU option syntax, the process selection table,
 * the built-in formats (default, -f, -F, -l, -j, u, j, l), user formats (-o), --sort, forests,
 * and the column layout of show_one_proc(), whose "correct"/"actual" bookkeeping lets a wide
 * value push later columns right and then be absorbed by their padding.
 * -V and --help are 3.3.9's; q/-q/--quick-pid are still accepted as 3.3.10 does, though trusty's
 * 3.3.9 does not have them.
 */
import type { ProcessView } from './types';
import { rpad } from './printf';
import type { ToolExit } from './args';
import { psError, psHelp } from './psHelp';
import { procpsLibVersion } from './procps';
import { relations, statLetters, kernelState, type ProcessExtra, type ProcRelations } from './procTree';
import { ctime, psBsdTime, psCpuTime, psElapsed, psStart, psStime } from './time';

/** What ps learns from the system besides the process list. */
export interface PsContext {
  /** virtual ms since the epoch */
  now: number;
  /** virtual ms since the epoch at which the box booted */
  bootTime: number;
  /** kB, for %MEM */
  memTotalKb: number;
  /** the caller's controlling terminal, e.g. 'pts/0' ('?' when none) */
  callerTty: string;
  /** the caller's effective uid (ps selects by uid); the name is informational */
  callerUid: number;
  callerUser?: string;
  /** USER_HZ; 100 on x86 */
  clockTicks?: number;
  /** /etc/passwd as name -> uid, for -u/-U name lookups */
  users?: Readonly<Record<string, number>>;
  /** facts ProcessView does not carry (sessions, groups, PSR, WCHAN); inferred when absent */
  extras?: Readonly<Record<number, ProcessExtra>>;
  /** terminal width when stdout is a terminal; undefined when piped (ps then never truncates) */
  columns?: number;
}

type Just = 'left' | 'right' | 'user' | 'unlimited' | 'wchan';

interface Row {
  p: ProcessView;
  rel: ProcRelations;
  extra?: ProcessExtra;
  /** forest prefix characters: ' ', 'L', '+', '|' */
  forest: string;
}

interface Env {
  ctx: PsContext;
  hz: number;
  forestType: '' | 'b' | 'g' | 'u';
  unixF: boolean;
  bsdC: boolean;
}

interface ColumnDef {
  header: string;
  width: number;
  just: Just;
  value: (r: Row, env: Env, room: number) => string;
  sortKey?: (r: Row, env: Env) => number | string;
}

/* ---------- per-process arithmetic, as ps/output.c does it ---------- */

function secondsSinceBoot(env: Env): number {
  return Math.floor((env.ctx.now - env.ctx.bootTime) / 1000);
}
function startJiffies(p: ProcessView, env: Env): number {
  return Math.floor(((p.startTime - env.ctx.bootTime) * env.hz) / 1000);
}
function startEpochSec(p: ProcessView, env: Env): number {
  return Math.floor(env.ctx.bootTime / 1000) + Math.floor(startJiffies(p, env) / env.hz);
}
function lifeSeconds(p: ProcessView, env: Env): number {
  return secondsSinceBoot(env) - Math.floor(startJiffies(p, env) / env.hz);
}
function cpuJiffies(p: ProcessView, env: Env): number {
  return Math.floor((p.cpuTimeMs * env.hz) / 1000);
}
/** per-mille CPU over the process's life */
function pcpuPermille(p: ProcessView, env: Env): number {
  const s = lifeSeconds(p, env);
  return s > 0 ? Math.floor(Math.floor((cpuJiffies(p, env) * 1000) / env.hz) / s) : 0;
}
function pcpuText(p: ProcessView, env: Env): string {
  const v = pcpuPermille(p, env);
  return v > 999 ? String(Math.floor(v / 10)) : `${Math.floor(v / 10)}.${v % 10}`;
}
function cText(p: ProcessView, env: Env): string {
  const s = lifeSeconds(p, env);
  const v = s > 0 ? Math.min(99, Math.floor(Math.floor((cpuJiffies(p, env) * 100) / env.hz) / s)) : 0;
  return rpad(v, 2);
}
function pmemText(p: ProcessView, env: Env): string {
  const v = Math.min(999, Math.floor((p.rssKb * 1000) / env.ctx.memTotalKb));
  return `${rpad(Math.floor(v / 10), 2)}.${v % 10}`;
}
function cpuSeconds(p: ProcessView, env: Env): number {
  return Math.floor(cpuJiffies(p, env) / env.hz);
}
/** PF_FORKNOEXEC shows as 1, PF_SUPERPRIV as 4 */
function flagText(p: ProcessView): string {
  if (p.kernelThread) return '1';
  return p.uid === 0 ? '4' : '0';
}
function forestText(r: Row, env: Env): string {
  if (!env.forestType || !r.forest) return '';
  if (env.forestType === 'u') return '  '.repeat(r.forest.length);
  return [...r.forest].map((c) => (c === ' ' ? '    ' : c === '|' ? ' |  ' : ' \\_ ')).join('');
}
/** escape_command(): argv when there is one, else [comm], with " <defunct>" for zombies */
function commandText(r: Row, env: Env, room: number, full: boolean): string {
  const p = r.p;
  let body: string;
  if (full && p.args !== '') body = p.args;
  else {
    body = full ? `[${p.comm}]` : p.comm;
    if (p.state === 'Z') body += ' <defunct>';
  }
  const text = forestText(r, env) + body;
  return text.length > room ? text.slice(0, Math.max(room, 0)) : text;
}
function userText(name: string, uid: number, room: number): string {
  return name.length <= room ? name : String(uid);
}
function wchanText(r: Row): string {
  const given = r.extra?.wchan;
  if (given !== undefined) return given;
  if (r.p.state === 'R' || r.p.state === 'Z') return '-';
  if (r.p.kernelThread) return 'smpboo';
  return r.p.state === 'D' ? 'sleep_' : 'poll_s';
}

/* ---------- the format table (a subset of ps/output.c format_array) ---------- */

const num = (f: (r: Row, env: Env) => number) => (r: Row, env: Env) => String(f(r, env));

function def(
  header: string,
  width: number,
  just: Just,
  value: ColumnDef['value'],
  sortKey?: ColumnDef['sortKey'],
): ColumnDef {
  return { header, width, just, value, sortKey };
}

const pid = (r: Row) => r.p.pid;
const cmdSort = (r: Row) => r.p.comm;
const startSort = (r: Row) => r.p.startTime;

const FORMATS: Readonly<Record<string, ColumnDef>> = {
  '%cpu': def('%CPU', 4, 'right', (r, e) => pcpuText(r.p, e), (r, e) => pcpuPermille(r.p, e)),
  '%mem': def('%MEM', 4, 'right', (r, e) => pmemText(r.p, e), (r) => r.p.rssKb),
  addr_1: def('ADDR', 1, 'left', () => '-'),
  args: def('COMMAND', 27, 'unlimited', (r, e, room) => commandText(r, e, room, !e.bsdC), cmdSort),
  bsdstart: def('START', 6, 'right', (r, e) => {
    const start = startEpochSec(r.p, e) * 1000;
    const ago = Math.floor(e.ctx.now / 1000) - startEpochSec(r.p, e);
    return ago > 86400 ? ctime(start).slice(4, 10) : ctime(start).slice(10, 16);
  }, startSort),
  bsdtime: def('TIME', 6, 'right', (r, e) => psBsdTime(cpuSeconds(r.p, e)), (r) => r.p.cpuTimeMs),
  c: def('C', 2, 'right', (r, e) => cText(r.p, e), (r, e) => pcpuPermille(r.p, e)),
  cmd: def('CMD', 27, 'unlimited', (r, e, room) => commandText(r, e, room, !e.bsdC), cmdSort),
  comm: def('COMMAND', 15, 'unlimited', (r, e, room) => commandText(r, e, room, e.unixF), cmdSort),
  command: def('COMMAND', 27, 'unlimited', (r, e, room) => commandText(r, e, room, !e.bsdC), cmdSort),
  cputime: def('TIME', 8, 'right', (r, e) => psCpuTime(cpuSeconds(r.p, e)), (r) => r.p.cpuTimeMs),
  etime: def('ELAPSED', 11, 'right', (r, e) => psElapsed(lifeSeconds(r.p, e)), (r) => -r.p.startTime),
  etimes: def('ELAPSED', 7, 'right', (r, e) => String(lifeSeconds(r.p, e)), (r) => -r.p.startTime),
  euid: def('EUID', 5, 'right', num((r) => r.p.uid), (r) => r.p.uid),
  euser: def('EUSER', 8, 'user', (r, _e, room) => userText(r.p.user, r.p.uid, room), (r) => r.p.user),
  f: def('F', 1, 'right', (r) => flagText(r.p)),
  flag: def('F', 1, 'right', (r) => flagText(r.p)),
  flags: def('F', 1, 'right', (r) => flagText(r.p)),
  intpri: def('PRI', 3, 'right', num((r) => 80 + r.p.nice), (r) => r.p.nice),
  lstart: def('STARTED', 24, 'right', (r, e) => ctime(startEpochSec(r.p, e) * 1000), startSort),
  lwp: def('LWP', 5, 'right', num(pid), pid),
  ni: def('NI', 3, 'right', num((r) => r.p.nice), (r) => r.p.nice),
  nice: def('NI', 3, 'right', num((r) => r.p.nice), (r) => r.p.nice),
  nlwp: def('NLWP', 4, 'right', num((r) => r.p.threads), (r) => r.p.threads),
  opri: def('PRI', 3, 'right', num((r) => 80 + r.p.nice), (r) => r.p.nice),
  pcpu: def('%CPU', 4, 'right', (r, e) => pcpuText(r.p, e), (r, e) => pcpuPermille(r.p, e)),
  pgid: def('PGID', 5, 'right', num((r) => r.rel.pgid), (r) => r.rel.pgid),
  pgrp: def('PGRP', 5, 'right', num((r) => r.rel.pgid), (r) => r.rel.pgid),
  pid: def('PID', 5, 'right', num(pid), pid),
  pmem: def('%MEM', 4, 'right', (r, e) => pmemText(r.p, e), (r) => r.p.rssKb),
  ppid: def('PPID', 5, 'right', num((r) => r.p.ppid), (r) => r.p.ppid),
  pri: def('PRI', 3, 'right', num((r) => 19 - r.p.nice), (r) => r.p.nice),
  priority: def('PRI', 3, 'right', num((r) => 20 + r.p.nice), (r) => r.p.nice),
  psr: def('PSR', 3, 'right', num((r) => r.extra?.processor ?? 0), (r) => r.extra?.processor ?? 0),
  rss: def('RSS', 5, 'right', num((r) => r.p.rssKb), (r) => r.p.rssKb),
  rssize: def('RSS', 5, 'right', num((r) => r.p.rssKb), (r) => r.p.rssKb),
  rsz: def('RSZ', 5, 'right', num((r) => r.p.rssKb), (r) => r.p.rssKb),
  ruid: def('RUID', 5, 'right', num((r) => r.p.uid), (r) => r.p.uid),
  ruser: def('RUSER', 8, 'user', (r, _e, room) => userText(r.p.user, r.p.uid, room), (r) => r.p.user),
  s: def('S', 1, 'left', (r) => kernelState(r.p.state), (r) => r.p.state),
  sess: def('SESS', 5, 'right', num((r) => r.rel.sid), (r) => r.rel.sid),
  session: def('SESS', 5, 'right', num((r) => r.rel.sid), (r) => r.rel.sid),
  sid: def('SID', 5, 'right', num((r) => r.rel.sid), (r) => r.rel.sid),
  spid: def('SPID', 5, 'right', num(pid), pid),
  start: def('STARTED', 8, 'right', (r, e) => psStart(startEpochSec(r.p, e) * 1000, e.ctx.now), startSort),
  start_time: def('START', 5, 'right', (r, e) => psStime(startEpochSec(r.p, e) * 1000, e.ctx.now), startSort),
  stat: def('STAT', 4, 'left', (r) => statLetters(r.p, r.rel, r.extra), (r) => r.p.state),
  state: def('S', 1, 'left', (r) => kernelState(r.p.state), (r) => r.p.state),
  stime: def('STIME', 5, 'right', (r, e) => psStime(startEpochSec(r.p, e) * 1000, e.ctx.now), startSort),
  sz: def('SZ', 5, 'right', num((r) => Math.floor(r.p.vszKb / 4)), (r) => r.p.vszKb),
  tid: def('TID', 5, 'right', num(pid), pid),
  time: def('TIME', 8, 'right', (r, e) => psCpuTime(cpuSeconds(r.p, e)), (r) => r.p.cpuTimeMs),
  tname: def('TTY', 8, 'left', (r) => r.p.tty, (r) => r.p.tty),
  tpgid: def('TPGID', 5, 'right', num((r) => r.rel.tpgid), (r) => r.rel.tpgid),
  tt: def('TT', 8, 'left', (r) => r.p.tty, (r) => r.p.tty),
  tty: def('TT', 8, 'left', (r) => r.p.tty, (r) => r.p.tty),
  tty8: def('TTY', 8, 'left', (r) => r.p.tty, (r) => r.p.tty),
  ucmd: def('CMD', 15, 'unlimited', (r, e, room) => commandText(r, e, room, e.unixF), cmdSort),
  ucomm: def('COMMAND', 15, 'unlimited', (r, e, room) => commandText(r, e, room, e.unixF), cmdSort),
  uid: def('UID', 5, 'right', num((r) => r.p.uid), (r) => r.p.uid),
  uid_hack: def('UID', 8, 'user', (r, _e, room) => userText(r.p.user, r.p.uid, room), (r) => r.p.user),
  uname: def('USER', 8, 'user', (r, _e, room) => userText(r.p.user, r.p.uid, room), (r) => r.p.user),
  user: def('USER', 8, 'user', (r, _e, room) => userText(r.p.user, r.p.uid, room), (r) => r.p.user),
  vsize: def('VSZ', 6, 'right', num((r) => r.p.vszKb), (r) => r.p.vszKb),
  vsz: def('VSZ', 6, 'right', num((r) => r.p.vszKb), (r) => r.p.vszKb),
  wchan: def('WCHAN', 6, 'wchan', (r) => wchanText(r)),
};

/** Format names ps knows (for tab completion and `ps L`). */
const PS_FORMAT_SPECIFIERS: readonly string[] = Object.keys(FORMATS).filter((k) => k !== 'addr_1');

/* ---------- options ---------- */

interface Selection {
  type: 'pid' | 'ppid' | 'comm' | 'euid' | 'ruid' | 'tty' | 'sid' | 'pgrp';
  values: Array<number | string>;
}

interface UserColumn {
  spec: string;
  header?: string;
  width?: number;
}

interface PsOptions {
  all: boolean;
  /** SysV -a, -d and BSD a, x, g, T expressed as procps's simple_select bits */
  simple: { ua: boolean; ud: boolean; ba: boolean; bx: boolean; bg: boolean };
  negate: boolean;
  runningOnly: boolean;
  selections: Selection[];
  preferBsd: boolean;
  /** FF_* and FM_* bits that pick a built-in format */
  unixF: boolean;
  unixBigF: boolean;
  unixL: boolean;
  unixJ: boolean;
  bsdU: boolean;
  bsdJ: boolean;
  bsdL: boolean;
  bsdC: boolean;
  userFormat: UserColumn[] | null;
  /** -O / O: columns inserted after PID in a default format */
  preloaded: { cols: UserColumn[]; bsd: boolean } | null;
  forest: '' | 'b' | 'g' | 'u';
  sort: Array<{ key: string; reverse: boolean }>;
  headers: boolean;
  wCount: number;
  columns?: number;
}

function emptyOptions(): PsOptions {
  return {
    all: false,
    simple: { ua: false, ud: false, ba: false, bx: false, bg: false },
    negate: false,
    runningOnly: false,
    selections: [],
    preferBsd: false,
    unixF: false,
    unixBigF: false,
    unixL: false,
    unixJ: false,
    bsdU: false,
    bsdJ: false,
    bsdL: false,
    bsdC: false,
    userFormat: null,
    preloaded: null,
    forest: '',
    sort: [],
    headers: true,
    wCount: 0,
  };
}

type PsParse =
  | { ok: true; options: PsOptions }
  | ({ ok: false } & ToolExit);

class Fail {
  constructor(readonly message: string) {}
}
class Done {
  constructor(readonly stdout: string) {}
}

/** Lists accept commas, spaces and tabs; an empty item is "improper list". */
function splitList(arg: string): string[] | Fail {
  if (/^[ ,\t]|[ ,\t][ ,\t]|[ ,\t]$/.test(arg) || arg === '') return new Fail('improper list');
  return arg.split(/[ ,\t]/);
}

function parsePidList(arg: string): number[] | Fail {
  const items = splitList(arg);
  if (items instanceof Fail) return items;
  const out: number[] = [];
  for (const it of items) {
    if (!/^(0x[0-9a-f]+|0[0-7]*|[1-9]\d*)$/i.test(it)) return new Fail('process ID list syntax error');
    const n = Number(it.startsWith('0') && !it.startsWith('0x') && it.length > 1 ? parseInt(it, 8) : Number(it));
    if (n < 1 || n > 0x7fffffff) return new Fail('process ID out of range');
    out.push(n);
  }
  return out;
}

function parseUserList(arg: string, users: Readonly<Record<string, number>>): Array<number | string> | Fail {
  const items = splitList(arg);
  if (items instanceof Fail) return items;
  const out: Array<number | string> = [];
  for (const it of items) {
    if (/^\d+$/.test(it)) out.push(Number(it));
    else if (users[it] !== undefined) out.push(users[it]);
    else return new Fail('user name does not exist');
  }
  return out;
}

function parseTtyList(arg: string): string[] | Fail {
  const items = splitList(arg);
  if (items instanceof Fail) return items;
  return items.map((t) => {
    if (t === '-' || t === '?') return '?';
    const bare = t.replace(/^\/dev\//, '');
    if (/^\d+$/.test(bare)) return `pts/${bare}`;
    return bare;
  });
}

function parseFormatList(arg: string): UserColumn[] | Fail {
  const items = arg.split(/[ ,\t]/);
  if (items.some((i) => i === '')) return new Fail('improper format list');
  const out: UserColumn[] = [];
  for (const item of items) {
    const eq = item.indexOf('=');
    const name = eq === -1 ? item : item.slice(0, eq);
    const colon = name.indexOf(':');
    const spec = colon === -1 ? name : name.slice(0, colon);
    const col: UserColumn = { spec };
    if (colon !== -1) {
      const w = name.slice(colon + 1);
      if (!/^[1-9]\d*$/.test(w)) return new Fail('column widths must be unsigned decimal numbers');
      col.width = Number(w);
    }
    if (eq !== -1) col.header = item.slice(eq + 1);
    if (!FORMATS[spec]) {
      return new Fail(spec.startsWith('%') ? 'improper AIX field descriptor' : `unknown user-defined format specifier "${spec}"`);
    }
    out.push(col);
  }
  return out;
}

function parseSortList(arg: string): Array<{ key: string; reverse: boolean }> | Fail {
  const out: Array<{ key: string; reverse: boolean }> = [];
  for (const raw of arg.split(/[ ,]/)) {
    if (raw === '') return new Fail('long sort specification must follow --sort');
    let key = raw;
    let reverse = false;
    if (key[0] === '+' || key[0] === '-') {
      reverse = key[0] === '-';
      key = key.slice(1);
    }
    const d = FORMATS[key];
    if (!d || !d.sortKey) return new Fail('unknown sort specifier');
    out.push({ key, reverse });
  }
  return out;
}

class Parser {
  o = emptyOptions();
  private i = 0;

  constructor(
    private readonly argv: readonly string[],
    private readonly users: Readonly<Record<string, number>>,
    private readonly forceBsd: boolean,
  ) {
    if (forceBsd) this.o.preferBsd = true;
  }

  run(): Fail | Done | null {
    for (this.i = 0; this.i < this.argv.length; this.i++) {
      const a = this.argv[this.i];
      const r = this.one(a);
      if (r) return r;
    }
    return this.finish();
  }

  private argType(s: string): 'gnu' | 'end' | 'sysv' | 'bsd' | 'pid' | 'pgrp' | 'sess' | 'fail' {
    const c0 = s[0] ?? '';
    if (/[a-zA-Z]/.test(c0)) return 'bsd';
    if (/[0-9]/.test(c0)) return 'pid';
    if (c0 === '+') return 'sess';
    if (c0 !== '-') return 'fail';
    const c1 = s[1] ?? '';
    if (/[a-zA-Z]/.test(c1)) return 'sysv';
    if (/[0-9]/.test(c1)) return 'pgrp';
    if (c1 !== '-') return 'fail';
    const c2 = s[2] ?? '';
    if (/[a-zA-Z]/.test(c2)) return 'gnu';
    if (c2 === '') return 'end';
    return 'fail';
  }

  private one(a: string): Fail | Done | null {
    switch (this.argType(a)) {
      case 'gnu':
        return this.gnu(a);
      case 'sysv':
        if (!this.forceBsd) return this.sysv(a);
        this.o.preferBsd = true;
        return this.bsd(a.slice(1));
      case 'bsd':
        this.o.preferBsd = true;
        return this.bsd(a);
      case 'pid':
      case 'pgrp':
      case 'sess':
        this.o.preferBsd = true;
        return this.trailing();
      default:
        return new Fail('garbage option');
    }
  }

  /** get_opt_arg(): the rest of this word, else the next non-empty word */
  private optArg(word: string, at: number): string | null {
    if (at + 1 < word.length) return word.slice(at + 1);
    if (this.i + 1 >= this.argv.length || this.argv[this.i + 1] === '') return null;
    return this.argv[++this.i];
  }

  private addSel(type: Selection['type'], values: Array<number | string> | Fail): Fail | null {
    if (values instanceof Fail) return values;
    this.o.selections.push({ type, values });
    return null;
  }

  private exclusive(word: string): Fail | Done {
    if (this.argv.length !== 1) return new Fail(`the option is exclusive: ${word}`);
    return new Done(procpsLibVersion());
  }

  private sysv(word: string): Fail | Done | null {
    const o = this.o;
    for (let k = 1; k < word.length; k++) {
      const c = word[k];
      switch (c) {
        case 'A': case 'e': o.all = true; break;
        case 'a': o.simple.ua = true; break;
        case 'd': o.simple.ud = true; break;
        case 'N': o.negate = true; break;
        case 'f': o.unixF = true; break;
        case 'F': o.unixF = true; o.unixBigF = true; break;
        case 'l': o.unixL = true; break;
        case 'j': o.unixJ = true; break;
        case 'H': o.forest = 'u'; break;
        case 'w': o.wCount++; break;
        case 'c': case 'y': case 'L': case 'T': case 'm': case 'M': case 'Z': case 'P': break;
        case 'V': return this.exclusive('-V');
        case 'x': return new Fail('must set personality to get -x option');
        case '-': return new Fail("embedded '-' among SysV options makes no sense");
        case 'C': case 'G': case 'O': case 'U': case 'g': case 'o': case 'p': case 'q': case 's': case 't': case 'u': {
          const arg = this.optArg(word, k);
          const need: Record<string, string> = {
            C: 'list of command names must follow -C',
            G: 'list of real groups must follow -G',
            O: 'format or sort specification must follow -O',
            U: 'list of real users must follow -U',
            g: 'list of session leaders OR effective group names must follow -g',
            o: 'format specification must follow -o',
            p: 'list of process IDs must follow -p',
            q: 'List of process IDs must follow -q.',
            s: 'list of session IDs must follow -s',
            t: 'list of terminals (pty, tty...) must follow -t',
            u: 'list of users must follow -u',
          };
          if (arg === null) return new Fail(need[c]);
          return this.sysvArg(c, arg);
        }
        default:
          return new Fail('unsupported SysV option');
      }
    }
    return null;
  }

  private sysvArg(c: string, arg: string): Fail | null {
    switch (c) {
      case 'C': {
        const items = splitList(arg);
        return this.addSel('comm', items instanceof Fail ? items : items.map((s) => s.slice(0, 15)));
      }
      case 'p': case 'q': return this.addSel('pid', parsePidList(arg));
      case 's': return this.addSel('sid', parsePidList(arg));
      case 'g': {
        const pids = parsePidList(arg);
        if (!(pids instanceof Fail)) return this.addSel('sid', pids);
        return new Fail('list of session leaders OR effective group IDs was invalid');
      }
      case 'G': return new Fail('group name does not exist');
      case 't': return this.addSel('tty', parseTtyList(arg));
      case 'u': return this.addSel('euid', parseUserList(arg, this.users));
      case 'U': return this.addSel('ruid', parseUserList(arg, this.users));
      case 'o': {
        const cols = parseFormatList(arg);
        if (cols instanceof Fail) return cols;
        this.o.userFormat = [...(this.o.userFormat ?? []), ...cols];
        return null;
      }
      case 'O': {
        const cols = parseFormatList(arg);
        if (cols instanceof Fail) return cols;
        this.o.preloaded = { cols, bsd: false };
        return null;
      }
    }
    return null;
  }

  private bsd(word: string): Fail | Done | null {
    const o = this.o;
    for (let k = 0; k < word.length; k++) {
      const c = word[k];
      if (/[0-9]/.test(c)) return this.addSel('pid', parsePidList(word.slice(k)));
      switch (c) {
        case 'a': o.simple.ba = true; break;
        case 'x': o.simple.bx = true; break;
        case 'g': o.simple.bg = true; break;
        case 'T': o.selections.push({ type: 'tty', values: ['\0self'] }); break;
        case 'r': o.runningOnly = true; break;
        case 'u': o.bsdU = true; break;
        case 'j': o.bsdJ = true; break;
        case 'l': o.bsdL = true; break;
        case 'c': o.bsdC = true; break;
        case 'f': o.forest = 'b'; break;
        case 'w': o.wCount++; break;
        case 'h':
          o.headers = false;
          break;
        case 'e': case 'n': case 'S': case 'H': case 'M': case 'Z': case 'm': case 's': case 'v': case 'X': break;
        case 'L': {
          if (this.argv.length !== 1) return new Fail('the option is exclusive: L');
          return new Done(
            PS_FORMAT_SPECIFIERS.map((k) => `${k.padEnd(12).slice(0, 12)} ${FORMATS[k].header.padEnd(8).slice(0, 8)}`).join('\n') + '\n',
          );
        }
        case 'V': return this.exclusive('V');
        case 'W': return new Fail('obsolete W option not supported (you have a /dev/drum?)');
        case '-': return new Fail("embedded '-' among BSD options makes no sense");
        case 'O': case 'U': case 'k': case 'o': case 'p': case 'q': case 't': {
          const arg = this.optArg(word, k);
          if (arg === null) {
            if (c === 't') {
              o.selections.push({ type: 'tty', values: ['\0self'] });
              return null;
            }
            const need: Record<string, string> = {
              O: 'format or sort specification must follow O',
              U: 'list of users must follow U',
              k: "long sort specification must follow 'k'",
              o: 'format specification must follow o',
              p: 'list of process IDs must follow p',
              q: 'List of process IDs must follow q.',
            };
            return new Fail(need[c]);
          }
          switch (c) {
            case 'U': return this.addSel('euid', parseUserList(arg, this.users));
            case 'p': case 'q': return this.addSel('pid', parsePidList(arg));
            case 't': return this.addSel('tty', parseTtyList(arg));
            case 'k': {
              const s = parseSortList(arg);
              if (s instanceof Fail) return s;
              o.sort = [...o.sort, ...s];
              return null;
            }
            case 'o': {
              const cols = parseFormatList(arg);
              if (cols instanceof Fail) return cols;
              o.userFormat = [...(o.userFormat ?? []), ...cols];
              return null;
            }
            case 'O': {
              const cols = parseFormatList(arg);
              if (cols instanceof Fail) return cols;
              o.preloaded = { cols, bsd: true };
              return null;
            }
          }
          return null;
        }
        default:
          return new Fail('unsupported option (BSD syntax)');
      }
    }
    return null;
  }

  private gnu(word: string): Fail | Done | null {
    const body = word.slice(2);
    const cut = body.search(/[:=]/);
    const name = cut === -1 ? body : body.slice(0, cut);
    const inline = cut === -1 ? null : body.slice(cut + 1);
    const arg = (): string | null => {
      if (inline !== null) return inline === '' ? null : inline;
      if (this.i + 1 >= this.argv.length || this.argv[this.i + 1] === '') return null;
      return this.argv[++this.i];
    };
    const noArg = (label: string): Fail | null => (inline !== null ? new Fail(`option --${label} does not take an argument`) : null);
    const o = this.o;
    switch (name) {
      case 'help': {
        const section = arg();
        return new Done(psHelp(section ?? undefined));
      }
      case 'version':
        return this.exclusive('--version');
      case 'pid':
      case 'quick-pid': {
        const v = arg();
        if (v === null) return new Fail(name === 'pid' ? 'list of process IDs must follow --pid' : 'List of process IDs must follow --quick-pid.');
        return this.addSel('pid', parsePidList(v));
      }
      case 'ppid': {
        const v = arg();
        if (v === null) return new Fail('list of process IDs must follow --ppid');
        return this.addSel('ppid', parsePidList(v));
      }
      case 'sid': {
        const v = arg();
        if (v === null) return new Fail('some sid thing(s) must follow --sid');
        return this.addSel('sid', parsePidList(v));
      }
      case 'tty': {
        const v = arg();
        if (v === null) return new Fail('list of ttys must follow --tty');
        return this.addSel('tty', parseTtyList(v));
      }
      case 'user': {
        const v = arg();
        if (v === null) return new Fail('list of effective users must follow --user');
        return this.addSel('euid', parseUserList(v, this.users));
      }
      case 'User': {
        const v = arg();
        if (v === null) return new Fail('list of real users must follow --User');
        return this.addSel('ruid', parseUserList(v, this.users));
      }
      case 'group':
      case 'Group':
        return arg() === null
          ? new Fail(name === 'group' ? 'list of effective groups must follow --group' : 'list of real groups must follow --Group')
          : new Fail('group name does not exist');
      case 'sort': {
        const v = arg();
        if (v === null) return new Fail('long sort specification must follow --sort');
        const s = parseSortList(v);
        if (s instanceof Fail) return s;
        o.sort = [...o.sort, ...s];
        return null;
      }
      case 'format': {
        const v = arg();
        if (v === null) return new Fail('format specification must follow --format');
        const cols = parseFormatList(v);
        if (cols instanceof Fail) return cols;
        o.userFormat = [...(o.userFormat ?? []), ...cols];
        return null;
      }
      case 'forest': {
        const f = noArg('forest');
        if (f) return f;
        o.forest = 'g';
        return null;
      }
      case 'deselect': {
        const f = noArg('deselect');
        if (f) return f;
        o.negate = true;
        return null;
      }
      case 'cumulative':
      case 'context':
        return null;
      case 'no-header': case 'no-headers': case 'no-heading': case 'no-headings':
      case 'noheader': case 'noheaders': case 'noheading': case 'noheadings': {
        const f = noArg('no-heading');
        if (f) return f;
        o.headers = false;
        return null;
      }
      case 'header': case 'headers': case 'heading': case 'headings':
        return noArg('heading');
      case 'cols': case 'columns': case 'width': {
        const v = arg();
        if (v !== null && /^\d+$/.test(v) && Number(v) > 0) {
          o.columns = Number(v);
          return null;
        }
        return new Fail('number of columns must follow --cols, --width, or --columns');
      }
      case 'rows': case 'lines': {
        const v = arg();
        if (v !== null && /^\d+$/.test(v) && Number(v) > 0) return null;
        return new Fail('number of rows must follow --rows or --lines');
      }
      default:
        return new Fail('unknown gnu long option');
    }
  }

  private trailing(): Fail | null {
    for (; this.i < this.argv.length; this.i++) {
      const d = this.argv[this.i];
      const kind = d[0] === '-' ? 'pgrp' : d[0] === '+' ? 'sid' : 'pid';
      const list = parsePidList(kind === 'pid' ? d : d.slice(1));
      if (list instanceof Fail) return list;
      this.o.selections.push({ type: kind, values: list });
    }
    return null;
  }

  private finish(): Fail | null {
    const s = this.o.simple;
    const any = s.ua || s.ud || s.ba || s.bx || s.bg;
    if (any && (s.ua || s.ud) && (s.ba || s.bx)) return new Fail('conflicting process selections (U)');
    return null;
  }
}

/** Parses ps's argv (without argv[0]) exactly as arg_parse() does, SysV first, then BSD. */
export function parsePsArgs(argv: readonly string[], users: Readonly<Record<string, number>> = {}): PsParse {
  const first = new Parser(argv, users, false);
  const r1 = first.run();
  if (r1 instanceof Done) return { ok: false, stdout: r1.stdout, stderr: '', code: 0 };
  if (r1 === null) return { ok: true, options: first.o };
  // like arg_parse(): when the standard reading fails, try again treating everything as BSD
  const second = new Parser(argv, users, true);
  const r2 = second.run();
  if (r2 instanceof Done) return { ok: false, stdout: r2.stdout, stderr: '', code: 0 };
  if (r2 === null) return { ok: true, options: second.o };
  return { ok: false, stdout: '', stderr: psError(r1.message), code: 1 };
}

/* ---------- selection ---------- */

function selected(r: Row, o: PsOptions, ctx: PsContext): boolean {
  const p = r.p;
  let accepted: boolean;
  if (o.all) accepted = true;
  else {
    accepted = false;
    const s = o.simple;
    const simple = s.ua || s.ud || s.ba || s.bx || s.bg;
    if (simple || !o.selections.length) accepted = tableAccept(r, o, ctx);
    if (!accepted) accepted = listed(r, o, ctx);
  }
  if (o.runningOnly && kernelState(p.state) !== 'R') accepted = false;
  return o.negate ? !accepted : accepted;
}

/** select_bits from select_bits_setup(), indexed by euid|leader|no-tty|our-tty. */
function selectBits(o: PsOptions): number {
  const s = o.simple;
  if (!(s.ua || s.ud || s.ba || s.bx || s.bg) && !o.preferBsd) return 0xaa00;
  const g = !(s.ua || s.ud);
  const key = `${s.ua ? 'a' : ''}${s.ud ? 'd' : ''}${g || s.bg ? 'g' : ''}${s.bx ? 'x' : ''}${s.ba ? 'A' : ''}`;
  switch (key) {
    case 'ad': return 0x3f3f;
    case 'a': return 0x0303;
    case 'd': return 0x3333;
    case 'g': return 0x0a0a;
    case 'gA': return 0x0f0f;
    case 'gx': return 0xaaaa;
    case 'gxA': return 0xffff;
    default: return 0xaa00;
  }
}

function tableAccept(r: Row, o: PsOptions, ctx: PsContext): boolean {
  const p = r.p;
  const index =
    (p.uid === ctx.callerUid ? 1 : 0) |
    ((r.rel.sid === p.pid ? 1 : 0) << 1) |
    ((p.tty === '?' ? 1 : 0) << 2) |
    ((p.tty === ctx.callerTty ? 1 : 0) << 3);
  return (selectBits(o) & (1 << index)) !== 0;
}

function listed(r: Row, o: PsOptions, ctx: PsContext): boolean {
  const p = r.p;
  return o.selections.some((sel) =>
    sel.values.some((v) => {
      switch (sel.type) {
        case 'pid': return p.pid === v;
        case 'ppid': return p.ppid === v;
        case 'comm': return p.comm.slice(0, 15) === v;
        case 'euid': case 'ruid': return p.uid === v;
        case 'tty': return p.tty === (v === '\0self' ? ctx.callerTty : v);
        case 'sid': return r.rel.sid === v;
        case 'pgrp': return r.rel.pgid === v;
      }
      return false;
    }),
  );
}

/* ---------- choosing columns ---------- */

interface Column extends ColumnDef {
  key: string;
}

function col(key: string, header?: string, width?: number): Column {
  const d = FORMATS[key];
  const h = header ?? d.header;
  return { ...d, key, header: h, width: width ?? Math.max(d.width, header !== undefined ? h.length : 0) };
}

function builtinColumns(o: PsOptions): string[] {
  if (o.bsdU) return ['user', 'pid', '%cpu', '%mem', 'vsz', 'rss', 'tname', 'stat', 'start_time', 'bsdtime', 'args'];
  if (o.bsdJ) return ['ppid', 'pid', 'pgid', 'sid', 'tname', 'tpgid', 'stat', 'uid', 'bsdtime', 'args'];
  if (o.bsdL) return ['flags', 'uid', 'pid', 'ppid', 'priority', 'nice', 'vsz', 'rss', 'wchan', 'stat', 'tname', 'bsdtime', 'args'];
  const cols: string[] = [];
  if (o.unixL) cols.push('f', 's');
  if (o.unixF) cols.push('uid_hack');
  else if (o.unixL) cols.push('uid');
  cols.push('pid');
  if (o.unixF || o.unixL) cols.push('ppid');
  if (o.unixJ) cols.push('pgid', 'sid');
  if (o.unixF || o.unixL) cols.push('c');
  if (o.unixL) cols.push('opri', 'ni', 'addr_1');
  if (o.unixBigF || o.unixL) cols.push('sz');
  if (o.unixBigF) cols.push('rss', 'psr');
  if (o.unixL) cols.push('wchan');
  if (o.unixF) cols.push('stime');
  cols.push('tname');
  if (o.preferBsd && !(o.unixF || o.unixL || o.unixJ)) {
    cols.push('stat', 'bsdtime', 'args');
  } else if (o.preferBsd) {
    if (!o.unixL) cols.splice(cols.indexOf('tname') + 1, 0, 'stat');
    cols.push('bsdtime', 'cmd');
  } else {
    cols.push('time', o.unixF ? 'cmd' : 'ucmd');
  }
  return cols;
}

function chooseColumns(o: PsOptions): Column[] {
  if (o.userFormat) return o.userFormat.map((c) => col(c.spec, c.header, c.width));
  if (o.preloaded) {
    const tail = o.preloaded.bsd ? ['state', 'tname', 'cputime', 'comm'] : ['state', 'tname', 'time', 'command'];
    return [col('pid'), ...o.preloaded.cols.map((c) => col(c.spec, c.header, c.width)), ...tail.map((k) => col(k))];
  }
  return builtinColumns(o).map((k) => col(k));
}

/* ---------- layout ---------- */

function activeColumns(cols: readonly Column[], screen: number): number {
  if (!Number.isFinite(screen)) return Infinity;
  let total = 0;
  cols.forEach((c, i) => {
    total += c.just === 'unlimited' && i === cols.length - 1 ? 3 : c.width;
    total += i ? 1 : 0;
  });
  let n = 1;
  while (screen * n < total) n++;
  return screen * n;
}

/** show_one_proc(): one line of output for a process, or the header when row is null. */
function renderLine(cols: readonly Column[], row: Row | null, env: Env, activeCols: number): string {
  let correct = 0;
  let actual = 0;
  let dospace = 0;
  let out = '';
  for (let i = 0; i < cols.length; i++) {
    const c = cols[i];
    const last = i === cols.length - 1;
    let room: number;
    let tmpspace: number;
    if (!last) {
      room = c.width;
      tmpspace = 0;
    } else {
      tmpspace = correct - actual;
      if (tmpspace < 1) {
        tmpspace = dospace;
        room = activeCols - actual - tmpspace;
      } else {
        room = activeCols - Math.max(correct, actual);
      }
    }
    let text = row ? c.value(row, env, room) : c.header;
    if (row && c.just === 'wchan') text = text.slice(0, room);
    if ((c.just === 'unlimited' || c.just === 'wchan') && activeCols - actual - tmpspace < 1) text = text.slice(0, 1);
    const amount = text.length;
    const leftpad = c.just === 'right' ? Math.max(0, c.width - amount) : 0;
    let space = correct - actual + leftpad;
    if (space < 1) space = dospace;
    if (space > 144) space = 144;
    out += ' '.repeat(space) + text;
    if (last) break;
    actual += space + amount;
    correct += c.width + 1;
    dospace = 1;
  }
  return out;
}

/* ---------- ordering ---------- */

function compareRows(a: Row, b: Row, keys: PsOptions['sort'], env: Env): number {
  for (const k of keys) {
    const f = FORMATS[k.key].sortKey;
    if (!f) continue;
    const x = f(a, env);
    const y = f(b, env);
    if (x < y) return k.reverse ? 1 : -1;
    if (x > y) return k.reverse ? -1 : 1;
  }
  return 0;
}

/** show_forest(): roots taken from the end of the ppid-sorted list, init's children kept flush left. */
function forestOrder(rows: Row[], type: Env['forestType']): Row[] {
  const sorted = [...rows].sort((a, b) => a.p.ppid - b.p.ppid || a.p.startTime - b.p.startTime || a.p.pid - b.p.pid);
  const out: Row[] = [];
  const n = sorted.length;
  const pids = new Set(sorted.map((r) => r.p.pid));
  const prefix: string[] = [];
  const showTree = (self: number, level: number, haveSibling: boolean) => {
    if (level) {
      prefix[level - 1] = haveSibling ? '+' : 'L';
      prefix.length = level;
    }
    out.push({ ...sorted[self], forest: prefix.slice(0, level).join('') });
    let i = 0;
    while (i < n && sorted[i].p.ppid !== sorted[self].p.pid) i++;
    if (i >= n) return;
    if (level) {
      prefix[level - 1] = haveSibling ? '|' : ' ';
      prefix.length = level;
    }
    const selfPid = sorted[self].p.pid;
    for (;;) {
      if (i >= n) break;
      const more = i + 1 < n && sorted[i + 1].p.ppid === selfPid;
      if (selfPid === 1 && type !== 'u') showTree(i++, level, more);
      else showTree(i++, level + 1, more);
      if (!more) break;
    }
    prefix.length = level;
  };
  for (let i = n - 1; i >= 0; i--) {
    if (!pids.has(sorted[i].p.ppid)) showTree(i, 0, false);
  }
  return out;
}

/**
 * Runs ps over the given processes. stdout holds the table (with its trailing newline); when
 * nothing matched, ps still prints the header and exits 1.
 */
export function formatPs(procs: readonly ProcessView[], ctx: PsContext, o: PsOptions): ToolExit {
  const rel = relations(procs, ctx.extras ?? {});
  const env: Env = {
    ctx,
    hz: ctx.clockTicks ?? 100,
    forestType: o.forest,
    unixF: o.unixF,
    bsdC: o.bsdC,
  };
  let rows: Row[] = [...procs]
    .sort((a, b) => a.pid - b.pid)
    .map((p) => ({ p, rel: rel.get(p.pid) as ProcRelations, extra: ctx.extras?.[p.pid], forest: '' }))
    .filter((r) => selected(r, o, ctx));
  if (o.forest) rows = forestOrder(rows, o.forest);
  else if (o.sort.length) rows = rows.map((r, i) => ({ r, i })).sort((a, b) => compareRows(a.r, b.r, o.sort, env) || a.i - b.i).map((x) => x.r);

  const cols = chooseColumns(o);
  let screen = o.columns ?? ctx.columns ?? Infinity;
  if (o.wCount && screen < 132) screen = 132;
  if (o.wCount > 1) screen = Infinity;
  const active = activeColumns(cols, screen);
  const lines: string[] = [];
  // a format whose every header was blanked with "=" prints no header line at all
  if (o.headers && cols.some((c) => c.header !== '')) lines.push(renderLine(cols, null, env, active));
  for (const r of rows) lines.push(renderLine(cols, r, env, active));
  const stdout = lines.length ? lines.join('\n') + '\n' : '';
  return { stdout, stderr: '', code: rows.length ? 0 : 1 };
}

/** Convenience: parse and run in one go. */
export function runPs(argv: readonly string[], procs: readonly ProcessView[], ctx: PsContext): ToolExit {
  const parsed = parsePsArgs(argv, ctx.users ?? {});
  if (!parsed.ok) return { stdout: parsed.stdout, stderr: parsed.stderr, code: parsed.code };
  return formatPs(procs, ctx, parsed.options);
}
