/**
 * pgrep and pkill from procps-ng 3.3.9 (pgrep.c): option parsing, the selection walk over the
 * process table in pid order, and pgrep's output. pkill's signalling is the caller's: this
 * module only says which pids and which signal.
 */
import { compileNode, parsePosix, wholeLine, RegexError, RegexTooComplex } from '../shell/regex';
import type { ProcessView } from './types';

export interface PgrepOptions {
  pkill: boolean;
  full: boolean;
  /** -l: pid and name */
  long: boolean;
  /** -a: pid and full command line */
  longlong: boolean;
  newest: boolean;
  oldest: boolean;
  negate: boolean;
  exact: boolean;
  count: boolean;
  echo: boolean;
  delim: string;
  /** pkill: the signal number (a name that did not parse is -1, as in pgrep.c) */
  signal: number;
  ppid: number[] | null;
  euid: number[] | null;
  ruid: number[] | null;
  term: string[] | null;
  pattern: string | null;
}

type Parsed = { ok: true; options: PgrepOptions } | { ok: false; stdout: string; stderr: string; code: number };

function usage(pkill: boolean): string {
  const name = pkill ? 'pkill' : 'pgrep';
  return (
    `\nUsage:\n ${name} [options] <pattern>\n\nOptions:\n` +
    (pkill
      ? ' -<sig>, --signal <sig>    signal to send (either number or name)\n -e, --echo                display what is killed\n'
      : ' -d, --delimiter <string>  specify output delimiter\n -l, --list-name           list PID and process name\n -v, --inverse             negates the matching\n -w, --lightweight         list all TID\n') +
    ' -c, --count               count of matching processes\n' +
    ' -f, --full                use full process name to match\n' +
    ' -g, --pgroup <id,...>     match listed process group IDs\n' +
    ' -G, --group <gid,...>     match real group IDs\n' +
    ' -n, --newest              select most recently started\n' +
    ' -o, --oldest              select least recently started\n' +
    ' -P, --parent <ppid,...>   match only child processes of the given parent\n' +
    ' -s, --session <sid,...>   match session IDs\n' +
    ' -t, --terminal <tty,...>  match by controlling terminal\n' +
    ' -u, --euid <id,...>       match by effective IDs\n' +
    ' -U, --uid <id,...>        match by real IDs\n' +
    ' -x, --exact               match exactly with the command name\n' +
    ' -F, --pidfile <file>      read PIDs from file\n' +
    ' -L, --logpidfile          fail if PID file is not locked\n' +
    ' --ns <pid>                match the processes that belong to the same\n' +
    '                           namespace as <pid>\n' +
    ' --nslist <ns,...>         list which namespaces will be considered for\n' +
    '                           the --ns option.\n' +
    '                           Available namespaces: ipc, mnt, net, pid, user, uts\n' +
    '\n -h, --help     display this help and exit\n -V, --version  output version information and exit\n' +
    `\nFor more details see ${name}(1).\n`
  );
}

/** strict_atol(): an optional sign, then digits only */
function strictAtol(s: string): number | null {
  const m = /^([+-]?)(\d*)$/.exec(s);
  if (!m) return null;
  const v = m[2] === '' ? 0 : Number(m[2]);
  return m[1] === '-' ? -v : v;
}

const LONG: Record<string, string> = {
  signal: 'SIG',
  count: 'c',
  delimiter: 'd',
  'list-name': 'l',
  'list-full': 'a',
  full: 'f',
  pgroup: 'g',
  group: 'G',
  newest: 'n',
  oldest: 'o',
  parent: 'P',
  session: 's',
  terminal: 't',
  euid: 'u',
  uid: 'U',
  inverse: 'v',
  lightweight: 'w',
  exact: 'x',
  pidfile: 'F',
  logpidfile: 'L',
  echo: 'e',
  ns: 'NS',
  nslist: 'NSLIST',
  help: 'h',
  version: 'V',
};
const TAKES_ARG = new Set(['SIG', 'd', 'g', 'G', 'P', 's', 't', 'u', 'U', 'F', 'NS', 'NSLIST']);

/**
 * @param parseSignal a signal name or number as pkill's signal_name_to_number() takes it, -1 when unknown
 * @param users /etc/passwd as name → uid
 */
