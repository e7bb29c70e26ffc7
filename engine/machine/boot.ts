/**
 * Power-on to login prompt: a fresh kernel (the newest installed image, the RAM the VM now has),
 * kernel threads, the Ubuntu 14.04 daemons, the scenario's services from their init scripts, and
 * cron's @reboot jobs. Everything from before (processes, anon_vma trees, the ring buffer, /run)
 * is gone.
 */
import { totalBogomips } from './cpuinfo';
import { emptyAv } from '../kernel/anonvma';
import { clearKmsg, klog, printkStamp } from '../kernel/logs';
import { slog } from './syslog';
import { addProc, newMm, type ImageSpec } from '../kernel/procs';
import { DEFAULT_PID_MAX } from '../kernel/pid';
import { seedFill } from '../kernel/slab';
import type { KernelState, Proc, SwapDev } from '../kernel/types';
import type { Rng, RngStreams } from '../rng';
import { linuxBanner, newestInstalledKernel } from './packages';
import { knobsOf } from './knobs';
import { scenarioOf } from './scenario';
import { rsyslogMark } from './syslogd';
import type { MachineWorld } from './world';
import { wtmpOf, writeWtmp } from './wtmp';
import { authRecordsOf } from './authlog';

/** from power-on until sshd accepts logins */
export const BOOT_MS = 14_000;
/** rc-sysinit's `telinit 2`: after the startup jobs, before rc2.d starts getty, sshd and cron */
const RUNLEVEL2_AT_MS = 6_000;

interface Daemon {
  at: number;
  uid: number;
  user: string;
  comm: string;
  args: string;
  vsz: number;
  anon: number;
  file: number;
  vmas: number;
  anonVmas: number;
  threads?: number;
  adj?: number;
  tty?: string;
  cpuRate?: number;
}

