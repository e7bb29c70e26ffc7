import { formatDpkgList, type DpkgRow } from '../../formats/dpkgList';
import type { CommandContext, CommandResult } from '../../shell/types';
import type { MachineContext } from './context';

/**
 * dpkg -l: the packages dpkg's database holds (the installed ones: a package apt could fetch but
 * never installed is not in it), from the machine's package list.
 */
export function runDpkgList(c: MachineContext, ctx: CommandContext): CommandResult {
  const rows: DpkgRow[] = c
    .world()
    .pkgs.list.filter((p) => p.installed !== null)
    .map((p) => ({ name: p.name, version: p.installed, arch: p.arch, summary: p.summary, state: 'ii' as const }));
  const patterns = ctx.argv.slice(1).filter((a, i) => !(i === 0 && (a === '-l' || a === '--list')));
  const r = formatDpkgList(rows, patterns);
  return { stdout: r.stdout, stderr: r.stderr, code: r.code };
}