export function parsePgrepArgs(argv: readonly string[], pkill: boolean, parseSignal: (s: string) => number, users: Record<string, number>): Parsed {
  const name = pkill ? 'pkill' : 'pgrep';
  const o: PgrepOptions = {
    pkill,
    full: false,
    long: false,
    longlong: false,
    newest: false,
    oldest: false,
    negate: false,
    exact: false,
    count: false,
    echo: false,
    delim: '\n',
    signal: 15,
    ppid: null,
    euid: null,
    ruid: null,
    term: null,
    pattern: null,
  };
  const args = [...argv];
  // signal_option(): the first -NAME or -NUMBER that is a signal is taken out before getopt runs
  if (pkill) {
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (!a.startsWith('-') || a.length < 2) continue;
      let sig = parseSignal(a.slice(1));
      if (sig === -1 && /^\d/.test(a.slice(1))) sig = parseInt(a.slice(1), 10);
      if (sig > -1) {
        o.signal = sig;
        args.splice(i, 1);
        break;
      }
    }
  }
  const shortOpts = pkill ? 'e' : 'lad:vw';
  const allowed = new Set([...`${shortOpts}LF:cfnoxP:g:s:u:U:G:t:?Vh`.replace(/:/g, '')]);
  const usageOut = (): Parsed => ({ ok: false, stdout: usage(pkill), stderr: '', code: 0 });
  const fail = (msg: string, code: number): Parsed => ({ ok: false, stdout: '', stderr: `${name}: ${msg}\n`, code });
  const operands: string[] = [];
  let criteria = 0;
  const numList = (v: string, conv: (x: string) => number | string | null): Array<number | string> | null => {
    const out: Array<number | string> = [];
    for (const part of v.split(',')) {
      const r = conv(part);
      if (r === null) return null;
      out.push(r);
    }
    return out;
  };
  let err: Parsed | null = null;
  const apply = (opt: string, val: string | undefined): Parsed | null => {
    switch (opt) {
      case 'SIG': {
        let sig = parseSignal(val!);
        if (sig === -1 && /^\d/.test(val!)) sig = parseInt(val!, 10);
        o.signal = sig;
        return null;
      }
      case 'e':
        o.echo = true;
        return null;
      case 'c':
        o.count = true;
        return null;
      case 'd':
        o.delim = val!;
        return null;
      case 'f':
        o.full = true;
        return null;
      case 'l':
        o.long = true;
        return null;
      case 'a':
        o.longlong = true;
        return null;
      case 'n':
      case 'o':
        if (o.oldest || o.negate || o.newest) return usageOut();
        if (opt === 'n') o.newest = true;
        else o.oldest = true;
        criteria++;
        return null;
      case 'v':
        if (o.oldest || o.negate || o.newest) return usageOut();
        o.negate = true;
        return null;
      case 'w':
        return null;
      case 'x':
        o.exact = true;
        return null;
      case 'P': {
        const l = numList(val!, (x) => {
          const n = strictAtol(x);
          if (n === null) err = fail(`not a number: ${x}`, 2);
          return n;
        });
        if (!l) return err;
        o.ppid = l as number[];
        criteria++;
        return null;
      }
      case 'u':
      case 'U': {
        const l = numList(val!, (x) => {
          const n = strictAtol(x);
          if (n !== null) return n;
          if (users[x] !== undefined) return users[x]!;
          err = fail(`invalid user name: ${x}`, 2);
          return null;
        });
        if (!l) return err;
        if (opt === 'u') o.euid = l as number[];
        else o.ruid = l as number[];
        criteria++;
        return null;
      }
      case 't':
        o.term = val!.split(',');
        criteria++;
        return null;
      case 'h':
        return usageOut();
      case 'V':
        return { ok: false, stdout: `${name} from procps-ng 3.3.9\n`, stderr: '', code: 0 };
      default:
        return { ok: false, stdout: '', stderr: `${name}: option -${opt.length === 1 ? opt : `-${opt.toLowerCase()}`} is not simulated here: the grimoire's processes have no process groups, sessions, group ids, pid files or namespaces to match\n`, code: 2 };
    }
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const key = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const matches = Object.keys(LONG).filter((k) => k.startsWith(key) && (pkill || k !== 'signal' && k !== 'echo'));
      const exact = matches.includes(key) ? key : matches.length === 1 ? matches[0] : undefined;
      if (!exact) return { ok: false, stdout: usage(pkill), stderr: `${name}: ${matches.length > 1 ? 'option' : 'unrecognized option'} '${a}'${matches.length > 1 ? ' is ambiguous' : ''}\n`, code: 0 };
      const opt = LONG[exact]!;
      let val: string | undefined;
      if (TAKES_ARG.has(opt)) {
        val = eq >= 0 ? a.slice(eq + 1) : args[++i];
        if (val === undefined) return { ok: false, stdout: usage(pkill), stderr: `${name}: option '--${exact}' requires an argument\n`, code: 0 };
      }
      const r = apply(opt, val);
      if (r) return r;
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const ch = a[j]!;
        if (!allowed.has(ch) || ch === '?') return { ok: false, stdout: usage(pkill), stderr: `${name}: invalid option -- '${ch}'\n`, code: 0 };
        let val: string | undefined;
        if (TAKES_ARG.has(ch)) {
          val = a.slice(j + 1) || args[++i];
          if (val === undefined) return { ok: false, stdout: usage(pkill), stderr: `${name}: option requires an argument -- '${ch}'\n`, code: 0 };
          j = a.length;
        }
        const r = apply(ch, val);
        if (r) return r;
      }
      continue;
    }
    operands.push(a);
  }
  if (operands.length === 1) o.pattern = operands[0]!;
  else if (operands.length > 1) return fail(`only one pattern can be provided\nTry \`${name} --help' for more information.`, 1);
  else if (criteria === 0) return fail(`no matching criteria specified\nTry \`${name} --help' for more information.`, 1);
  return { ok: true, options: o };
}