function daemons(w: MachineWorld): Daemon[] {
  const p = w.p;
  return [
    { at: 2_100, uid: 0, user: 'root', comm: 'upstart-udev-br', args: 'upstart-udev-bridge --daemon', vsz: 15_256, anon: 420, file: 720, vmas: 32, anonVmas: 9 },
    { at: 2_200, uid: 0, user: 'root', comm: 'systemd-udevd', args: '/lib/systemd/systemd-udevd --daemon', vsz: 51_428, anon: 1_100, file: 1_260, vmas: 61, anonVmas: 14, adj: -1000 },
    { at: 3_000, uid: 0, user: 'root', comm: 'upstart-socket-', args: 'upstart-socket-bridge --daemon', vsz: 15_272, anon: 330, file: 640, vmas: 32, anonVmas: 9 },
    { at: 3_600, uid: 0, user: 'root', comm: 'dhclient', args: 'dhclient -1 -v -pf /run/dhclient.eth0.pid -lf /var/lib/dhcp/dhclient.eth0.leases eth0', vsz: 10_224, anon: 560, file: 2_340, vmas: 58, anonVmas: 11 },
    { at: 4_700, uid: 102, user: 'messagebus', comm: 'dbus-daemon', args: 'dbus-daemon --system --fork', vsz: 39_228, anon: 640, file: 1_020, vmas: 48, anonVmas: 11 },
    { at: 4_800, uid: 0, user: 'root', comm: 'systemd-logind', args: '/lib/systemd/systemd-logind', vsz: 43_448, anon: 760, file: 1_120, vmas: 62, anonVmas: 13 },
    { at: 5_000, uid: 101, user: 'syslog', comm: 'rsyslogd', args: 'rsyslogd', vsz: 255_840, anon: 1_460, file: 1_180, vmas: 74, anonVmas: 22, threads: 4 },
    { at: 5_200, uid: 0, user: 'root', comm: 'upstart-file-br', args: 'upstart-file-bridge --daemon', vsz: 15_268, anon: 310, file: 610, vmas: 32, anonVmas: 9 },
    { at: 6_100, uid: 0, user: 'root', comm: 'getty', args: '/sbin/getty -8 38400 tty4', vsz: 15_820, anon: 180, file: 760, vmas: 29, anonVmas: 7, tty: 'tty4' },
    { at: 6_150, uid: 0, user: 'root', comm: 'getty', args: '/sbin/getty -8 38400 tty5', vsz: 15_820, anon: 180, file: 760, vmas: 29, anonVmas: 7, tty: 'tty5' },
    { at: 6_200, uid: 0, user: 'root', comm: 'getty', args: '/sbin/getty -8 38400 tty2', vsz: 15_820, anon: 180, file: 760, vmas: 29, anonVmas: 7, tty: 'tty2' },
    { at: 6_250, uid: 0, user: 'root', comm: 'getty', args: '/sbin/getty -8 38400 tty3', vsz: 15_820, anon: 180, file: 760, vmas: 29, anonVmas: 7, tty: 'tty3' },
    { at: 6_300, uid: 0, user: 'root', comm: 'getty', args: '/sbin/getty -8 38400 tty6', vsz: 15_820, anon: 180, file: 760, vmas: 29, anonVmas: 7, tty: 'tty6' },
    { at: 6_600, uid: 0, user: 'root', comm: 'sshd', args: '/usr/sbin/sshd -D', vsz: 61_364, anon: 620, file: 2_480, vmas: 66, anonVmas: 15, adj: -1000 },
    { at: 6_700, uid: 0, user: 'root', comm: 'cron', args: 'cron', vsz: 23_656, anon: 300, file: 760, vmas: 35, anonVmas: 9 },
    { at: 6_750, uid: 1, user: 'daemon', comm: 'atd', args: 'atd', vsz: 19_140, anon: 170, file: 280, vmas: 30, anonVmas: 7 },
    { at: 6_900, uid: 0, user: 'root', comm: 'acpid', args: 'acpid -c /etc/acpi/events -s /var/run/acpid.socket', vsz: 4_452, anon: 120, file: 220, vmas: 22, anonVmas: 5 },
    { at: 7_000, uid: 0, user: 'root', comm: 'irqbalance', args: '/usr/sbin/irqbalance', vsz: 19_304, anon: 480, file: 700, vmas: 32, anonVmas: 8 },
    { at: 9_600, uid: 105, user: 'ntp', comm: 'ntpd', args: '/usr/sbin/ntpd -p /var/run/ntpd.pid -g -u 105:112', vsz: 29_148, anon: 520, file: 1_460, vmas: 44, anonVmas: 11, cpuRate: 0.05 },
    {
      at: 10_200,
      uid: 0,
      user: 'root',
      comm: 'collectd',
      args: '/usr/sbin/collectd -C /etc/collectd/collectd.conf -P /var/run/collectd.pid',
      vsz: p.collectdAnonKb + 560_000,
      anon: p.collectdAnonKb,
      file: 4_200,
      vmas: 190,
      anonVmas: 48,
      threads: 11,
      cpuRate: 3,
    },
    { at: 11_300, uid: 0, user: 'root', comm: 'getty', args: '/sbin/getty -8 38400 tty1', vsz: 15_820, anon: 180, file: 760, vmas: 29, anonVmas: 7, tty: 'tty1' },
  ];
}

const KTHREADS_EARLY = [
  'kthreadd', 'ksoftirqd/0', 'kworker/0:0', 'kworker/0:0H', 'kworker/u30:0', 'rcu_sched', 'rcuos/0', 'rcuos/1', 'rcu_bh', 'rcuob/0',
  'rcuob/1', 'migration/0', 'watchdog/0', 'watchdog/1', 'migration/1', 'ksoftirqd/1', 'kworker/1:0', 'kworker/1:0H', 'khelper', 'kdevtmpfs',
  'netns', 'xenwatch', 'xenbus', 'kworker/0:1', 'khungtaskd', 'writeback', 'ksmd', 'khugepaged', 'crypto', 'kintegrityd',
  'bioset', 'kblockd', 'ata_sff', 'md', 'devfreq_wq', 'kworker/1:1', 'kswapd0', 'fsnotify_mark', 'ecryptfs-kthrea', 'kthrotld',
  'acpi_thermal_pm', 'scsi_eh_0', 'scsi_tmf_0', 'scsi_eh_1', 'scsi_tmf_1', 'ipv6_addrconf', 'deferwq', 'charger_manager', 'kpsmoused', 'kworker/u30:1',
];
const KTHREADS_LATE = ['jbd2/xvda1-8', 'ext4-rsv-conver', 'kworker/1:2', 'kworker/0:2', 'kworker/u31:0', 'kworker/u30:2'];

