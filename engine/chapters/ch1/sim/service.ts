/**
 * The ways an admin drives NSD: `service nsd ...` (the sysvinit script with Ubuntu's LSB output),
 * `nsd-control ...` (which talks to xfrd's remote-control port) and `nsd -v`. Each returns the text
 * the real tool prints and its exit status.
 */
import { slog } from '../../../machine/syslog';
import { withNsdStep, type StepCtx } from './step';
import { alive, reloadNsd, startNsd, stopNsd, upstreamVersion } from './nsd';
import { dnsServing } from './serving';
import { xfrdAlive } from './xfr';
import { zoneStatusText } from './zonestatus';
import type { Ch1World } from './world';

interface ToolOutput {
  stdout: string;
  stderr: string;
  code: number;
}

const DESC = 'domain name service';

/** Ubuntu's log_daemon_msg / log_end_msg: the status sits at the right edge of an 80-column line */
function lsb(text: string, ok: boolean): string {
  const left = ` * ${text}`;
  return `${left.padEnd(73, ' ')}${ok ? '[ OK ]' : '[fail]'}\n`;
}

function isRunning(w: Ch1World): boolean {
  const pf = w.files.files['/run/nsd/nsd.pid'];
  const pid = pf ? parseInt(pf.content.trim(), 10) : NaN;
  const p = Number.isFinite(pid) ? alive(w, pid) : undefined;
  return !!p && p.comm === 'nsd';
}

function checkconfOk(w: Ch1World): string | null {
  const conf = w.files.files['/etc/nsd/nsd.conf'];
  if (!conf) return '/etc/nsd/nsd.conf: No such file or directory';
  return null;
}

/** `service nsd <action>` (needs root). */
export function serviceNsd(w: Ch1World, action: string, user: string): ToolOutput {
  if (action === 'status') {
    return isRunning(w) ? { stdout: ' * nsd is running\n', stderr: '', code: 0 } : { stdout: ' * nsd is not running\n', stderr: '', code: 3 };
  }
  const known = ['start', 'stop', 'restart', 'reload', 'force-reload'];
  if (!known.includes(action)) return { stdout: '', stderr: ` * Usage: /etc/init.d/nsd {start|stop|reload|force-reload|restart|status}\n`, code: 1 };
  if (user !== 'root') {
    // start-stop-daemon refuses to signal or start what it may not
    return { stdout: '', stderr: `start-stop-daemon: warning: failed to kill ${w.nsd.running?.mainPid ?? 0}: Operation not permitted\n`, code: 1 };
  }
  const bad = checkconfOk(w);
  if (bad && action !== 'stop') return { stdout: lsb(`Starting ${DESC} nsd`, false), stderr: `${bad}\n`, code: 1 };
  return withNsdStep(w, (ctx) => {
    let out = '';
    if (action === 'stop') {
      // the init script's stop succeeds whether or not a daemon was there to stop
      stopNsd(ctx);
      return { stdout: lsb(`Stopping ${DESC} nsd`, true), stderr: '', code: 0 };
    }
    if (action === 'reload' || action === 'force-reload') {
      const run = w.nsd.running;
      const main = run ? alive(w, run.mainPid) : undefined;
      if (!run || !main) return { stdout: lsb(`Reloading ${DESC} nsd`, false), stderr: '', code: 1 };
      sighupMain(w, ctx);
      return { stdout: lsb(`Reloading ${DESC} nsd`, true), stderr: '', code: 0 };
    }
    if (action === 'restart') {
      stopNsd(ctx);
      const r = startNsd(ctx);
      if (r.ok) w.stats.fullRestarts[w.stats.fullRestarts.length - 1] = ctx.t;
      out += lsb(`Restarting ${DESC} nsd`, r.ok);
      return { stdout: out, stderr: '', code: r.ok ? 0 : 1 };
    }
    if (w.nsd.running) return { stdout: lsb(`Starting ${DESC} nsd`, true), stderr: '', code: 0 };
    const r = startNsd(ctx);
    return { stdout: lsb(`Starting ${DESC} nsd`, r.ok), stderr: '', code: r.ok ? 0 : 1 };
  });
}

/** SIGHUP to the main: it logs, then xfrd is asked to make a reload happen now. */
export function sighupMain(w: Ch1World, ctx: StepCtx): void {
  const run = w.nsd.running;
  const main = run ? alive(w, run.mainPid) : undefined;
  if (!run || !main) return;
  slog(w.logs, ctx.t, 'nsd', main.pid, 'SIGHUP received, reloading...');
  if (!xfrdAlive(w) || !run.canSendReload) return;
  w.xfr.lastReloadAt = ctx.t;
  reloadNsd(ctx);
}

