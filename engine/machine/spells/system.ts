import { formatInitctlList, formatLsbRelease, jobLine, parseLsbArgs, type JobView } from '../../formats/initctl';
import type { ProcessView } from '../../formats/types';
import { defineCommand } from '../../shell/commands/define';
import type { CommandContext, CommandResult, CommandSpec } from '../../shell/types';
import * as sim from '../index';
import type { MachineWorld } from '../world';
import { initctlCron } from '../cronJob';
import type { MachineContext } from './context';

/** Spells about the system itself: its init's jobs (initctl) and its release (lsb_release). */

const res = (stdout: string, stderr = '', code = 0): CommandResult => ({ stdout, stderr, code });

type Finder = (procs: ProcessView[]) => ProcessView | undefined;
const byComm = (comm: string): Finder => (ps) => ps.find((p) => p.comm === comm && p.ppid === 1);
const getty = (tty: string): Finder => (ps) => ps.find((p) => p.comm === 'getty' && p.tty === tty);

/**
 * /etc/init on a trusty cloud server, in the order upstart's D-Bus listing gives them. A job
 * with a finder runs while its process lives (nothing here respawns a killed daemon); the rest
 * are tasks and one-shot jobs that ran at boot and wait.
 */
const JOBS: ReadonlyArray<[string, Finder | 'running' | null, string?]> = [
  ['mountall-net', null],
  ['passwd', null],
  ['rc', null],
  ['rsyslog', byComm('rsyslogd')],
  ['tty4', getty('tty4')],
  ['udev', byComm('systemd-udevd')],
  ['upstart-udev-bridge', byComm('upstart-udev-br')],
  ['ureadahead-other', null],
  ['apport', null],
  ['console-setup', null],
  ['hwclock-save', null],
  ['irqbalance', byComm('irqbalance')],
  ['plymouth-log', null],
  ['systemd-logind', byComm('systemd-logind')],
  ['tty5', getty('tty5')],
  ['atd', byComm('atd')],
  ['failsafe', null],
  ['ssh', byComm('sshd')],
  ['control-alt-delete', null],
  ['hwclock', null],
  ['network-interface-container', null],
  ['plymouth-ready', null],
  ['setvtrgb', null],
  ['tty2', getty('tty2')],
  ['upstart-socket-bridge', byComm('upstart-socket-')],
  ['cloud-config', null],
  ['cloud-final', null],
  ['cloud-init', null],
  ['cloud-init-container', null],
  ['cloud-init-local', null],
  ['cloud-init-nonet', null],
  ['cloud-log-shutdown', null],
  ['tty3', getty('tty3')],
  ['tty6', getty('tty6')],
  ['cron', (ps) => ps.find((p) => p.comm === 'cron' && p.ppid === 1 && p.args === 'cron')],
  ['dbus', byComm('dbus-daemon')],
  ['mounted-proc', null],
  ['mountall', null],
  ['network-interface', 'running', 'eth0'],
  ['network-interface', 'running', 'lo'],
  ['networking', 'running'],
  ['acpid', byComm('acpid')],
  ['tty1', getty('tty1')],
  ['upstart-file-bridge', byComm('upstart-file-br')],
  ['procps', null],
  ['ureadahead', null],
];

/** the scenario's own upstart jobs (its services with an /etc/init job file) */
function scenarioJobs(w: MachineWorld) {
  return sim.scenarioOf(w).services.filter((svc) => svc.upstart);
}

function jobsOf(w: MachineWorld): JobView[] {
  const procs = w.machine.up ? sim.processes(w) : [];
  const base: JobView[] = JOBS.map(([name, find, instance]) => {
    const pid = find === null ? null : find === 'running' ? 0 : (find(procs)?.pid ?? null);
    return instance ? { name, instance, pid } : { name, pid };
  });
  const own = scenarioJobs(w).map((svc) => {
    const job = svc.upstart!;
    const pid = w.machine.up && job.goal(w) === 'start' ? job.mainPid(w) : null;
    return { name: svc.name, pid };
  });
  return [...base, ...own];
}