function image(d: { comm: string; args: string; vsz: number; anon: number; file: number; vmas: number; anonVmas: number }): ImageSpec {
  return {
    comm: d.comm,
    args: d.args,
    vszKb: d.vsz,
    anonKb: d.anon,
    fileKb: d.file,
    ptes: Math.ceil((d.anon + d.file) / 2000) + 6,
    vmas: d.vmas,
    anonVmas: d.anonVmas,
    commitKb: Math.floor(d.vsz * 0.4),
    maxVmaKb: Math.min(8192, Math.floor(d.vsz * 0.2)),
  };
}

/** sysctl.conf and /etc/sysctl.d/*.conf as procps' init job applies them (`sysctl -p`: the kernel checks each value) */
function applySysctlFiles(w: MachineWorld, k: KernelState, t: number): void {
  const knobs = knobsOf(w);
  const paths = Object.keys(w.files.files)
    .filter((pth) => pth === '/etc/sysctl.conf' || (pth.startsWith('/etc/sysctl.d/') && pth.endsWith('.conf')))
    .sort();
  for (const pth of paths) {
    for (const line of w.files.files[pth]!.content.split('\n')) {
      const m = /^\s*([a-z0-9_.]+)\s*=\s*(-?\d+)\s*$/.exec(line);
      const knob = m ? knobs[m[1]!] : undefined;
      if (!knob) continue;
      const v = parseInt(m![2]!, 10);
      if (v >= knob.min && v <= knob.max) knob.set(k, v, t);
    }
  }
}

/** swap files named in /etc/fstab come back at boot (fields split on blanks: the player writes this file) */
function swapsAtBoot(w: MachineWorld, previous: SwapDev[]): SwapDev[] {
  const fstab = w.files.files['/etc/fstab']?.content ?? '';
  const swapPaths = new Set<string>();
  for (const line of fstab.split('\n')) {
    const fields = line.trim().split(/[ \t]+/);
    if (!fields[0]!.startsWith('#') && fields[2] === 'swap') swapPaths.add(fields[0]!);
  }
  return previous.map((d) => ({ ...d, active: d.formatted && swapPaths.has(d.path) }));
}

function freshKernel(w: MachineWorld, rng: Rng, t: number): KernelState {
  const p = w.p;
  const build = newestInstalledKernel(w);
  const totalKb = w.machine.nextMemTotalKb;
  const pages = w.machine.nextTotalRamPages;
  const prev = w.k?.mem.swaps ?? [];
  const k: KernelState = {
    release: build.release,
    version: build.version,
    anonVmaReuse: build.anonVmaReuse,
    bootTime: t,
    lastPid: 0,
    born: 0,
    procs: [],
    av: emptyAv(),
    mem: {
      totalKb,
      kernelOtherKb: Math.round((p.kernelOtherKb * totalKb) / p.memTotalKb),
      cache: { baseKb: p.cacheStartKb, since: t, growKbPerH: p.cacheGrowKbPerH, maxKb: Math.floor(totalKb * 0.62), floorKb: p.cacheFloorKb, clipKb: 0, clipAt: -1 },
      recl: { baseKb: p.reclStartKb, since: t, growKbPerH: p.reclGrowKbPerH, maxKb: p.reclMaxKb, floorKb: p.reclFloorKb, clipKb: 0, clipAt: -1 },
      shmemKb: p.shmemKb,
      buffersPct: p.buffersPct,
      swaps: [],
      swapHeldKb: 0,
      swapHeldAt: 0,
      fill: seedFill((lo, hi) => rng.int(lo, hi)),
      totalRamPages: pages,
      directMap4kKb: p.directMap4kKb,
      vmallocUsedKb: p.vmallocUsedKb,
    },
    sysctl: {
      overcommitMemory: 0,
      overcommitRatio: 50,
      minFreeKbytes: Math.min(65_536, Math.max(128, Math.floor(Math.sqrt(totalKb * 16)))),
      swappiness: 60,
      pidMax: DEFAULT_PID_MAX,
      panic: 0,
      panicOnOom: 0,
      oomDumpTasks: 1,
      oomKillAllocatingTask: 0,
      dropCaches: 0,
    },
    cpus: p.cpus,
  };
  k.mem.swaps = swapsAtBoot(w, prev);
  const extra = scenarioOf(w).kernel ?? [];
  if (extra.length > 0) k.subsys = Object.fromEntries(extra.map((s) => [s.name, s.boot?.() ?? null]));
  applySysctlFiles(w, k, t);
  return k;
}

