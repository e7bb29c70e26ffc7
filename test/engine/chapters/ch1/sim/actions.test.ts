import * as sim from '../../../../../engine/chapters/ch1/sim';
import { fresh, HOUR, installMainline, run } from './helpers';

const SEED = 11;

function nsdPids(w: sim.Ch1World): number[] {
  return sim.processes(w).filter((p) => p.comm === 'nsd').map((p) => p.pid);
}

describe('kill(2) as the player reaches it', () => {
  it('reports ESRCH, EPERM and EINVAL as data and changes nothing', () => {
    const g = fresh(SEED);
    run(g, HOUR);
    const main = g.w.nsd.running!.mainPid;
    const before = JSON.stringify(g.w.k.procs);
    expect(sim.kill(g.w, 31_999, 'TERM', 'root')).toEqual({ ok: false, errno: 'ESRCH' });
    expect(sim.kill(g.w, -4, 9, 'root')).toEqual({ ok: false, errno: 'ESRCH' });
    expect(sim.kill(g.w, main, 'KILL', 'ops')).toEqual({ ok: false, errno: 'EPERM' });
    expect(sim.kill(g.w, main, 'SIGFOO', 'root')).toEqual({ ok: false, errno: 'EINVAL' });
    expect(sim.kill(g.w, main, 0, 'root')).toEqual({ ok: true });
    expect(JSON.stringify(g.w.k.procs)).toBe(before);
  });

  it('SIGKILL on a serve child: the main reaps status 9 and forks a replacement', () => {
    const g = fresh(SEED);
    run(g, HOUR);
    const run0 = g.w.nsd.running!;
    const victim = run0.slots[0]!;
    expect(sim.kill(g.w, victim, '-9', 'root')).toEqual({ ok: true });
    const mainPid = g.w.nsd.running!.mainPid;
    expect(sim.pids(g.w)).not.toContain(victim);
    expect(g.w.nsd.running!.slots).not.toContain(victim);
    expect(g.w.nsd.running!.slots.every((p) => p > 0)).toBe(true);
    const said = sim.syslog(g.w).some((e) => e.kind === 'line' && e.record.text === `server ${victim} died unexpectedly with status 9, restarting` && e.record.pid === mainPid);
    expect(said).toBe(true);
  });

  it('SIGHUP to the 4.0 main makes a new main whose parent is init', () => {
    const g = fresh(SEED);
    run(g, HOUR);
    const old = g.w.nsd.running!.mainPid;
    expect(sim.kill(g.w, old, 'HUP', 'root')).toEqual({ ok: true });
    const now = g.w.nsd.running!.mainPid;
    expect(now).not.toBe(old);
    expect(sim.processes(g.w).find((p) => p.pid === now)?.ppid).toBe(1);
    expect(sim.syslog(g.w).some((e) => e.kind === 'line' && e.record.text === 'SIGHUP received, reloading...')).toBe(true);
  });
});

describe('/proc/PID/oom_score_adj', () => {
  it('validates range, ownership and the right to lower', () => {
    const g = fresh(SEED);
    const main = g.w.nsd.running!.mainPid;
    expect(sim.setOomScoreAdj(g.w, main, 1001, 'root')).toEqual({ ok: false, errno: 'EINVAL' });
    expect(sim.setOomScoreAdj(g.w, main, 'lots', 'root')).toEqual({ ok: false, errno: 'EINVAL' });
    expect(sim.setOomScoreAdj(g.w, 31_999, 0, 'root')).toEqual({ ok: false, errno: 'ESRCH' });
    expect(sim.setOomScoreAdj(g.w, main, -17, 'ops')).toEqual({ ok: false, errno: 'EACCES' });
    expect(sim.setOomScoreAdj(g.w, main, 500, 'root')).toEqual({ ok: true });
    const view = sim.processes(g.w).find((p) => p.pid === main)!;
    expect(view.oomScoreAdj).toBe(500);
    expect(view.oomScore).toBeGreaterThanOrEqual(500);
  });
});

