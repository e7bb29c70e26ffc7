import type { CommandSpec, FsResult, FsStat, ShellEnv, CommandResult } from '../../../engine/shell/types';
import type { FileStore } from '../../../engine/vfs/store';
import { GameVfs, type VfsProvider } from '../../../engine/vfs/vfs';
import { createRegistry, genericCommands } from '../../../engine/shell/registry';
import { initialShellState, type ShellState } from '../../../engine/shell/state';
import { runLine, type ShellRunResult } from '../../../engine/shell/exec';

export const T0 = Date.UTC(2015, 10, 26, 18, 23, 0);

export function baseStore(): FileStore {
  const f = (content: string, mode = 0o644, owner = 'root', group = 'root') => ({ content, mode, owner, group, mtime: T0 - 3600_000 });
  return {
    files: {
      '/etc/passwd': f('root:x:0:0:root:/root:/bin/bash\nops:x:1000:1000:Ops,,,:/home/ops:/bin/bash\nnsd:x:107:112::/var/lib/nsd:/bin/false\n'),
      '/etc/group': f('root:x:0:\nadm:x:4:ops\nsudo:x:27:ops\nops:x:1000:\nnsd:x:112:\n'),
      '/etc/shadow': f('root:*:16000:0:99999:7:::\n', 0o640, 'root', 'shadow'),
      '/home/ops/notes.txt': f('alpha\nbeta\ngamma\n', 0o664, 'ops', 'ops'),
      '/home/ops/.bashrc': f('# bashrc\n', 0o644, 'ops', 'ops'),
      '/var/log/syslog': f('Nov 26 18:00:01 ns2 CRON[100]: job\nNov 26 18:01:02 ns2 nsd[200]: zone loaded\nNov 26 18:02:03 ns2 kernel: oom\n', 0o640, 'syslog', 'adm'),
      '/root/secret': f('top secret\n', 0o600),
      '/usr/local/bin/fix.sh': f('#!/bin/bash\necho fixing\nwhoami\n', 0o755),
      '/home/ops/noexec.sh': f('echo hi\n', 0o644, 'ops', 'ops'),
    },
    dirs: {
      '/root': { mode: 0o700, owner: 'root', group: 'root' },
      '/home/ops': { mode: 0o755, owner: 'ops', group: 'ops' },
      '/var/empty': { mode: 0o755, owner: 'root', group: 'root' },
    },
  };
}

/** a tiny /proc: slabinfo root-only, drop_caches writable by root only, one PID directory per process */
export function procProvider(pids: number[], writes: string[]): VfsProvider {
  const file = (mode: number, size = 0): FsResult<FsStat> => ({ ok: true, value: { type: 'file', mode, owner: 'root', group: 'root', size, mtime: T0 } });
  const dir = (): FsResult<FsStat> => ({ ok: true, value: { type: 'dir', mode: 0o555, owner: 'root', group: 'root', size: 0, mtime: T0 } });
  return {
    mountPoint: '/proc',
    stat(rel) {
      if (rel === '' || rel === 'sys' || rel === 'sys/vm') return dir();
      if (rel === 'slabinfo') return file(0o400);
      if (rel === 'meminfo') return file(0o444);
      if (rel === 'sys/vm/drop_caches') return file(0o200);
      const m = /^(\d+)(?:\/(status))?$/.exec(rel);
      if (m && pids.includes(Number(m[1]))) return m[2] ? file(0o444) : dir();
      return { ok: false, errno: 'ENOENT' };
    },
    read(rel) {
      if (rel === 'slabinfo') return { ok: true, value: 'slabinfo - version: 2.1\ndentry 100 200 192 21 1\n' };
      if (rel === 'meminfo') return { ok: true, value: 'MemTotal:        2048000 kB\nMemFree:          100000 kB\nCached:           500000 kB\n' };
      if (rel === 'sys/vm/drop_caches') return { ok: true, value: '0\n' };
      const m = /^(\d+)\/status$/.exec(rel);
      if (m) return { ok: true, value: `Name:\tproc${m[1]}\nPid:\t${m[1]}\n` };
      return { ok: false, errno: 'ENOENT' };
    },
    write(rel, data) {
      if (rel !== 'sys/vm/drop_caches') return { ok: false, errno: 'EACCES' };
      if (!/^[123]\n?$/.test(data)) return { ok: false, errno: 'EINVAL' };
      writes.push(data);
      return { ok: true, value: undefined };
    },
    list(rel) {
      if (rel === '') return { ok: true, value: [...pids.map(String), 'meminfo', 'slabinfo', 'sys'] };
      if (rel === 'sys') return { ok: true, value: ['vm'] };
      if (rel === 'sys/vm') return { ok: true, value: ['drop_caches'] };
      if (/^\d+$/.test(rel)) return { ok: true, value: ['status'] };
      return { ok: false, errno: 'ENOTDIR' };
    },
  };
}

