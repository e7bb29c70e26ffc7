/**
 * top from procps-ng 3.3.10 in batch mode (-b -n 1): the five summary lines, a blank message
 * line, the column header and one line per task, then the blank line batch mode ends a frame
 * with. Interactive top cannot run in the game, so any invocation prints one batch frame.
 */
import type { ProcessView, SystemSummaryView } from './types';
import { cFixed, toFloat32 } from './printf';
import { sprintUptime } from './uptime';
import { freeNumbers } from './free';
import { kernelState } from './procTree';
import { procpsVersion } from './procps';
import type { ParsedArgs } from './args';
import { exitWith } from './args';

type TopField = 'PID' | 'USER' | 'PR' | 'NI' | 'VIRT' | 'RES' | 'SHR' | 'S' | '%CPU' | '%MEM' | 'TIME+' | 'COMMAND';

export interface TopOptions {
  batch: boolean;
  iterations?: number;
  delaySeconds?: number;
  sortField: TopField;
  /** -o +FIELD sorts low to high */
  sortAscending: boolean;
  fullCommand: boolean;
  hideIdle: boolean;
  pids: number[] | null;
  user: string | null;
  threads: boolean;
}

interface TopContext {
  /** USER_HZ; 100 on x86 */
  clockTicks?: number;
  /**
   * %CPU over the last refresh interval per pid. The first frame of a real top measures a
   * short interval; without this, each task's lifetime average is shown.
   */
  cpuPercent?: Readonly<Record<number, number>>;
}

const USAGE = '  procps-ng version 3.3.10\nUsage:\n  top -hv | -bcHiOSs -d secs -n max -u|U user -p pid(s) -o field -w [cols]\n';

const FIELDS: readonly TopField[] = ['PID', 'USER', 'PR', 'NI', 'VIRT', 'RES', 'SHR', 'S', '%CPU', '%MEM', 'TIME+', 'COMMAND'];

function topError(msg: string): { ok: false; stdout: string; stderr: string; code: number } {
  return exitWith('', `top: ${msg}\n${USAGE}`, 1);
}

/** top's own option parser: single-letter flags, bundled, with arguments attached or separate. */
export function parseTopArgs(argv: readonly string[]): ParsedArgs<TopOptions> {
  const o: TopOptions = {
    batch: false, sortField: '%CPU', sortAscending: false, fullCommand: false,
    hideIdle: false, pids: null, user: null, threads: false,
  };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    if (a.startsWith('-')) a = a.slice(1);
    for (let k = 0; k < a.length; k++) {
      const c = a[k];
      const takeArg = (): string | null => {
        const rest = a.slice(k + 1);
        k = a.length;
        if (rest) return rest;
        if (i + 1 < argv.length) return argv[++i];
        return null;
      };
      switch (c) {
        case 'b': o.batch = true; break;
        case 'c': o.fullCommand = !o.fullCommand; break;
        case 'i': o.hideIdle = !o.hideIdle; break;
        case 'H': o.threads = true; break;
        case 'S': case 's': break;
        case 'h': case 'v': return exitWith(USAGE, '', 0);
        case 'V': return exitWith(procpsVersion('top'), '', 0);
        case 'd': {
          const v = takeArg();
          if (v === null) return topError("-d requires argument");
          const n = Number(v);
          if (!Number.isFinite(n)) return topError(`bad delay interval '${v}'`);
          if (n < 0) return topError('-d requires positive argument');
          o.delaySeconds = n;
          break;
        }
        case 'n': {
          const v = takeArg();
          if (v === null) return topError("-n requires argument");
          if (!/^\d+$/.test(v)) return topError(`bad iterations argument '${v}'`);
          o.iterations = Number(v);
          break;
        }
        case 'o': {
          const v = takeArg();
          if (v === null) return topError('-o requires argument');
          let name = v;
          o.sortAscending = false;
          if (name[0] === '+') name = name.slice(1);
          else if (name[0] === '-') { name = name.slice(1); }
          if (v[0] === '+') o.sortAscending = true;
          const f = FIELDS.find((x) => x.toLowerCase() === name.toLowerCase());
          if (!f) return topError(`unrecognized field name '${name}'`);
          o.sortField = f;
          break;
        }
        case 'p': {
          const v = takeArg();
          if (v === null) return topError('-p requires argument');
          const pids: number[] = [];
          for (const part of v.split(',')) {
            if (!/^\d+$/.test(part) || Number(part) < 1) return topError(`bad pid '${part}'`);
            pids.push(Number(part));
          }
          o.pids = [...(o.pids ?? []), ...pids];
          break;
        }
        case 'u': case 'U': {
          const v = takeArg();
          if (v === null) return topError(`-${c} requires argument`);
          o.user = v;
          break;
        }
        case 'w': {
          const rest = a.slice(k + 1);
          k = a.length;
          if (rest && !/^\d+$/.test(rest)) return topError(`bad width arg '${rest}'`);
          break;
        }
        default:
          return topError(`unknown option '${c}'`);
      }
    }
  }
  return { ok: true, options: o };
}

function cpuPercent(p: ProcessView, s: SystemSummaryView, ctx: TopContext): number {
  const given = ctx.cpuPercent?.[p.pid];
  if (given !== undefined) return given;
  const life = (s.now - p.startTime) / 1000;
  return life > 0 ? (p.cpuTimeMs / 10 / life) : 0;
}