describe('sysctl and swap', () => {
  it('reads and writes the knobs with the kernel errors', () => {
    const g = fresh(SEED);
    expect(sim.sysctl(g.w, 'kernel.panic', null, 'ops')).toEqual({ ok: true, key: 'kernel.panic', value: 10 });
    expect(sim.sysctl(g.w, '/proc/sys/vm/swappiness', null, 'ops')).toMatchObject({ ok: true, key: 'vm.swappiness' });
    expect(sim.sysctl(g.w, 'vm.no_such_knob', null, 'root')).toMatchObject({ ok: false, errno: 'ENOENT' });
    expect(sim.sysctl(g.w, 'vm.swappiness', '10', 'ops')).toMatchObject({ ok: false, errno: 'EACCES' });
    expect(sim.sysctl(g.w, 'vm.swappiness', '101', 'root')).toMatchObject({ ok: false, errno: 'EINVAL' });
    expect(sim.sysctl(g.w, 'vm.drop_caches', '0', 'root')).toMatchObject({ ok: false, errno: 'EINVAL' });
    expect(sim.sysctl(g.w, 'vm.overcommit_memory', '2', 'root')).toEqual({ ok: true, key: 'vm.overcommit_memory', value: 2 });
    expect(sim.sysctl(g.w, 'vm.overcommit_memory', null, 'ops')).toMatchObject({ value: 2 });
  });

  it('swapon needs mkswap first and root; swapoff takes it away again', () => {
    const g = fresh(SEED);
    expect(sim.swapon(g.w, '/nope', 'root')).toMatchObject({ ok: false });
    expect(sim.swapCreate(g.w, 'relative', 1024, 'root')).toEqual({ ok: false, errno: 'EINVAL' });
    expect(sim.swapCreate(g.w, '/swapfile', 1024 * 1024, 'root')).toEqual({ ok: true });
    expect(sim.swapon(g.w, '/swapfile', 'root')).toMatchObject({ ok: false, errno: 'EINVAL' });
    expect(sim.mkswap(g.w, '/swapfile', 'root')).toMatchObject({ ok: true });
    expect(sim.swapon(g.w, '/swapfile', 'ops')).toMatchObject({ ok: false });
    const on = sim.swapon(g.w, '/swapfile', 'root');
    expect(on.ok).toBe(true);
    expect(sim.meminfo(g.w).SwapTotal).toBeGreaterThan(1000_000);
    expect(sim.swapsView(g.w).map((s) => s.filename)).toEqual(['/swapfile']);
    expect(sim.swapoff(g.w, '/swapfile', 'root')).toEqual({ ok: true });
    expect(sim.meminfo(g.w).SwapTotal).toBe(0);
  });
});

describe('service, nsd-control and nsd -v', () => {
  it('status says running, then not running with exit 3 after stop; nsd-control cannot connect', () => {
    const g = fresh(SEED);
    expect(sim.serviceNsd(g.w, 'status', 'ops')).toEqual({ stdout: ' * nsd is running\n', stderr: '', code: 0 });
    expect(sim.nsdControl(g.w, ['reload'], 'root')).toEqual({ stdout: 'ok\n', stderr: '', code: 0 });
    const stop = sim.serviceNsd(g.w, 'stop', 'root');
    expect(stop.code).toBe(0);
    expect(stop.stdout).toMatch(/^ \* Stopping domain name service nsd +\[ OK \]\n$/);
    expect(nsdPids(g.w)).toEqual([]);
    expect(sim.serviceNsd(g.w, 'status', 'ops')).toMatchObject({ stdout: ' * nsd is not running\n', code: 3 });
    expect(sim.nsdControl(g.w, ['reload'], 'root')).toMatchObject({ stderr: expect.stringContaining('Connection refused'), code: 1 });
    expect(sim.serviceNsd(g.w, 'frobnicate', 'root').code).toBe(1);
    expect(sim.serviceNsd(g.w, 'start', 'ops').code).toBe(1);
    expect(nsdPids(g.w)).toEqual([]);
    expect(sim.serviceNsd(g.w, 'start', 'root').code).toBe(0);
    expect(nsdPids(g.w).length).toBe(2 + g.w.nsd.running!.slots.length);
  });

  it('nsd -v names the installed version; trusty-backports has no newer NSD to change it', () => {
    const g = fresh(SEED);
    expect(sim.nsdVersion(g.w).stderr.split('\n')[0]).toBe('NSD version 4.0.1');
    expect(sim.aptInstall(g.w, g.streams, ['nsd'], 'root', 'trusty-backports').plan.errors).toEqual([]);
    expect(sim.aptInstall(g.w, g.streams, ['nsd/trusty-backports'], 'root').plan.errors).toEqual(["E: Release 'trusty-backports' for 'nsd' was not found"]);
    expect(sim.nsdVersion(g.w).stderr.split('\n')[0]).toBe('NSD version 4.0.1');
    expect(sim.serviceNsd(g.w, 'status', 'ops').code).toBe(0);
  });
});