export interface Harness {
  env: ShellEnv;
  store: FileStore;
  vfs: GameVfs;
  state: ShellState;
  clock: { now: number };
  calls: { argv: string[]; user: string; result: CommandResult }[];
  dropWrites: string[];
  /** runs a line and keeps the new shell state */
  run(line: string): ShellRunResult;
}

const slabtop: CommandSpec = {
  name: 'slabtop',
  summary: 'show kernel slab caches',
  man: 'NAME\n       slabtop - show kernel slab caches\n\nSYNOPSIS\n       slabtop [-o]\n',
  category: 'memory',
  completions: ['-o', '--once'],
  run: (ctx) => (ctx.user === 'root' ? { stdout: ' Active / Total Objects\n', stderr: '', code: 0 } : { stdout: '', stderr: 'fopen /proc/slabinfo: Permission denied\n', code: 1 }),
};

const kill: CommandSpec = {
  name: 'kill',
  summary: 'send a signal',
  man: 'NAME\n       kill - send a signal\n\nSYNOPSIS\n       kill PID\n',
  category: 'processes',
  argKind: 'pid',
  run: () => ({ stdout: '', stderr: '', code: 0 }),
};

/** writes "out" then "err" then "out2", to check interleaving */
const noisy: CommandSpec = {
  name: 'noisy',
  summary: 'test command',
  man: 'NAME\n       noisy - test\n\nSYNOPSIS\n       noisy\n',
  category: 'game',
  run: () => ({ stdout: 'out\nout2\n', stderr: 'err\n', code: 3, output: [{ stream: 'stdout', text: 'out\n' }, { stream: 'stderr', text: 'err\n' }, { stream: 'stdout', text: 'out2\n' }] }) as CommandResult,
};

const boom: CommandSpec = {
  name: 'boom',
  summary: 'throws',
  man: 'NAME\n       boom\n',
  category: 'game',
  run: () => {
    throw new Error('kaboom');
  },
};

export function harness(opts: { sudoers?: string[]; extra?: CommandSpec[] } = {}): Harness {
  const store = baseStore();
  const clock = { now: T0 };
  const vfs = new GameVfs(store, { now: () => clock.now });
  const pids = [1, 312, 1200, 2714];
  const dropWrites: string[] = [];
  vfs.mount(procProvider(pids, dropWrites));
  const calls: Harness['calls'] = [];
  const env: ShellEnv = {
    commands: createRegistry([...genericCommands(), slabtop, kill, noisy, boom, ...(opts.extra ?? [])]),
    fs: vfs,
    loginUser: 'ops',
    hostname: 'ns2',
    sudoers: opts.sudoers ?? ['ops'],
    now: () => clock.now,
    advance: (ms) => {
      clock.now += ms;
    },
    pids: () => pids,
    vars: { LANG: 'en_US.UTF-8' },
    onCommand: (argv, user, result) => calls.push({ argv, user, result }),
  };
  const h: Harness = {
    env,
    store,
    vfs,
    state: initialShellState(env),
    clock,
    calls,
    dropWrites,
    run(line) {
      const r = runLine(line, env, h.state);
      h.state = r.state;
      return r;
    },
  };
  return h;
}