/** scale_mem(): plain KiB when it fits the column, else m/g with decimals. */
function scaleMem(kb: number, width: number): string {
  let v = kb;
  const fmts: Array<(x: number) => string> = [
    (x) => cFixed(x, 0),
    (x) => `${cFixed(x, 1)}m`,
    (x) => `${cFixed(x, 3)}g`,
    (x) => `${cFixed(x, 3)}t`,
  ];
  for (const f of fmts) {
    const t = f(toFloat32(v));
    if (t.length <= width) return t;
    v /= 1024.0;
  }
  return '?';
}

/** scale_tics() for TIME+: minutes:seconds.hundredths, else hours,minutes. */
function timePlus(cpuMs: number, hz: number): string {
  const jiffies = Math.floor((cpuMs * hz) / 1000);
  let nt = Math.floor((jiffies * 100) / hz);
  const cc = nt % 100;
  nt = Math.floor(nt / 100);
  const ss = nt % 60;
  nt = Math.floor(nt / 60);
  const a = `${nt}:${String(ss).padStart(2, '0')}.${String(cc).padStart(2, '0')}`;
  if (a.length <= 9) return a;
  return `${Math.floor(nt / 60)},${String(nt % 60).padStart(2, '0')}`;
}

function pctText(v: number, width: number): string {
  const t = cFixed(toFloat32(v), 1);
  return t.length <= width ? t : cFixed(toFloat32(v), 0);
}

function userText(u: string): string {
  return u.length > 8 ? `${u.slice(0, 7)}+` : u;
}

function sortValue(p: ProcessView, f: TopField, s: SystemSummaryView, ctx: TopContext): number | string {
  switch (f) {
    case 'PID': return p.pid;
    case 'USER': return p.user;
    case 'PR': case 'NI': return p.nice;
    case 'VIRT': return p.vszKb;
    case 'RES': return p.rssKb;
    case 'SHR': return p.rssKb - p.anonRssKb;
    case 'S': return kernelState(p.state);
    case '%CPU': return cpuPercent(p, s, ctx);
    case '%MEM': return p.rssKb;
    case 'TIME+': return p.cpuTimeMs;
    case 'COMMAND': return p.comm;
  }
}

export function formatTop(s: SystemSummaryView, procs: readonly ProcessView[], o: TopOptions, ctx: TopContext = {}): string {
  const hz = ctx.clockTicks ?? 100;
  const m = freeNumbers(s.meminfo);
  const c = s.cpu;
  const num = (v: number) => `${cFixed(toFloat32(v), 0)} `.padStart(9);
  const cpu = (v: number) => cFixed(v, 1).padStart(5);
  const lines = [
    `top -${sprintUptime(s)}`,
    `${o.threads ? 'Threads' : 'Tasks'}: ${String(s.tasks.total).padStart(3)} total, ${String(s.tasks.running).padStart(3)} running, ` +
      `${String(s.tasks.sleeping).padStart(3)} sleeping, ${String(s.tasks.stopped).padStart(3)} stopped, ${String(s.tasks.zombie).padStart(3)} zombie`,
    `%Cpu(s):${cpu(c.us)} us,${cpu(c.sy)} sy,${cpu(c.ni)} ni,${cpu(c.id)} id,${cpu(c.wa)} wa,${cpu(c.hi)} hi,${cpu(c.si)} si,${cpu(c.st)} st`,
    `KiB Mem : ${num(m.total)}total, ${num(m.free)}free, ${num(m.used)}used, ${num(m.buffers + m.cache)}buff/cache`,
    `KiB Swap: ${num(m.swapTotal)}total, ${num(m.swapFree)}free, ${num(m.swapUsed)}used. ${num(m.available)}avail Mem`,
    '',
    '  PID USER      PR  NI    VIRT    RES    SHR S  %CPU %MEM     TIME+ COMMAND',
  ];
  let tasks = procs.filter((p) => (o.pids ? o.pids.includes(p.pid) : true));
  if (o.user !== null) tasks = tasks.filter((p) => p.user === o.user || String(p.uid) === o.user);
  if (o.hideIdle) tasks = tasks.filter((p) => cpuPercent(p, s, ctx) > 0 || kernelState(p.state) === 'R');
  const ordered = [...tasks]
    .sort((a, b) => a.pid - b.pid)
    .map((p, i) => ({ p, i }))
    .sort((x, y) => {
      const a = sortValue(x.p, o.sortField, s, ctx);
      const b = sortValue(y.p, o.sortField, s, ctx);
      if (a === b) return x.i - y.i;
      const lt = a < b;
      return (o.sortAscending ? lt : !lt) ? -1 : 1;
    })
    .map((x) => x.p);
  for (const p of ordered) {
    const command = o.fullCommand ? (p.args !== '' ? p.args : `[${p.comm}]`) : p.comm;
    lines.push(
      `${String(p.pid).padStart(5)} ${userText(p.user).padEnd(8)} ${String(20 + p.nice).padStart(3)} ${String(p.nice).padStart(3)} ` +
        `${scaleMem(p.vszKb, 7).padStart(7)} ${scaleMem(p.rssKb, 6).padStart(6)} ${scaleMem(p.rssKb - p.anonRssKb, 6).padStart(6)} ` +
        `${kernelState(p.state)} ${pctText(cpuPercent(p, s, ctx), 5).padStart(5)} ` +
        `${pctText((p.rssKb * 100) / s.meminfo.MemTotal, 4).padStart(4)} ${timePlus(p.cpuTimeMs, hz).padStart(9)} ${command}`,
    );
  }
  return lines.join('\n') + '\n\n';
}
