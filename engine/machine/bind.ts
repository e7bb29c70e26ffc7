/**
 * The machine as the engine plays it: the player's login (ops, with sudo), the filesystem with
 * /proc and /var/log over the simulation, the everyday spells, the clock, and what happens when
 * the player's ssh session was lost under them.
 */
import type { GameClock, MachineBinding } from '../chapter';
import type { RngStreams } from '../rng';
import { advance } from './advance';
import { filesystems, mountOf, vfsDisk } from './disk';
import { StoreMeter } from '../vfs/space';
import { LOGIN } from './files';
import { hardReset } from './power';
import { procProvider, varLogProvider } from './procfs';
import { withStoredLogs } from './storedLogs';
import { authSudo, withAuthLog } from './authlog';
import { cpuAt, findProc } from '../kernel/procs';
import { login, sessionShell } from './session';
import type { MachineContext, PlayerAction } from './spells/context';
import { actSpells } from './spells/act';
import { aptSpells } from './spells/apt';
import { fetchSpells } from './spells/fetch';
import { observeSpells } from './spells/observe';
import { procSpells } from './spells/procs';
import { sessionSpells } from './spells/sessions';
import { straceSpells } from './spells/strace';
import { fileSpells } from './spells/files';
import { netSpells } from './spells/net';
import { systemSpells } from './spells/system';
import { crontabSpells } from './spells/crontabCmd';
import { storageSpells } from './spells/storage';
import { fstrimSpells } from './spells/fstrim';
import { blockfsProviders } from './blockfs';
import { scenarioOf } from './scenario';
import { BLOCK_SUBSYSTEM_NAME } from '../kernel/block';
import { pids } from './views';
import type { CommandSpec } from '../shell/types';
import type { MachineWorld } from './world';

/** uids of the accounts /etc/passwd lists, for ps and ls */
function usersOf(w: MachineWorld): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of (w.files.files['/etc/passwd']?.content ?? '').split('\n')) {
    const [name, , uid] = line.split(':');
    if (name && uid !== undefined && /^\d+$/.test(uid)) out[name] = Number(uid);
  }
  return out;
}

export interface MachineHooks {
  /** the player did something the chapter may want to know about */
  notify?(action: PlayerAction): void;
}

export interface BoundMachine {
  binding: MachineBinding;
  /** what the machine's spells and providers see; a chapter's spells extend it */
  context: MachineContext;
}

/**
 * The AWS CLI and MongoDB's tools exist only on boxes whose world has a cloud or a MongoDB; their
 * modules (a JMESPath interpreter, the MMAPv1 store and bson) load only for those boxes, so a
 * chapter without them does not pay for them at every start.
 */
function cloudSpells(w: MachineWorld, context: MachineContext): CommandSpec[] {
  if (!w.cloud) return [];
  return (require('./spells/aws') as typeof import('./spells/aws')).awsSpells(context);
}

function mongoToolSpells(w: MachineWorld, context: MachineContext): CommandSpec[] {
  if (!(w as MachineWorld & { mongo?: unknown }).mongo) return [];
  return (require('./spells/mongo') as typeof import('./spells/mongo')).mongoSpells(context);
}

/** the mongo shell, which holds the terminal between `mongo` and `exit`, on a box with MongoDB */
function mongoShellProgram(w: MachineWorld, context: MachineContext): Pick<MachineBinding, 'program'> {
  if (!(w as MachineWorld & { mongo?: unknown }).mongo) return {};
  return { program: (require('./spells/mongo') as typeof import('./spells/mongo')).mongoShellProgram(context) };
}

