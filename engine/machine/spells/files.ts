import { formatDu, parseDuArgs, type DuEntry } from '../../formats/du';
import { defineCommand } from '../../shell/commands/define';
import { q } from '../../shell/commands/fileops';
import type { CommandContext, CommandResult, CommandSpec, Vfs } from '../../shell/types';
import { errnoMessage } from '../../vfs/errno';
import { joinPath, normalizePath } from '../../vfs/path';
import type { MachineContext } from './context';

/** Spells that measure the filesystem: du. */

const res = (stdout: string, stderr = '', code = 0): CommandResult => ({ stdout, stderr, code });

/** ext4 allocates whole 4 KiB blocks; /proc and the other pseudo files take none */
const kbOf = (size: number): number => Math.ceil(size / 4096) * 4;

/** an fts walk of one operand: every file and directory, a directory after what it holds */
function walk(fs: Vfs, user: string, top: string, shown: string): { entries: DuEntry[]; kb: number } {
  const entries: DuEntry[] = [];
  const visit = (path: string, label: string, depth: number): number => {
    const st = fs.stat(path);
    if (!st.ok) {
      entries.push({ kind: 'error', message: `du: cannot access ${q(label)}: ${errnoMessage(st.errno)}` });
      return 0;
    }
    let kb = kbOf(st.value.size);
    if (st.value.type === 'dir') {
      // below /proc nothing has blocks, and walking every pid's files would only print zeros
      if (path !== '/proc' && !path.startsWith('/proc/')) {
        const list = fs.list(path, user);
        if (!list.ok) entries.push({ kind: 'error', message: `du: cannot read directory ${q(label)}: ${errnoMessage(list.errno)}` });
        else for (const name of list.value) kb += visit(joinPath(path, name), label.endsWith('/') ? `${label}${name}` : `${label}/${name}`, depth + 1);
      }
      entries.push({ kind: 'entry', path: label, kb, dir: true, depth });
    } else entries.push({ kind: 'entry', path: label, kb, dir: false, depth });
    return kb;
  };
  const kb = visit(top, shown, 0);
  return { entries, kb };
}

export function fileSpells(_c: MachineContext): CommandSpec[] {
  return [
    defineCommand({
      name: 'du',
      summary: 'how much disk the files under a directory take',
      category: 'files',
      synopsis: ['du [-s] [-h] [-a] [-c] [-d N] [PATH]...'],
      description: [
        'Walks each PATH and prints the space its files take on disk, directory by directory (1K blocks unless -h). Space is counted in whole 4 KiB blocks, as ext4 allocates it, so a 10-byte file takes 4K.',
        'du only sees what the files hold; df sees the filesystem. When they disagree, something holds space no name points to (a deleted file still open), or the directory was not readable.',
      ],
      options: [
        ['-s, --summarize', 'one total per PATH'],
        ['-h, --human-readable', 'sizes in K, M, G'],
        ['-a, --all', 'files too, not only directories'],
        ['-c, --total', 'a grand total at the end'],
        ['-d N, --max-depth=N', 'only N levels below each PATH'],
      ],
      examples: [['sudo du -h --max-depth=1 /var', 'where the space under /var goes']],
      argKind: 'path',
      run: (ctx: CommandContext) => {
        const p = parseDuArgs(ctx.argv.slice(1));
        if (!p.ok) return res(p.stdout, p.stderr, p.code);
        const walks = p.options.paths.map((path) => walk(ctx.env.fs, ctx.user, normalizePath(path, ctx.cwd), path));
        return formatDu(walks, p.options);
      },
    }),
  ];
}
