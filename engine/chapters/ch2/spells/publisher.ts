/**
 * Chapter 2's own spells: the app's `publish` CLI, a latency chart of what the app measured, and
 * the incantation that reaches into a running process and sets a socket option on its TCP sockets
 * (what `gdb -p PID` and `call setsockopt(...)` would do on a real box).
 */
import type { ChapterProgress } from '../../../chapter';
import { findProc } from '../../../kernel/procs';
import { getSock, setsockopt, tcpOf, type TcpSockopt } from '../../../kernel/tcp';
import type { MachineContext } from '../../../machine/spells/context';
import { stepOnLo } from '../../../machine/tcp';
import { defineCommand } from '../../../shell/commands/define';
import type { ShellCommandContext } from '../../../shell/exec';
import type { CommandResult, CommandSpec } from '../../../shell/types';
import type { Chart } from '../../../types';
import { utf8Bytes } from '../../../kernel/tcp';
import { enqueue } from '../sim/traffic';
import type { Ch2World } from '../sim/world';

export interface Ch2Context extends MachineContext {
  world(): Ch2World;
  progress: ChapterProgress;
  /** the player set an option on a process's sockets by hand */
  sockopt(pid: number, name: TcpSockopt, value: number): void;
}

const res = (stdout: string, stderr = '', code = 0): CommandResult => ({ stdout, stderr, code });

/** how long `publish` waits for the app before it gives up */
const PUBLISH_WAIT_MS = 5_000;

const DEFAULT_EVENT = '{"type":"ping","source":"cli"}';

function publishSpell(c: Ch2Context): CommandSpec {
  return defineCommand({
    name: 'publish',
    path: '/srv/publisher/bin/publish',
    summary: "hand one event to the running publisher and wait until it is in nsqd",
    category: 'network',
    synopsis: ['publish [EVENT]'],
    description: [
      "The publisher app's own command line. It drops EVENT (some JSON; a small ping event when none is given) into the app's spool, waits for the running app to POST it to nsqd on its pooled connection, and prints the line the app measured for it: how many bytes, and how long the publish took from the app's point of view.",
      'It goes through exactly the path every other event takes, so what it prints is what every publish costs. `time publish` shows the same wait from the outside.',
    ],
    examples: [
      ['publish', 'one ping event through the app'],
      ["time publish '{\"id\":1}'", 'the same, timed by the shell'],
      ['repeat 5 publish', 'five in a row on the same connection'],
    ],
    run: (ctx) => {
      const args = ctx.argv.slice(1);
      if (args.length > 1) return res('', 'usage: publish [EVENT]\n', 64);
      const event = args[0] ?? DEFAULT_EVENT;
      if (event.length === 0) return res('', 'publish: an empty event is not published\n', 65);
      const size = utf8Bytes(event).length;
      if (size > 1_048_576) return res('', `publish: event of ${size} bytes is over nsqd's 1048576-byte --max-msg-size\n`, 65);
      const w = c.world();
      const id = enqueue(w, w.now, size);
      const until = w.now + PUBLISH_WAIT_MS;
      // from one moment lo or the programs act to the next, so the command returns when the app is done
      while (w.now < until) {
        const done = w.net.watched.find(([x]) => x === id);
        if (done && done[1] >= 0) {
          const topic = w.app.config?.topic ?? 'events';
          return res(`published topic=${topic} bytes=${size} in ${(done[1] / 1000).toFixed(2)}ms\n`);
        }
        if (ctx.env.interrupted?.() || stepOnLo(w, c.streams, (ms) => c.advance(ms), until, PUBLISH_WAIT_MS) !== 'ok') break;
      }
      return res('', `publish: the publisher did not take the event within ${PUBLISH_WAIT_MS / 1000}s (is it running? service publisher status)\n`, 75);
    },
  });
}

const HEIGHT = 10;
const WIDTH = 60;

/** one column per slice of the publishes, its height the slowest of them */
export function latencyChart(lat: readonly number[]): string {
  if (lat.length === 0) return 'publish latency: the app has not published anything yet\n';
  const cols = Math.min(WIDTH, lat.length);
  const per = lat.length / cols;
  const col: number[] = [];
  for (let i = 0; i < cols; i++) {
    let m = 0;
    for (let j = Math.floor(i * per); j < Math.floor((i + 1) * per); j++) m = Math.max(m, lat[j]!);
    col.push(m);
  }
  const top = Math.max(1, ...col);
  const label = (v: number): string => `${(v / 1000).toFixed(v >= 10_000 ? 0 : v >= 1000 ? 1 : 2)} ms`.padStart(9);
  const lines = [`publish latency, the last ${lat.length} publishes (oldest on the left, slowest of each column)`, ''];
  for (let r = HEIGHT; r >= 1; r--) {
    const floor = (top * (r - 0.5)) / HEIGHT;
    const axis = r === HEIGHT ? label(top) : r === Math.ceil(HEIGHT / 2) ? label(top / 2) : ' '.repeat(9);
    lines.push(`${axis} |${col.map((v) => (v >= floor ? '#' : ' ')).join('')}`);
  }
  lines.push(`${label(0)} +${'-'.repeat(cols)}`);
  lines.push('', latencySummary(lat));
  return `${lines.join('\n')}\n`;
}

function latencySummary(lat: readonly number[]): string {
  const sorted = lat.slice().sort((a, b) => a - b);
  const q = (p: number): string => (sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]! / 1000).toFixed(2);
  return `median ${q(0.5)} ms   p99 ${q(0.99)} ms   max ${(sorted[sorted.length - 1]! / 1000).toFixed(2)} ms`;
}