function lsbFields(ctx: CommandContext): Record<string, string> {
  const r = ctx.env.fs.read('/etc/lsb-release', ctx.user);
  const out: Record<string, string> = {};
  if (!r.ok) return out;
  for (const line of r.value.split('\n')) {
    const m = /^(\w+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!.replace(/^"(.*)"$/, '$1');
  }
  return out;
}

export function systemSpells(c: MachineContext): CommandSpec[] {
  const w = () => c.world();
  return [
    defineCommand({
      name: 'initctl',
      summary: "upstart's jobs: which are running, and their main process",
      category: 'processes',
      synopsis: ['initctl list', 'initctl status JOB', 'sudo initctl start|stop|restart|reload JOB'],
      path: '/sbin/initctl',
      description: [
        'Ubuntu 14.04 boots with upstart. initctl list prints every job it knows: "start/running, process N" for a running service with its main pid, "stop/waiting" for one that is not running (or a task that already ran).',
        'Daemons started by old-style /etc/init.d scripts (ntp, collectd, and most packages\' own services) are not upstart jobs and do not appear: ask them with service NAME status.',
      ],
      examples: [['initctl list | grep running', 'the upstart services that are up']],
      completions: ['list', 'status'],
      run: (ctx) => {
        const [cmd, job] = ctx.argv.slice(1);
        if (cmd === 'list') return res(formatInitctlList(jobsOf(w())));
        const own = job ? scenarioJobs(w()).find((svc) => svc.name === job) : undefined;
        if (own && cmd && ['start', 'stop', 'restart', 'reload', 'status'].includes(cmd)) {
          const r = own.upstart!.control(w(), cmd, ctx.user);
          return res(r.stdout, r.stderr, r.code);
        }
        if (job === 'cron' && cmd && ['start', 'stop', 'restart', 'reload', 'status'].includes(cmd) && !own) {
          const r = initctlCron(w(), cmd, ctx.user);
          return res(r.stdout, r.stderr, r.code);
        }
        if (cmd === 'status') {
          if (!job) return res('', 'initctl: missing job name\nTry `initctl --help\' for more information.\n', 1);
          const found = jobsOf(w()).filter((j) => j.name === job);
          if (!found.length) return res('', `initctl: Unknown job: ${job}\n`, 1);
          return res(found.map(jobLine).join(''));
        }
        if (cmd === undefined) return res('', 'initctl: missing command\nTry `initctl --help\' for more information.\n', 1);
        if (['start', 'stop', 'restart', 'reload', 'emit'].includes(cmd)) return res('', `initctl: ${cmd} is not simulated here: the grimoire's initctl only lists jobs and drives cron and the chapter's own upstart jobs (use service NAME ${cmd === 'emit' ? 'restart' : cmd} for its services)\n`, 1);
        return res('', `initctl: invalid command: ${cmd}\nTry \`initctl --help' for more information.\n`, 1);
      },
    }),
    defineCommand({
      name: 'lsb_release',
      summary: 'which Ubuntu release this is',
      category: 'packages',
      synopsis: ['lsb_release -a', 'lsb_release -cs'],
      description: ['Prints the distribution, its release and codename, from /etc/lsb-release (which the base-files package updates at each point release).'],
      options: [
        ['-a', 'everything'],
        ['-d, -r, -c, -i', 'description, release, codename, distributor'],
        ['-s', 'values only'],
      ],
      examples: [['lsb_release -a', 'which Ubuntu, which point release']],
      run: (ctx) => {
        const p = parseLsbArgs(ctx.argv.slice(1));
        if (!p.ok) return res(p.stdout, p.stderr, p.code);
        const r = formatLsbRelease(lsbFields(ctx), p.options);
        return res(r.stdout, r.stderr);
      },
    }),
  ];
}
