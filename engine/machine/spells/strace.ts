import { STRACE_USAGE, formatStrace, type StraceEvent, type StraceStamp } from '../../formats/strace';
import { defineCommand } from '../../shell/commands/define';
import type { CommandContext, CommandResult, CommandSpec } from '../../shell/types';
import { errnoMessage } from '../../vfs/errno';
import { normalizePath } from '../../vfs/path';
import { scenarioOf, type TraceEvent, type TraceRequest } from '../scenario';
import type { MachineWorld } from '../world';
import type { MachineContext } from './context';

/**
 * strace -p: attach to running processes, let the machine run, and print what they did. The
 * machine's clock moves in short steps so that strace lets go the moment its last tracee exits,
 * as the real one does; otherwise it detaches after TRACE_MS of virtual time (or at Ctrl-C).
 * What a process does comes from the service that owns it; a process no service describes is
 * shown asleep in the call it was blocked in.
 */

/** how long strace -p traces before it detaches by itself */
export const TRACE_MS = 10_000;
const STEP_MS = 250;

const res = (stdout: string, stderr = '', code = 0): CommandResult => ({ stdout, stderr, code });

interface StraceOptions {
  pids: number[];
  follow: boolean;
  count: boolean;
  only?: Set<string>;
  output?: string;
  /** how many -t (-r counts as one too, as getopt's fall-through in strace.c does) */
  tflag: number;
  rflag: boolean;
  durations: boolean;
  strsize?: number;
}

/** options taking an argument, and those standing alone, as strace 4.8's getopt string has them */
const WITH_ARG = new Set(['p', 'e', 'o', 's', 'a', 'b', 'O', 'S', 'u', 'E', 'P', 'I']);
const ALONE = new Set(['c', 'C', 'd', 'f', 'F', 'h', 'i', 'q', 'r', 't', 'T', 'v', 'V', 'x', 'y', 'z', 'D']);

/** string_to_uint(): a decimal number strtol() reads whole, within an int; -1 when not */
function toUint(v: string): number {
  if (!/^\s*\+?\d+$/.test(v)) return -1;
  const n = Number(v.trim());
  return n <= 2_147_483_647 ? n : -1;
}

function parseStraceArgs(argv: readonly string[]): { ok: true; o: StraceOptions } | { ok: false; out: CommandResult } {
  const o: StraceOptions = { pids: [], follow: false, count: false, tflag: 0, rflag: false, durations: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('-') || a === '-') {
      return { ok: false, out: res('', `strace: tracing a command is not simulated here; attach to a running one with strace -p PID\n`, 1) };
    }
    // getopt: flags may share one word (-ttT), and an option's argument is the rest of it or the next word
    for (let j = 1; j < a.length; j++) {
      const flag = a[j]!;
      if (!WITH_ARG.has(flag) && !ALONE.has(flag)) return { ok: false, out: res('', `strace: invalid option -- '${flag}'\n${STRACE_USAGE}`, 1) };
      let v: string | undefined;
      if (WITH_ARG.has(flag)) {
        v = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
        j = a.length;
        if (v === undefined) return { ok: false, out: res('', `strace: option requires an argument -- '${flag}'\n${STRACE_USAGE}`, 1) };
      }
      switch (flag) {
        case 'p': {
          if (!/^\d+$/.test(v!) || Number(v) <= 0 || Number(v) > 4_194_304) return { ok: false, out: res('', `strace: Invalid process id: '${v}'\n`, 1) };
          o.pids.push(Number(v));
          break;
        }
        case 'f':
          o.follow = true;
          break;
        case 'c':
          o.count = true;
          break;
        case 'e': {
          const m = /^(?:trace=)?(.+)$/.exec(v!)!;
          if (/^(abbrev|verbose|raw|signal|signals|read|write)=/.test(v!)) break;
          o.only = new Set(m[1]!.split(',').filter(Boolean));
          break;
        }
        case 'o':
          o.output = v;
          break;
        case 'r':
          o.rflag = true;
          o.tflag++;
          break;
        case 't':
          o.tflag++;
          break;
        case 'T':
          o.durations = true;
          break;
        case 's': {
          const n = toUint(v!);
          if (n < 0) return { ok: false, out: res('', `strace: Invalid -s argument: '${v}'\n`, 1) };
          o.strsize = n;
          break;
        }
        case 'q': case 'v': case 'x': case 'y':
          break;
        case 'h':
          return { ok: false, out: res(STRACE_USAGE, '', 0) };
        case 'V':
          return { ok: false, out: res('strace -- version 4.8\n', '', 0) };
        default:
          return { ok: false, out: res('', `strace: -${flag} is not simulated here\n`, 1) };
      }
    }
  }
  if (o.pids.length === 0) return { ok: false, out: res('', `strace: must have PROG [ARGS] or -p PID\nTry 'strace -h' for more information.\n`, 1) };
  return { ok: true, o };
}

