import { defineCommand } from '../../shell/commands/define';
import { errnoMessage } from '../../vfs/errno';
import type { CommandContext, CommandResult, CommandSpec } from '../../shell/types';
import { sysctlKeys } from '../../kernel/sysctl';
import * as sim from '../index';
import { knobsOf } from '../knobs';
import { serviceCron } from '../cronJob';
import type { MachineContext } from './context';

/**
 * Spells that change the machine: services, signals, sysctl, swap, the VM's size, reboots. Each
 * one hands the request to the simulation and prints what the real tool prints about the outcome.
 */

const res = (stdout: string, stderr = '', code = 0): CommandResult => ({ stdout, stderr, code });


/** '2G', '512M', '2048' (MiB for dd-style counts is the caller's job) → KiB */
function parseSize(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)([KMGT]?)(i?B)?$/i.exec(text.trim());
  if (!m) return null;
  const mult: Record<string, number> = { '': 1 / 1024, K: 1, M: 1024, G: 1024 * 1024, T: 1024 * 1024 * 1024 };
  const kb = Number(m[1]) * mult[m[2]!.toUpperCase()]!;
  return Number.isFinite(kb) && kb >= 1 ? Math.round(kb) : null;
}

function abs(ctx: CommandContext, p: string): string {
  if (p.startsWith('/')) return p;
  const base = ctx.cwd.endsWith('/') ? ctx.cwd : `${ctx.cwd}/`;
  return `${base}${p}`.replace(/\/\.\//g, '/');
}

export function actSpells(c: MachineContext): CommandSpec[] {
  const w = () => c.world();
  return [
    defineCommand({
      name: 'service',
      summary: 'start, stop, restart or check a service',
      category: 'processes',
      synopsis: ['sudo service NAME start|stop|restart|reload|status'],
      description: [
        "Runs a service's init script. `restart` stops every process of the service and starts a fresh one (a new program image, a new memory map); `reload` only asks the running one to reread its configuration.",
      ],
      completions: [...sim.scenarioOf(w()).services.filter((svc) => svc.initScript).map((svc) => svc.name), 'cron', 'start', 'stop', 'restart', 'reload', 'force-reload', 'status'],
      run: (ctx) => {
        const [name, action] = ctx.argv.slice(1);
        if (!name) return res('', 'Usage: service < option > | --status-all | [ service_name [ command | --full-restart ] ]\n', 1);
        const svc = sim.scenarioOf(w()).services.find((x) => x.name === name && x.initScript);
        // cron is the base system's own upstart job; a scenario's service of that name would come first
        const script = svc?.initScript ? svc.initScript : name === 'cron' ? serviceCron : null;
        if (!script) return res('', `${name}: unrecognized service\n`, 1);
        const act = action ?? '';
        c.notify({ kind: 'service', name, action: act, user: ctx.user, phase: 'before' });
        const out = script(w(), act, ctx.user);
        c.notify({ kind: 'service', name, action: act, user: ctx.user, phase: 'after', code: out.code });
        return res(out.stdout, out.stderr, out.code);
      },
    }),
    defineCommand({
      name: 'kill',
      summary: 'send a signal to a process',
      category: 'processes',
      synopsis: ['kill [-s SIGNAL | -SIGNAL] PID...', 'kill -l'],
      description: [
        'Sends a signal (TERM unless told otherwise) to each PID. HUP asks many daemons to reload; KILL (9) ends a process at once without letting it clean up.',
        'You can only signal your own processes unless you use sudo.',
      ],
      argKind: 'pid',
      run: (ctx) => {
        const a = ctx.argv.slice(1);
        if (a.length === 0) return res('', 'bash: kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n', 2);
        if (a[0] === '-l' || a[0] === '-L') {
          return res(' 1) SIGHUP\t 2) SIGINT\t 3) SIGQUIT\t 4) SIGILL\t 5) SIGTRAP\n 6) SIGABRT\t 7) SIGBUS\t 8) SIGFPE\t 9) SIGKILL\t10) SIGUSR1\n11) SIGSEGV\t12) SIGUSR2\t13) SIGPIPE\t14) SIGALRM\t15) SIGTERM\n');
        }
        let sig: number | null = 15;
        let i = 0;
        if (a[0] === '-s' || a[0] === '-n') {
          sig = a[1] !== undefined ? sim.parseSignal(a[1]) : null;
          if (sig === null) return res('', `bash: kill: ${a[1] ?? ''}: invalid signal specification\n`, 1);
          i = 2;
        } else if (a[0]!.startsWith('-') && a[0]!.length > 1) {
          sig = sim.parseSignal(a[0]!.slice(1));
          if (sig === null) return res('', `bash: kill: ${a[0]!.slice(1)}: invalid signal specification\n`, 1);
          i = 1;
        }
        let stderr = '';
        let code = 0;
        for (const target of a.slice(i)) {
          if (!/^-?\d+$/.test(target)) {
            stderr += `bash: kill: ${target}: arguments must be process or job IDs\n`;
            code = 1;
            continue;
          }
          const pid = Number(target);
          c.notify({ kind: 'signal', pid, sig: sig!, user: ctx.user });
          const r = sim.kill(w(), pid, sig!, ctx.user);
          if (!r.ok) {
            stderr += `bash: kill: (${pid}) - ${errnoMessage(r.errno)}\n`;
            code = 1;
          }
        }
        return res('', stderr, code);
      },
    }),
    defineCommand({
      name: 'sysctl',
      summary: 'read or set kernel parameters',
      category: 'memory',
      synopsis: ['sysctl KEY...', 'sudo sysctl -w KEY=VALUE', 'sysctl -a'],
      description: [
        'Kernel parameters live under /proc/sys; sysctl reads and writes them by dotted name (vm.swappiness is /proc/sys/vm/swappiness). Writing needs root.',
      ],
      examples: [['sysctl vm.overcommit_memory kernel.panic', 'how the kernel handles running out']],
      completions: ['-a', '-w', ...sysctlKeys(knobsOf(w()))],
      run: (ctx) => {
        const a = ctx.argv.slice(1).filter((x) => x !== '-w' && x !== '-q' && x !== '-e');
        if (a.length === 0) return res('', 'sysctl: no variables specified\nTry `sysctl --help\' for more information.\n', 1);
        let out = '';
        let err = '';
        let code = 0;
        const keys = a.includes('-a') || a.includes('-A') ? sysctlKeys(knobsOf(w())) : a;
        for (const item of keys) {
          const eq = item.indexOf('=');
          const key = eq < 0 ? item : item.slice(0, eq);
          const value = eq < 0 ? null : item.slice(eq + 1);
          const r = sim.sysctl(w(), key, value, ctx.user);
          if (r.ok) {
            if (value !== null) c.notify({ kind: 'sysctl-set', key: r.key, value: r.value });
            out += `${r.key} = ${r.value}\n`;
          } else {
            code = code || 255;
            if (r.errno === 'ENOENT') err += `sysctl: cannot stat /proc/sys/${r.key.replace(/\./g, '/')}: No such file or directory\n`;
            else if (r.errno === 'EACCES') err += `sysctl: permission denied on key '${r.key}'\n`;
            else err += `sysctl: setting key "${r.key}": Invalid argument\n`;
          }
        }
        return res(out, err, code);
      },
    }),
    defineCommand({
      name: 'fallocate',
      summary: 'make a file of a given size (for a swap file)',
      category: 'files',
      synopsis: ['sudo fallocate -l SIZE FILE'],
      description: ['Reserves SIZE bytes of disk for FILE at once (2G, 512M...). The usual first step of adding a swap file: fallocate, chmod 600, mkswap, swapon.'],
      argKind: 'path',
      run: (ctx) => {
        const a = ctx.argv.slice(1);
        const li = a.findIndex((x) => x === '-l' || x.startsWith('--length'));
        const sizeText = li < 0 ? null : a[li]!.includes('=') ? a[li]!.split('=')[1]! : a[li + 1];
        const file = a.filter((x, idx) => idx !== li && (li < 0 || a[li]!.includes('=') || idx !== li + 1) && !x.startsWith('-'))[0];
        if (!sizeText || !file) return res('', 'fallocate: no length argument specified\nUsage: fallocate [options] <filename>\n', 1);
        const kb = parseSize(sizeText);
        if (kb === null) return res('', `fallocate: invalid length value specified\n`, 1);
        const path = abs(ctx, file);
        const r = sim.swapCreate(w(), path, kb, ctx.user);
        if (!r.ok) return res('', `fallocate: ${file}: fallocate failed: ${errnoMessage(r.errno)}\n`, 1);
        return res('');
      },
    }),
    defineCommand({
      name: 'dd',
      summary: 'copy blocks (here: write a file of zeroes for swap)',
      category: 'files',
      synopsis: ['sudo dd if=/dev/zero of=FILE bs=1M count=N'],
      description: ['Copies data in blocks. The only use it has on this machine is writing a file of zeroes to turn into swap; other uses are refused with a note.'],
      run: (ctx) => {
        const kv = Object.fromEntries(ctx.argv.slice(1).map((x) => x.split('=') as [string, string]));
        if (kv.if !== '/dev/zero' || !kv.of) return res('', 'dd: the grimoire only lets dd write zeroes to a new file (if=/dev/zero of=FILE bs=1M count=N)\n', 1);
        const bs = parseSize(kv.bs ?? '512');
        const count = Number(kv.count ?? 'NaN');
        if (bs === null || !Number.isInteger(count) || count <= 0) return res('', `dd: invalid number '${kv.count ?? ''}'\n`, 1);
        const kb = bs * count;
        const path = abs(ctx, kv.of);
        const r = sim.swapCreate(w(), path, kb, ctx.user);
        if (!r.ok) return res('', `dd: failed to open '${kv.of}': ${errnoMessage(r.errno)}\n`, 1);
        const bytes = kb * 1024;
        const secs = Math.max(0.5, kb / (120 * 1024));
        c.advance(Math.round(secs * 1000));
        const rate = bytes / secs;
        const human = (n: number) => (n >= 1e9 ? `${(n / 1e9).toFixed(1)} GB` : `${(n / 1e6).toFixed(0)} MB`);
        return res('', `${count}+0 records in\n${count}+0 records out\n${bytes} bytes (${human(bytes)}) copied, ${secs.toFixed(4)} s, ${human(rate)}/s\n`);
      },
    }),
    defineCommand({
      name: 'mkswap',
      summary: 'prepare a file or partition as swap',
      category: 'memory',
      synopsis: ['sudo mkswap FILE'],
      description: ['Writes a swap signature on FILE so that swapon can use it.'],
      argKind: 'path',
      run: (ctx) => {
        const f = ctx.argv[1];
        if (!f) return res('', 'Usage: mkswap [options] device [size]\n', 1);
        const r = sim.mkswap(w(), abs(ctx, f), ctx.user);
        if (!r.ok) return res('', `mkswap: ${f}: ${errnoMessage(r.errno)}\n`, 1);
        return res(`Setting up swapspace version 1, size = ${r.sizeKb} KiB\nno label, UUID=${r.uuid}\n`);
      },
    }),
    defineCommand({
      name: 'swapon',
      summary: 'start swapping to a file; -s lists swap in use',
      category: 'memory',
      synopsis: ['sudo swapon FILE', 'swapon -s'],
      description: ['Adds FILE to the swap space. Swap lets the kernel move anonymous pages of processes to disk under pressure; it cannot move the kernel\'s own unreclaimable memory.'],
      argKind: 'path',
      run: (ctx) => {
        const a = ctx.argv.slice(1);
        if (a.length === 0 || a[0] === '-s' || a[0] === '--summary') {
          const rows = sim.swapsView(w());
          if (a.length === 0) return res('', 'Usage:\n swapon [options] [<spec>]\n', 2);
          return res(
            'Filename\t\t\t\tType\t\tSize\tUsed\tPriority\n' +
              rows.map((r) => `${r.filename.padEnd(40)}${r.type}\t\t${r.sizeKb}\t${r.usedKb}\t${r.priority}\n`).join(''),
          );
        }
        const f = a[a.length - 1]!;
        const r = sim.swapon(w(), abs(ctx, f), ctx.user);
        if (!r.ok) {
          if (r.errno === 'EACCES') return res('', `swapon: ${f}: swapon failed: Operation not permitted\n`, 255);
          if (r.errno === 'EINVAL') return res('', `swapon: ${f}: read swap header failed: Invalid argument\n`, 255);
          return res('', `swapon: ${f}: swapon failed: ${errnoMessage(r.errno)}\n`, 255);
        }
        c.notify({ kind: 'swap-on', path: abs(ctx, f) });
        return res('', r.warning ? `${r.warning}\n` : '');
      },
    }),
    defineCommand({
      name: 'swapoff',
      summary: 'stop swapping to a file',
      category: 'memory',
      synopsis: ['sudo swapoff FILE'],
      description: ['Moves what was swapped out back into memory and stops using FILE as swap.'],
      argKind: 'path',
      run: (ctx) => {
        const f = ctx.argv[1];
        if (!f) return res('', 'Usage:\n swapoff [options] [<spec>]\n', 2);
        const r = sim.swapoff(w(), abs(ctx, f), ctx.user);
        if (!r.ok) return res('', `swapoff: ${f}: swapoff failed: ${errnoMessage(r.errno)}\n`, 255);
        return res('');
      },
    }),
    defineCommand({
      name: 'resize-instance',
      summary: 'incantation: ask the cloud for more RAM (applies at the next reboot)',
      category: 'incantation',
      synopsis: ['sudo resize-instance SIZE'],
      description: [
        'Not a real command, a stand-in for the cloud console: asks the hypervisor to give this virtual machine SIZE of memory (4G, 8G, 16G). Like a real instance resize, it takes effect when the machine next boots (sudo reboot).',
      ],
      examples: [['sudo resize-instance 8G && sudo reboot', 'double the memory']],
      run: (ctx) => {
        const size = ctx.argv[1];
        if (ctx.user !== 'root') return res('', 'resize-instance: only root may ask the cloud for hardware\n', 1);
        const kb = size ? parseSize(size) : null;
        if (kb === null) return res('', 'usage: resize-instance SIZE (for example 8G)\n', 2);
        const r = sim.setPhysicalMemory(w(), kb);
        if (!r.ok) return res('', 'resize-instance: the provider offers sizes from 512M to 64G\n', 1);
        c.notify({ kind: 'memory-resized', kb });
        return res(`Requested ${size} of RAM for ${w().p.hostname}. It applies at the next boot.\n`);
      },
    }),
    defineCommand({
      name: 'reboot',
      summary: 'restart the machine (boots the newest installed kernel)',
      category: 'processes',
      synopsis: ['sudo reboot'],
      description: [
        'Stops every service and restarts the machine. GRUB boots the newest kernel installed, so this is how a kernel upgrade takes effect. Your ssh session ends; you log back in once the machine is up, about a minute later.',
      ],
      run: (ctx) => rebootSpell(c, ctx),
    }),
    defineCommand({
      name: 'shutdown',
      summary: 'shutdown -r now: restart the machine',
      category: 'processes',
      synopsis: ['sudo shutdown -r now'],
      description: ['Only the restart form is allowed here (shutdown -r now); powering the machine off would end the chapter for nobody\'s good.'],
      run: (ctx) => {
        if (!ctx.argv.includes('-r')) return res('', 'shutdown: the grimoire only allows shutdown -r (a reboot); nobody is there to power it back on\n', 1);
        return rebootSpell(c, ctx);
      },
    }),
  ];
}

function rebootSpell(c: MachineContext, ctx: CommandContext): CommandResult {
  const w = c.world();
  if (ctx.user !== 'root') return res('', 'reboot: Need to be root\n', 1);
  c.notify({ kind: 'going-down' });
  const r = sim.reboot(w, c.streams, ctx.user);
  if (!r.ok) return res('', 'reboot: Need to be root\n', 1);
  c.notify({ kind: 'went-down' });
  return res('');
}