export interface PgrepMatch {
  pid: number;
  /** what -l, -a and pkill -e print after the pid */
  text: string;
}

/** select_procs(): the table in pid order, each filter in turn, then the pattern (ERE) on comm or the command line */
export function selectProcs(procs: readonly ProcessView[], o: PgrepOptions): { ok: true; matches: PgrepMatch[] } | { ok: false; stderr: string; code: number } {
  let re: { test(s: string): boolean } | null = null;
  if (o.pattern !== null) {
    try {
      let node = parsePosix(o.pattern, { extended: true }).node;
      if (o.exact) node = wholeLine(node);
      re = compileNode(node, {});
    } catch (e) {
      if (e instanceof RegexError || e instanceof RegexTooComplex) return { ok: false, stderr: e.message, code: 2 };
      throw e;
    }
  }
  const sorted = [...procs].sort((a, b) => a.pid - b.pid);
  let out: PgrepMatch[] = [];
  let savedStart = o.newest ? -Infinity : Infinity;
  let savedPid = o.newest ? 0 : 2_147_483_647;
  for (const p of sorted) {
    let match = true;
    // a kernel thread has no command line: -f and -a fall back to its name
    const cmdline = p.kernelThread || !p.args ? null : p.args.slice(0, 4094);
    if (o.newest && p.startTime < savedStart) match = false;
    else if (o.oldest && p.startTime > savedStart) match = false;
    else if (o.ppid && !o.ppid.includes(p.ppid)) match = false;
    else if (o.euid && !o.euid.includes(p.uid)) match = false;
    else if (o.ruid && !o.ruid.includes(p.uid)) match = false;
    else if (o.term) match = p.tty !== '?' && o.term.includes(p.tty);
    if (match && re) {
      const subject = o.full && cmdline !== null ? cmdline : p.comm;
      if (!re.test(subject)) match = false;
    }
    if (match !== o.negate) {
      if (o.newest) {
        if (savedStart === p.startTime && savedPid > p.pid) continue;
        savedStart = p.startTime;
        savedPid = p.pid;
        out = [];
      }
      if (o.oldest) {
        if (savedStart === p.startTime && savedPid < p.pid) continue;
        savedStart = p.startTime;
        savedPid = p.pid;
        out = [];
      }
      out.push({ pid: p.pid, text: o.longlong && cmdline !== null ? cmdline : p.comm });
    }
  }
  return { ok: true, matches: out };
}

/** pgrep's output: pids (or "pid name") joined by the delimiter, the last one ending the line */
export function formatPgrep(matches: readonly PgrepMatch[], o: PgrepOptions): string {
  if (o.count) return `${matches.length}\n`;
  if (matches.length === 0) return '';
  const items = matches.map((m) => (o.long || o.longlong ? `${m.pid} ${m.text}` : String(m.pid)));
  return `${items.join(o.delim)}\n`;
}