/** the same latencies as data, for a front end that draws the chart itself (µs to ms) */
export function latencyChartData(lat: readonly number[], printed: string): Chart {
  return {
    title: `publish latency, the last ${lat.length} publishes`,
    x: { label: 'publishes, oldest first' },
    y: { label: 'latency', unit: 'ms' },
    series: [{ label: 'publish latency', values: lat.map((v) => v / 1000) }],
    summary: [latencySummary(lat)],
    printed,
  };
}

function graphSpell(c: Ch2Context): CommandSpec {
  return defineCommand({
    name: 'graph',
    summary: 'draw a metric the box keeps as a chart in the terminal',
    category: 'network',
    completions: ['publish-latency'],
    synopsis: ['graph publish-latency'],
    description: [
      "Draws what the publisher measured for its latest publishes as an ASCII chart: time runs left to right, each column is the slowest publish of its slice, and the median and 99th percentile follow underneath. A plateau is a plateau; a fix shows as a cliff.",
    ],
    examples: [['graph publish-latency', 'the latency of the last publishes']],
    run: (ctx) => {
      const what = ctx.argv[1];
      if (what !== 'publish-latency') return res('', `graph: ${what === undefined ? 'which metric?' : `no metric '${what}'`} (try: graph publish-latency)\n`, 2);
      const lat = c.world().net.recent.map((r) => r[1]);
      const text = latencyChart(lat);
      // drawn on a terminal, the chart goes to the front end as data too (piped or redirected, it is only text)
      if (lat.length > 0 && (ctx as Partial<ShellCommandContext>).isatty === true) ctx.env.onChart?.(latencyChartData(lat, text));
      return res(text);
    },
  });
}

const OPTIONS: Record<string, TcpSockopt> = { NODELAY: 'TCP_NODELAY', TCP_NODELAY: 'TCP_NODELAY', QUICKACK: 'TCP_QUICKACK', TCP_QUICKACK: 'TCP_QUICKACK', CORK: 'TCP_CORK', TCP_CORK: 'TCP_CORK' };

function setsockoptSpell(c: Ch2Context): CommandSpec {
  return defineCommand({
    name: 'setsockopt',
    summary: "set a TCP option on a running process's sockets (an incantation)",
    category: 'incantation',
    completions: ['NODELAY', 'QUICKACK', 'CORK', '-p', 'TCP_NODELAY', 'TCP_QUICKACK', 'TCP_CORK'],
    synopsis: ['setsockopt NODELAY', 'setsockopt -p PID OPTION [VALUE]'],
    description: [
      "Reaches into a running process, the way a debugger attached with ptrace can, and calls setsockopt(fd, IPPROTO_TCP, OPTION, VALUE) on each of its TCP sockets. Without -p it works on the publisher app. OPTION is TCP_NODELAY, TCP_QUICKACK or TCP_CORK (the TCP_ may be left off); VALUE defaults to 1.",
      "It changes the live process only: its code and its config are untouched, so a restart undoes it. Attaching to another user's process needs root.",
    ],
    examples: [
      ['sudo setsockopt NODELAY', "TCP_NODELAY on the publisher's connections"],
      ['sudo setsockopt -p 1234 TCP_QUICKACK 1', 'quick ACKs once on the sockets of process 1234'],
    ],
    run: (ctx) => {
      const w = c.world();
      const a = ctx.argv.slice(1);
      let pid = w.app.pid;
      if (a[0] === '-p') {
        if (a[1] === undefined || !/^\d{1,7}$/.test(a[1])) return res('', 'setsockopt: -p needs a process id\n', 2);
        pid = Number(a[1]);
        a.splice(0, 2);
      }
      const name = OPTIONS[(a[0] ?? '').toUpperCase()];
      if (!name) return res('', `setsockopt: ${a[0] === undefined ? 'which option?' : `unknown option '${a[0]}'`} (TCP_NODELAY, TCP_QUICKACK or TCP_CORK)\n`, 2);
      if (a.length > 2 || (a[1] !== undefined && !/^[01]$/.test(a[1]))) return res('', 'setsockopt: the value is 0 or 1\n', 2);
      const value = a[1] === undefined ? 1 : Number(a[1]);
      const proc = pid > 0 ? findProc(w.k, pid) : undefined;
      if (!proc) return res('', pid > 0 ? `setsockopt: no process ${pid}\n` : 'setsockopt: the publisher is not running\n', 1);
      if (ctx.user !== 'root' && ctx.user !== proc.user) return res('', `setsockopt: attaching to ${pid}: Operation not permitted\n`, 1);
      const tcp = tcpOf(w.k);
      const socks = w.net.pool.filter((p) => p.sock >= 0 && pid === w.app.pid).map((p) => p.sock);
      if (pid === w.nsqd.pid) socks.push(...w.net.server.map((s) => s.sock));
      const live = socks.filter((s) => getSock(tcp, s));
      if (live.length === 0) return res('', `setsockopt: process ${pid} (${proc.comm}) holds no TCP connections\n`, 1);
      const out: string[] = [];
      for (const s of live) {
        const k = getSock(tcp, s)!;
        const r = setsockopt(tcp, s, name, value);
        out.push(`${k.laddr}:${k.lport} -> ${k.raddr}:${k.rport}: setsockopt(IPPROTO_TCP, ${name}, [${value}], 4) = ${r === 0 ? 0 : `-1 ${r}`}`);
      }
      c.sockopt(pid, name, value);
      return res(`${out.join('\n')}\n`);
    },
  });
}

export function publisherSpells(c: Ch2Context): CommandSpec[] {
  return [publishSpell(c), graphSpell(c), setsockoptSpell(c)];
}