function refused(): ToolOutput {
  return { stdout: '', stderr: 'error: connect (127.0.0.1@8952): Connection refused\n', code: 1 };
}

/** `nsd-control <command>`: served by xfrd, so it answers only while xfrd lives. */
export function nsdControl(w: Ch1World, argv: string[], user: string): ToolOutput {
  const cmd = argv[0] ?? '';
  if (cmd === '') {
    return { stdout: '', stderr: 'Usage:\tnsd-control [options] command\n\tRemote control utility for nsd server.\n', code: 1 };
  }
  if (user !== 'root') {
    return { stdout: '', stderr: 'error: Error setting up SSL_CTX client key and cert\n', code: 1 };
  }
  if (cmd === 'start') {
    if (w.nsd.running) return { stdout: '', stderr: '', code: 0 };
    return withNsdStep(w, (ctx) => {
      const r = startNsd(ctx);
      return { stdout: '', stderr: '', code: r.ok ? 0 : 1 };
    });
  }
  const run = w.nsd.running;
  if (!run || !xfrdAlive(w)) {
    if (cmd === 'status') return { stdout: 'nsd is stopped\n', stderr: refused().stderr, code: 3 };
    return refused();
  }
  switch (cmd) {
    case 'status':
      return { stdout: `version: ${run.version}\nverbosity: ${run.verbosity}\n`, stderr: '', code: 0 };
    case 'reload':
      return withNsdStep(w, (ctx) => {
        // xfrd_set_reload_now(): sent right away, unless xfrd still waits for the last one
        if (run.canSendReload) {
          w.xfr.lastReloadAt = ctx.t;
          reloadNsd(ctx);
        }
        return { stdout: 'ok\n', stderr: '', code: 0 };
      });
    case 'stop':
      return withNsdStep(w, (ctx) => {
        stopNsd(ctx);
        return { stdout: 'ok\n', stderr: '', code: 0 };
      });
    case 'log_reopen':
    case 'reconfig':
    case 'repattern':
    case 'notify':
    case 'transfer':
    case 'force_transfer':
    case 'write':
      return { stdout: 'ok\n', stderr: '', code: 0 };
    case 'zonestatus': {
      // nsd-control exits 1 when the server's answer starts with "error"
      const z = zoneStatusText(w, argv[1]);
      return { stdout: z.text, stderr: '', code: z.ok ? 0 : 1 };
    }
    case 'stats':
    case 'stats_noreset':
      return { stdout: statsText(w), stderr: '', code: 0 };
    default:
      return { stdout: `error unknown command '${cmd}'\n`, stderr: '', code: 1 };
  }
}

function statsText(w: Ch1World): string {
  const run = w.nsd.running!;
  const elapsed = Math.max(0, (w.now - run.startedAt) / 1000);
  const qps = dnsServing(w, w.now) ? 180 : 0;
  const total = Math.floor(elapsed * 180 * 0.97);
  const lines = run.slots.map((_, i) => `server${i}.queries=${Math.floor(total / run.slots.length)}`);
  lines.push(
    `num.queries=${total}`,
    `time.boot=${(run.startedAt / 1000).toFixed(6)}`,
    `time.elapsed=${elapsed.toFixed(6)}`,
    `size.db.disk=${w.p.udbKb * 1024}`,
    `size.db.mem=${w.p.nsdSharedKb * 1024}`,
    `size.xfrd.mem=${w.p.xfrdPrivKb * 1024}`,
    `num.type.A=${Math.floor(total * 0.71)}`,
    `num.type.AAAA=${Math.floor(total * 0.17)}`,
    `num.type.SOA=${Math.floor(total * 0.04)}`,
    `num.opcode.QUERY=${total}`,
    `num.class.IN=${total}`,
    `num.rcode.NOERROR=${Math.floor(total * 0.93)}`,
    `num.rcode.NXDOMAIN=${total - Math.floor(total * 0.93)}`,
    `num.udp=${Math.floor(total * 0.995)}`,
    `num.tcp=${total - Math.floor(total * 0.995)}`,
    `num.dropped=${qps === 0 ? 1 : 0}`,
    `zone.master=0`,
    `zone.slave=${w.nsd.zones.length}`,
  );
  return lines.join('\n') + '\n';
}

/** `nsd -v`: the version banner goes to stderr */
export function nsdVersion(w: Ch1World): ToolOutput {
  const v = upstreamVersion(w.nsd.installed);
  return {
    stdout: '',
    stderr: `NSD version ${v}\nWritten by NLnet Labs.\n\nCopyright (C) 2001-2006 NLnet Labs.  This is free software.\nThere is NO warranty; not even for MERCHANTABILITY or FITNESS\nFOR A PARTICULAR PURPOSE.\n`,
    code: 0,
  };
}