function bootBanner(w: MachineWorld, t: number): void {
  const k = w.k;
  const b = newestInstalledKernel(w);
  const ramKb = k.mem.totalRamPages * 4;
  const lines: Array<[number, string]> = [
    [0, 'Initializing cgroup subsys cpuset'],
    [0, 'Initializing cgroup subsys cpu'],
    [0, 'Initializing cgroup subsys cpuacct'],
    [0, `${linuxBanner(b)}${b.mainline ? '' : ` (Ubuntu ${b.pkgVersion}-generic ${b.upstream})`}`],
    [0, `Command line: BOOT_IMAGE=/boot/vmlinuz-${b.release} root=UUID=5c1f2a6e-7d0b-4f0e-9a4e-3b1d2f6c8e11 ro console=tty1 console=ttyS0`],
    [0, `DMI: ${w.hardware}`],
    [0, 'Hypervisor detected: Xen HVM'],
    [0, `Memory: ${k.mem.totalKb - 14_000}K/${ramKb}K available (7746K kernel code, 1185K rwdata, 3584K rodata, 1388K init, 1432K bss, ${ramKb - k.mem.totalKb + 14_000}K reserved)`],
    [12, `SLUB: HWalign=64, Order=0-3, MinObjects=0, CPUs=${k.cpus}, Nodes=1`],
    [410, `smpboot: Total of ${k.cpus} processors activated (${totalBogomips(w)} BogoMIPS)`],
    [1_220, 'blkfront: xvda: barrier or flush: disabled; persistent grants: disabled; indirect descriptors: enabled;'],
    [1_230, ' xvda: xvda1'],
    [1_910, 'EXT4-fs (xvda1): mounted filesystem with ordered data mode. Opts: (null)'],
    [3_050, 'EXT4-fs (xvda1): re-mounted. Opts: discard'],
    [7_920, 'random: nonblocking pool is initialized'],
  ];
  for (const [at, text] of lines) klog(w.logs, k.bootTime, t + at, 6, text, false);
}

/** a base daemon's process as init starts it, a child of init */
function spawnDaemon(k: KernelState, d: Daemon, start: number): Proc {
  return addProc(k, {
    ppid: 1,
    uid: d.uid,
    user: d.user,
    comm: d.comm,
    args: d.args,
    start,
    threads: d.threads,
    adj: d.adj,
    tty: d.tty,
    mm: newMm(k, image(d)),
    cpuRate: d.cpuRate ?? 0.002,
  });
}

/** init starts a base daemon again after boot (`service cron start`): its process as boot makes it, or null if the box has none of that name */
export function respawnBaseDaemon(w: MachineWorld, comm: string, start: number): Proc | null {
  const d = daemons(w).find((x) => x.comm === comm);
  return d ? spawnDaemon(w.k, d, start) : null;
}

