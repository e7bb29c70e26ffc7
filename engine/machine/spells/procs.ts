import { formatPmap, parsePmapArgs, type PmapProcess } from '../../formats/pmap';
import { defineCommand } from '../../shell/commands/define';
import type { CommandContext, CommandResult, CommandSpec } from '../../shell/types';
import { mappingsOf, mayReadMaps, VSYSCALL } from '../mappings';
import type { MachineContext } from './context';

/**
 * Spells that look into processes: their address spaces (pmap), finding and signalling them by
 * name (pgrep, pkill), their family tree (pstree), and how many CPUs they share (nproc).
 */

const res = (stdout: string, stderr = '', code = 0): CommandResult => ({ stdout, stderr, code });
const args = (ctx: CommandContext) => ctx.argv.slice(1);

export function procSpells(c: MachineContext): CommandSpec[] {
  const w = () => c.world();
  return [
    defineCommand({
      name: 'pmap',
      summary: "a process's memory map: each mapping, its size, and the total",
      category: 'memory',
      synopsis: ['pmap [-x | -d] [-q] [-p] PID...'],
      description: [
        'Lists the mappings of a process (its program, each shared library, the heap, anonymous regions, the stack) from /proc/PID/maps, and the total size, which is the VSZ ps shows plus the one vsyscall page every 64-bit process sees.',
        'With -x it reads /proc/PID/smaps and adds what is resident (RSS) and dirty in each mapping. You may only look at your own processes unless you use sudo; for anyone else pmap prints nothing and exits with status 1.',
      ],
      options: [
        ['-x, --extended', 'show RSS and dirty kB per mapping'],
        ['-d, --device', 'show the offset and device of each mapping'],
        ['-q, --quiet', 'no header or total line'],
        ['-p, --show-path', 'the full path of each file'],
      ],
      examples: [['sudo pmap -x $(pidof cron)', "where cron's memory is"]],
      argKind: 'pid',
      run: (ctx) => {
        const p = parsePmapArgs(args(ctx));
        if (!p.ok) return res(p.stdout, p.stderr, p.code);
        const world = w();
        const wanted = new Set(p.options.pids);
        const found: Array<PmapProcess | 'denied'> = [];
        if (world.machine.up) {
          for (const proc of world.k.procs) {
            if (proc.pid <= 0 || !wanted.has(proc.pid)) continue;
            wanted.delete(proc.pid);
            if (proc.mm && !mayReadMaps(ctx.user, proc.user)) found.push('denied');
            else {
              const vmas = mappingsOf(world, proc);
              found.push({ pid: proc.pid, args: proc.args, comm: proc.comm, vmas: proc.mm && !proc.kthread ? [...vmas, VSYSCALL] : [] });
            }
          }
        }
        const r = formatPmap(found, wanted.size, p.options);
        return res(r.stdout, '', r.code);
      },
    }),
  ];
}