export function bindMachine(w: MachineWorld, streams: RngStreams, hooks: MachineHooks = {}): BoundMachine {
  // the game's clock of the latest advance: a spell that takes time (apt, dig) runs within the same line
  let clock: GameClock = { runCommand: () => undefined };
  const advanceTo = (ms: number): void => {
    const to = clock.deadline !== undefined ? Math.min(ms, clock.deadline) : ms;
    const current = clock;
    if (to > w.now) advance(w, streams, to, { runCommand: (line, user) => current.runCommand(line, user), interrupted: current.interrupted });
  };
  // what the stored files take, measured incrementally for the VFS and df alike (never saved)
  const meter = new StoreMeter(mountOf);
  const context: MachineContext = {
    filesystems: () => filesystems(w, meter.measure(w.files)),
    world: () => w,
    streams,
    advance: (ms) => advanceTo(w.now + Math.max(0, ms)),
    users: () => usersOf(w),
    notify: (action) => {
      // a reboot the player asked for ends their session with no surprise
      if (action.kind === 'went-down') w.logoutExpected = true;
      hooks.notify?.(action);
    },
  };
  // the block layer's files and spells exist only on a box whose kernel is built with it
  const block = (scenarioOf(w).kernel ?? []).some((s) => s.name === BLOCK_SUBSYSTEM_NAME);
  const binding: MachineBinding = {
    loginUser: LOGIN.name,
    hostname: w.p.hostname,
    home: LOGIN.home,
    sudoers: [LOGIN.name],
    vars: {
      HOME: LOGIN.home,
      USER: LOGIN.name,
      LOGNAME: LOGIN.name,
      SHELL: '/bin/bash',
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      TERM: 'xterm-256color',
      LANG: 'en_US.UTF-8',
      HOSTNAME: w.p.hostname,
    },
    files: w.files,
    providers: [procProvider(context), withStoredLogs(withAuthLog(varLogProvider(context), () => w), () => w), ...(block ? blockfsProviders(context) : [])],
    disk: vfsDisk(w, meter),
    commands: [...observeSpells(context), ...actSpells(context), ...aptSpells(context), ...fetchSpells(context), ...procSpells(context), ...sessionSpells(context), ...straceSpells(context), ...fileSpells(context), ...netSpells(context), ...systemSpells(context), ...crontabSpells(context), ...fstrimSpells(context), ...cloudSpells(w, context), ...mongoToolSpells(w, context), ...(block ? storageSpells(context) : [])],
    now: () => w.now,
    advanceTo: (ms, gameClock) => {
      clock = gameClock;
      advanceTo(ms);
    },
    pids: () => pids(w),
    shellPid: () => sessionShell(w),
    sudoRan: (e, fromTerminal) => {
      const bash = fromTerminal ? findProc(w.k, sessionShell(w)) : undefined;
      authSudo(w, { ...e, tty: bash ? bash.tty : 'unknown', pwd: e.cwd });
    },
    sessionCpu: () => {
      const bash = findProc(w.k, sessionShell(w));
      // the simulation books a process's CPU as one figure (ps's TIME), not split into utime and stime: counted as user time
      const userMs = bash ? w.k.procs.filter((p) => p.tty === bash.tty).reduce((n, p) => n + cpuAt(p, w.now), 0) : 0;
      return { userMs, sysMs: 0 };
    },
    beforeSpell: (advanceBy) => {
      if (sessionShell(w) > 0) return [];
      const expected = w.logoutExpected === true;
      delete w.logoutExpected;
      return reconnect(w, streams, expected, advanceBy);
    },
    world: () => w as never,
    ...mongoShellProgram(w, context),
  };
  return { binding, context };
}

/**
 * The player's ssh session ends when the machine goes down (a reboot, a panic) or its shell is
 * killed. Before the next spell they wait for the machine to come back and log in again; a hung
 * kernel needs a reset from the cloud console, which is what an on-call engineer would do.
 */
function reconnect(w: MachineWorld, streams: RngStreams, expected: boolean, advanceBy: (ms: number) => void): string[] {
  const host = w.p.hostname;
  const lines: string[] = [];
  if (!expected) lines.push(`Connection to ${host} closed by remote host.`);
  if (!w.machine.up) {
    const waitingFor = w.machine.bootAt > 0 ? w.machine.bootAt : w.machine.panicRebootAt;
    if (waitingFor > w.now) {
      lines.push(`You wait for ${host} to come back up...`);
      advanceBy(waitingFor - w.now + 20_000);
    }
    if (!w.machine.up) {
      lines.push(`${host} does not answer: its console shows a kernel panic. You reset it from the cloud console.`);
      const r = hardReset(w, streams);
      advanceBy(r.backAt - w.now + 20_000);
    }
  }
  const pid = login(w, w.now);
  lines.push(pid > 0 ? `You ssh back in to ${host}.` : `${host} is up but will not let you in yet.`);
  return lines;
}