/** The machine comes up: returns when the boot finished (sshd answers). */
export function bootMachine(w: MachineWorld, streams: RngStreams, powerOn: number): number {
  const rng = streams.stream('boot');
  // the wtmp and auth.log of a save from before they were kept are built from the history the old kernel still knows
  wtmpOf(w);
  authRecordsOf(w);
  w.k = freshKernel(w, rng, powerOn);
  writeWtmp(w, { type: 'boot', t: powerOn, release: w.k.release });
  writeWtmp(w, { type: 'runlevel', t: powerOn + RUNLEVEL2_AT_MS, level: '2', release: w.k.release });
  w.logs.syslogUp = true;
  w.cron.running = [];
  w.sessionPid = 0;
  // /run is a tmpfs (and /var/run points into it): nothing written there survives a power cycle
  for (const path of Object.keys(w.files.files)) if (path.startsWith('/run/') || path.startsWith('/var/run/')) delete w.files.files[path];
  w.pkgs.rebootRequired = false;
  clearKmsg(w.logs);
  const k = w.k;
  bootBanner(w, powerOn);
  const init = addProc(k, {
    pid: 1,
    ppid: 0,
    uid: 0,
    user: 'root',
    comm: 'init',
    args: '/sbin/init',
    start: powerOn + 900,
    mm: newMm(k, image({ comm: 'init', args: '/sbin/init', vsz: 33_640, anon: 1_380, file: 1_820, vmas: 52, anonVmas: 12 })),
  });
  init.cpuRate = 0.02;
  KTHREADS_EARLY.forEach((name, i) => {
    addProc(k, { pid: i + 2, ppid: i === 0 ? 0 : 2, uid: 0, user: 'root', comm: name, args: '', start: powerOn + 10 * i, kthread: true, mm: null, nice: name.endsWith('H') ? -20 : 0 });
  });
  k.lastPid = KTHREADS_EARLY.length + rng.int(120, 160);
  for (const name of KTHREADS_LATE) {
    addProc(k, { ppid: 2, uid: 0, user: 'root', comm: name, args: '', start: powerOn + 1_900, kthread: true, mm: null });
    k.lastPid += rng.int(0, 3);
  }
  k.lastPid += rng.int(60, 140);
  // rsyslogd reads the ring buffer once it starts, so the boot messages reach syslog too
  let rsyslog: Proc | undefined;
  // the scenario's services start from their init scripts in between the base system's daemons
  const services = [...scenarioOf(w).services].sort((a, b) => a.bootAtMs - b.bootAtMs);
  const startDue = (upTo: number): void => {
    while (services.length > 0 && services[0]!.bootAtMs <= upTo) {
      const svc = services.shift()!;
      svc.boot(w, powerOn + svc.bootAtMs);
    }
  };
  for (const d of daemons(w)) {
    startDue(d.at);
    k.lastPid += rng.int(2, 40);
    const proc = spawnDaemon(k, d, powerOn + d.at);
    if (d.comm === 'rsyslogd') rsyslog = proc;
    if (d.comm === 'cron') w.cron.cronPid = proc.pid;
    if (d.comm === 'rsyslogd') {
      for (const e of w.logs.kmsg) {
        if (e.kind === 'line') slog(w.logs, powerOn + d.at + 40, 'kernel', 0, printkStamp(e.t) + e.text);
      }
    }
  }
  startDue(Infinity);
  w.rsyslogPid = rsyslog?.pid ?? 0;
  if (rsyslog) {
    slog(w.logs, powerOn + 5_020, 'rsyslogd', 0, rsyslogMark(w, 'start', rsyslog.pid));
  }
  slog(w.logs, powerOn + 6_710, 'cron', w.cron.cronPid, '(CRON) INFO (pidfile fd = 3)');
  slog(w.logs, powerOn + 6_720, 'cron', w.cron.cronPid, '(CRON) INFO (Running @reboot jobs)');
  w.logs.syslog.sort((a, b) => a.time - b.time);
  w.machine.up = true;
  w.machine.panicRebootAt = -1;
  w.sessionPid = 0;
  w.cron.running = [];
  w.cron.seen = {};
  return powerOn + BOOT_MS;
}