/** printleader()'s choice: -r first, then -ttt, -tt, -t */
function stampOf(o: StraceOptions): StraceStamp | undefined {
  if (o.tflag === 0) return undefined;
  if (o.rflag) return 'r';
  return o.tflag > 2 ? 'ttt' : o.tflag === 2 ? 'tt' : 't';
}

/** A process no service describes: asleep in the call it was blocked in when strace came. */
function asleep(pid: number, to: number): TraceEvent[] {
  return [{ t: to, pid, kind: 'unfinished', name: 'restart_syscall', args: '<... resuming interrupted call ...>' }];
}

function traceOf(w: MachineWorld, req: TraceRequest): TraceEvent[] {
  for (const svc of scenarioOf(w).services) {
    const ev = svc.syscalls?.(w, req);
    if (ev) return ev;
  }
  return w.k.procs.some((p) => p.pid === req.pid) ? asleep(req.pid, req.to) : [];
}

export function straceSpells(c: MachineContext): CommandSpec[] {
  return [
    defineCommand({
      name: 'strace',
      path: '/usr/bin/strace',
      summary: 'trace system calls and signals',
      category: 'processes',
      argKind: 'pid',
      synopsis: ['strace [-f] [-c] [-t|-tt|-ttt|-r] [-T] [-s SIZE] [-e trace=CALLS] [-o FILE] -p PID...'],
      description: [
        'Attaches to running processes and prints every system call they make, with its arguments and what it returned, until it is stopped: here it lets go after 10 seconds of the machine\'s time, or as soon as the processes it traces have exited.',
        'You may trace only your own processes; root may trace any but the kernel\'s threads. -f follows the children they fork, -c counts the calls and the time spent in them instead, -e trace=clone,wait4 shows only those calls, -o FILE writes the trace to a file.',
        '-t, -tt and -ttt put the time of each call in front of it (to the second, to the microsecond, or in seconds since 1970), -r the time since the line before; -T adds how long the call took, in <seconds>. Strings are cut after 32 bytes ("..." says there was more); -s 200 shows more.',
      ],
      examples: [
        ['sudo strace -p 1', 'what init is doing (mostly waiting)'],
        ['sudo strace -f -e trace=clone -p PID', 'only its forks, and its children\'s'],
        ['sudo strace -tt -T -p PID', 'when each call began, and how long it took'],
      ],
      notes: ['Starting a new program under strace (strace CMD) is not simulated here; only -p.'],
      run: (ctx: CommandContext) => {
        const p = parseStraceArgs(ctx.argv.slice(1));
        if (!p.ok) return p.out;
        const o = p.o;
        const w = c.world();
        // strace opens its -o file before it attaches, and dies if it cannot
        const path = o.output === undefined ? '' : normalizePath(o.output.startsWith('/') ? o.output : `${ctx.cwd}/${o.output}`);
        if (o.output !== undefined) {
          const wr = ctx.env.fs.write(path, '', ctx.user);
          if (!wr.ok) return res('', `strace: can't fopen '${o.output}': ${errnoMessage(wr.errno)}\n`, 1);
        }
        const uid = ctx.user === 'root' ? 0 : c.users()[ctx.user] ?? 1000;
        let err = '';
        const attached: number[] = [];
        for (const pid of o.pids) {
          const proc = w.k.procs.find((x) => x.pid === pid);
          if (!proc) err += 'strace: attach: ptrace(PTRACE_ATTACH, ...): No such process\n';
          else if (proc.kthread || (uid !== 0 && proc.uid !== uid)) err += 'strace: attach: ptrace(PTRACE_ATTACH, ...): Operation not permitted\n';
          else attached.push(pid);
        }
        if (attached.length === 0) return res('', err, 1);
        const from = w.now;
        const before = w.k.procs.map((x) => ({ pid: x.pid, ppid: x.ppid, role: x.role, start: x.start }));
        const live = () => attached.filter((pid) => w.k.procs.some((x) => x.pid === pid));
        while (w.now - from < TRACE_MS && live().length > 0) {
          const t0 = w.now;
          c.advance(Math.min(STEP_MS, from + TRACE_MS - w.now));
          if (w.now === t0 || ctx.env.interrupted?.()) break;
        }
        const to = w.now;
        const events: StraceEvent[] = attached
          .flatMap((pid) => traceOf(w, { pid, from, to, follow: o.follow, before }))
          .map((e, i) => ({ e, i }))
          // a call still blocked is what strace leaves each process in when it lets go: always last
          .sort((a, b) => Number(a.e.kind === 'unfinished') - Number(b.e.kind === 'unfinished') || a.e.t - b.e.t || a.i - b.i)
          .map(({ e }) => e);
        const out = formatStrace({ attached, events, follow: o.follow, count: o.count, only: o.only, toFile: o.output !== undefined, stamp: stampOf(o), durations: o.durations, strsize: o.strsize });
        if (o.output !== undefined) {
          const wr = ctx.env.fs.write(path, out.file, ctx.user);
          if (!wr.ok) return res('', `${err}${out.stderr}strace: write to '${o.output}': ${errnoMessage(wr.errno)}\n`, 1);
        }
        return res('', err + out.stderr, 0);
      },
    }),
  ];
}