describe('dig against the box', () => {
  it('answers authoritatively while a serve child lives, times out after a stop', () => {
    const g = fresh(SEED);
    const zone = g.w.nsd.zones[0]!.name;
    const up = sim.dnsQuery(g.w, g.streams.stream('dns'), { server: '127.0.0.1', qname: zone, qtype: 'SOA' });
    expect(up.view.outcome).toBe('answer');
    expect(up.view.aa).toBe(true);
    expect(up.view.answers[0]?.type).toBe('SOA');
    expect(up.elapsedMs).toBeLessThan(100);
    const nx = sim.dnsQuery(g.w, g.streams.stream('dns'), { server: '127.0.0.1', qname: `no-such-host.${zone}`, qtype: 'A' });
    expect(nx.view.outcome).toBe('nxdomain');
    sim.serviceNsd(g.w, 'stop', 'root');
    const down = sim.dnsQuery(g.w, g.streams.stream('dns'), { server: '127.0.0.1', qname: zone, qtype: 'SOA' });
    expect(down.view.outcome).toBe('timeout');
    expect(down.elapsedMs).toBe(15_000);
    expect(sim.dnsServing(g.w, g.w.now)).toBe(false);
  });
});

describe('apt', () => {
  it('refuses unknown packages and non-root users with apt-get messages', () => {
    const g = fresh(SEED);
    const r = sim.aptInstall(g.w, g.streams, ['nsd5'], 'root');
    expect(r.ok).toBe(false);
    expect(r.plan.errors).toEqual(['E: Unable to locate package nsd5']);
    expect(sim.aptInstall(g.w, g.streams, ['nsd'], 'ops').error).toMatch(/^E: Could not open lock file/);
  });

  it('upgrade takes what March 2015 offered (tzdata) and no kernel; dist-upgrade has nothing more', () => {
    const g = fresh(SEED);
    const plain = sim.aptUpgrade(g.w, g.streams, false, 'root');
    expect(plain.ok).toBe(true);
    expect(plain.plan.upgrade).toEqual([{ name: 'tzdata', from: '2014i-0ubuntu0.14.04', to: '2015a-0ubuntu0.14.04' }]);
    expect(plain.plan.keptBack).toEqual([]);
    expect(plain.plan.install).toEqual([]);
    expect(sim.uname(g.w).release).toBe('3.16.0-30-generic');
    const dist = sim.aptUpgrade(g.w, g.streams, true, 'root');
    expect(dist.plan.upgrade).toEqual([]);
    expect(dist.plan.install).toEqual([]);
  });

  it('a new kernel runs only after reboot; the reboot takes the box down for a while', () => {
    const g = fresh(SEED);
    run(g, HOUR);
    expect(installMainline(g).run.unconfigured).toEqual([]);
    expect(sim.uname(g.w).release).toBe('3.16.0-30-generic');
    expect(sim.reboot(g.w, g.streams, 'ops')).toEqual({ ok: false, errno: 'EPERM' });
    const oldMain = g.w.nsd.running!.mainPid;
    const r = sim.reboot(g.w, g.streams, 'root');
    if (!r.ok) throw new Error('reboot refused');
    expect(r.backAt - g.w.now).toBeGreaterThanOrEqual(40_000);
    expect(r.backAt - g.w.now).toBeLessThanOrEqual(90_000);
    sim.advance(g.w, g.streams, r.backAt - 1000, { runCommand: () => ({ stdout: '', stderr: '', code: 0 }) });
    expect(sim.dnsServing(g.w, g.w.now)).toBe(false);
    run(g, 5 * 60_000);
    expect(sim.uname(g.w).release).toBe('3.19.0-031900-generic');
    expect(sim.dnsServing(g.w, g.w.now)).toBe(true);
    expect(sim.fixes(g.w).runningKernelHasFix).toBe(true);
    const first = sim.kernelLog(g.w)[0];
    expect(first?.kind === 'line' && first.record.sinceBootMs).toBe(0);
    expect(g.w.nsd.running!.mainPid).not.toBe(oldMain);
  });
});
