/**
 * top from procps-ng 3.3.9 in batch mode: per frame the summary lines (uptime and load, task
 * states, %Cpu(s), KiB Mem and KiB Swap), a blank message line, the column header and one line
 * per task. Frames after the first start with two newlines and the last ends with one
 * (frame_make() and bye_bye() of top/top.c).
 */
import type { CpuTicks, ProcessView, SystemSummaryView } from './types';
import { cFixed, toFloat32 } from './printf';
import { sprintUptime } from './uptime';
import { freeNumbers } from './free';
import { kernelState } from './procTree';
import { procpsLibVersion } from './procps';
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

export interface TopContext {
  /** USER_HZ; 100 on x86 */
  clockTicks?: number;
  /**
   * the cpu line read for the previous frame: the first frame has none, so its %Cpu(s) line
   * covers everything since boot, as a real top's first frame does
   */
  prevCpu?: CpuTicks;
  /**
   * %CPU over the last refresh interval per pid. The first frame of a real top measures a
   * short interval; without this, each task's lifetime average is shown.
   */
  cpuPercent?: Readonly<Record<number, number>>;
}

const USAGE_ABBREV = 'top -hv | -bcHiOSs -d secs -n max -u|U user -p pid(s) -o field -w [cols]';
/** HELP_cmdline_fmt: what -h and -v print */
const HELP = `  ${procpsLibVersion().trimEnd()}\nUsage:\n  ${USAGE_ABBREV}\n`;

const FIELDS: readonly TopField[] = ['PID', 'USER', 'PR', 'NI', 'VIRT', 'RES', 'SHR', 'S', '%CPU', '%MEM', 'TIME+', 'COMMAND'];

/** error_exit(): "top: " and the message; only the unknown-option message carries the usage */
function topError(msg: string): { ok: false; stdout: string; stderr: string; code: number } {
  return exitWith('', `top: ${msg}\n`, 1);
}

/** sscanf("%d") / sscanf("%f"): the number at the start of the word, if any */
function leadingInt(v: string): number | null {
  const m = /^\s*([-+]?\d+)/.exec(v);
  return m ? Number(m[1]) : null;
}
function leadingFloat(v: string): number | null {
  const m = /^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)/.exec(v);
  return m ? Number(m[1]) : null;
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
        case 'h': case 'v': return exitWith(HELP, '', 0);
        case 'd': {
          const v = takeArg();
          if (v === null) return topError('-d requires argument');
          const n = leadingFloat(v);
          if (n === null) return topError(`bad delay interval '${v}'`);
          // a negative delay is refused once all the options are read
          o.delaySeconds = toFloat32(n);
          break;
        }
        case 'n': {
          const v = takeArg();
          if (v === null) return topError('-n requires argument');
          const n = leadingInt(v);
          if (n === null || n < 1 || n > 2 ** 31 - 1) return topError(`bad iterations argument '${v}'`);
          o.iterations = n;
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
          // a width is only digits, attached or the next word; anything else is more options
          const attached = a.slice(k + 1);
          const next = attached === '' && i + 1 < argv.length ? argv[i + 1]! : '';
          const pn = attached !== '' ? attached : next;
          const digits = /^\d*/.exec(pn)![0];
          if (digits === '') break;
          if (Number(digits) < 3) return topError(`bad width arg '${pn}', must > 2`);
          if (attached !== '') k += digits.length;
          else i++;
          break;
        }
        default:
          return topError(`unknown option '${c}'\nUsage:\n  ${USAGE_ABBREV}`);
      }
    }
  }
  if (o.delaySeconds !== undefined && o.delaySeconds < 0) return topError('-d requires positive argument');
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

/** STATE_line_1_fmt: task states counted over every task read, whatever the window then shows */
function taskStates(procs: readonly ProcessView[]): { running: number; sleeping: number; stopped: number; zombie: number } {
  const n = { running: 0, sleeping: 0, stopped: 0, zombie: 0 };
  for (const p of procs) {
    const st = kernelState(p.state);
    if (st === 'R') n.running++;
    else if (st === 'S' || st === 'D') n.sleeping++;
    else if (st === 'T') n.stopped++;
    else if (st === 'Z') n.zombie++;
  }
  return n;
}

/** summary_hlp(): each field's share of the ticks since the previous frame (or since boot) */
function cpuLine(cur: CpuTicks, prev: CpuTicks | undefined): string {
  const keys = ['user', 'system', 'nice', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;
  const d = keys.map((k) => Math.max(0, cur[k] - (prev?.[k] ?? 0)));
  let tot = d.reduce((a, b) => a + b, 0);
  if (tot < 1) {
    tot = 1;
    d[3] = 1;
  }
  const scale = toFloat32(100.0 / toFloat32(tot));
  const pct = (v: number) => cFixed(toFloat32(toFloat32(v) * scale), 1).padStart(5);
  const [u, sy, ni, id, wa, hi, si, st] = d as [number, number, number, number, number, number, number, number];
  return `%Cpu(s):${pct(u)} us,${pct(sy)} sy,${pct(ni)} ni,${pct(id)} id,${pct(wa)} wa,${pct(hi)} hi,${pct(si)} si,${pct(st)} st`;
}

/** one MEMORY_lines_fmt number: "%8.0f " in a 10-byte buffer, a '+' where it overflows */
function memNum(kb: number): string {
  let t = `${cFixed(toFloat32(kb), 0).padStart(8)} `;
  if (t.length > 9) t = `${t.slice(0, 8)}+`;
  return t;
}

/** One frame: everything up to and including its last task line, which ends with a newline. */
export function formatTop(s: SystemSummaryView, procs: readonly ProcessView[], o: TopOptions, ctx: TopContext = {}): string {
  const hz = ctx.clockTicks ?? 100;
  const m = freeNumbers(s.meminfo);
  const st = taskStates(procs);
  const count = (n: number) => String(n).padStart(3);
  const lines = [
    `top -${sprintUptime(s)}`,
    `${o.threads ? 'Threads' : 'Tasks'}: ${count(procs.length)} total, ${count(st.running)} running, ` +
      `${count(st.sleeping)} sleeping, ${count(st.stopped)} stopped, ${count(st.zombie)} zombie`,
    cpuLine(s.cpu, ctx.prevCpu),
    `KiB Mem:  ${memNum(m.total)}total, ${memNum(m.used)}used, ${memNum(m.free)}free, ${memNum(m.buffers)}buffers`,
    `KiB Swap: ${memNum(m.swapTotal)}total, ${memNum(m.swapUsed)}used, ${memNum(m.swapFree)}free. ${memNum(m.cached)}cached Mem`,
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
        `${pctText((p.rssKb * 100) / s.meminfo.MemTotal, 4).padStart(4)} ${timePlus(p.cpuTimeMs, hz).padStart(9)} ${command}`.trimEnd(),
    );
  }
  return lines.join('\n') + '\n';
}

/** Batch frames as top writes them: "\n\n" before each frame after the first. */
export function joinTopFrames(frames: readonly string[]): string {
  return frames.join('\n');
}
