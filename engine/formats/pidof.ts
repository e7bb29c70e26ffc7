/**
 * pidof as trusty ships it (sysvinit-utils 2.88): it walks a process list it built newest-first,
 * so PIDs come out highest first.
 */
import type { ProcessView } from './types';
import type { ParsedArgs, ToolExit } from './args';
import { exitWith } from './args';

interface PidofOptions {
  single: boolean;
  scripts: boolean;
  /** pids to leave out; '%PPID' stands for the caller's parent */
  omit: Array<number | '%PPID'>;
  names: string[];
}

interface PidofContext {
  /** the pid of the shell that runs pidof, for -o %PPID */
  parentPid?: number;
}

export function parsePidofArgs(argv: readonly string[]): ParsedArgs<PidofOptions> {
  const o: PidofOptions = { single: false, scripts: false, omit: [], names: [] };
  const invalid = (msg: string) => exitWith('', `${msg}pidof: invalid options on command line!\n\n`, 1);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      o.names.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      o.names.push(a);
      continue;
    }
    for (let k = 1; k < a.length; k++) {
      const c = a[k];
      if (c === 's') o.single = true;
      else if (c === 'x') o.scripts = true;
      else if (c === 'c' || c === 'n' || c === 'h') continue;
      else if (c === 'o') {
        const v = k + 1 < a.length ? a.slice(k + 1) : argv[++i];
        if (v === undefined) return invalid("pidof: option requires an argument -- 'o'\n");
        for (const part of v.split(',')) {
          if (part === '%PPID') o.omit.push('%PPID');
          else if (/^\d+$/.test(part)) o.omit.push(Number(part));
          else return exitWith('', 'pidof: illegal omit pid value (' + part + ')!\n\n', 1);
        }
        break;
      } else return invalid(`pidof: invalid option -- '${c}'\n`);
    }
  }
  return { ok: true, options: o };
}

function basename(path: string): string {
  const i = path.lastIndexOf('/');
  return i === -1 ? path : path.slice(i + 1);
}

/**
 * sysvinit's rules: a full path must equal argv[0] (or argv[1] with -x); a bare name must equal
 * argv[0]'s basename (or argv[1]'s with -x). Kernel threads have no argv and never match. A
 * process that rewrote its title ("sshd: kiran [priv]") is matched on its kernel name instead.
 */
function matches(p: ProcessView, name: string, scripts: boolean): boolean {
  const argv = p.args.split(' ').filter((s) => s !== '');
  const argv0 = argv[0];
  if (argv0 === undefined) return false;
  if (name.includes('/')) return argv0 === name || (scripts && argv[1] === name);
  if (basename(argv0) === name) return true;
  if (scripts && argv[1] !== undefined && basename(argv[1]) === name) return true;
  return argv0.endsWith(':') && p.comm === name;
}

/** Exit status 0 with the PIDs when something matched, 1 and no output otherwise. */
export function formatPidof(procs: readonly ProcessView[], o: PidofOptions, ctx: PidofContext = {}): ToolExit {
  const omit = new Set(o.omit.map((x) => (x === '%PPID' ? (ctx.parentPid ?? -1) : x)));
  const found: number[] = [];
  const newestFirst = [...procs].sort((a, b) => b.pid - a.pid);
  for (const name of o.names) {
    for (const p of newestFirst) {
      if (p.state === 'Z' || omit.has(p.pid) || !matches(p, name, o.scripts)) continue;
      found.push(p.pid);
      if (o.single) break;
    }
  }
  if (!found.length) return { stdout: '', stderr: '', code: 1 };
  return { stdout: `${found.join(' ')}\n`, stderr: '', code: 0 };
}
