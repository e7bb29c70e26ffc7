import { Out, failure, ok } from '../io';
import { errnoMessage } from '../../vfs/errno';
import { LIMITS } from '../limits';
import type { ShellCommandContext } from '../exec';
import { readOperand } from './util';
import { firstLines } from './headtail';
import { defineCommand } from './define';

export const clear = defineCommand({
  name: 'clear',
  summary: 'clear the terminal screen',
  category: 'shell',
  synopsis: ['clear'],
  description: [
    'Asks the terminal to clear its screen. In the grimoire it prints nothing: each front end decides whether to wipe what you see (the terminal one does when it notices clear ran).',
  ],
  examples: [['clear', 'Start from an empty screen.']],
  run: () => ok(),
});

export const watch = defineCommand({
  name: 'watch',
  summary: 'rerun a command every few seconds (not available here)',
  category: 'shell',
  argKind: 'command',
  synopsis: ['watch [OPTION]... COMMAND'],
  description: [
    'On a real box, watch takes over the screen and reruns COMMAND every two seconds. The grimoire has no full-screen mode, so watch refuses to start and suggests a way to take repeated readings instead.',
  ],
  examples: [['repeat 5 sh -c \'sleep 2; free -m\'', 'Five readings of free -m, two seconds apart.']],
  run(ctx) {
    const cmd = ctx.argv.slice(1).filter((a, i, all) => !a.startsWith('-') && !(i > 0 && all[i - 1] === '-n')).join(' ') || 'COMMAND';
    return failure(`watch: this terminal cannot redraw in place; take readings one after another instead, e.g.: repeat 5 sh -c 'sleep 2; ${cmd}'\n`);
  },
});

/**
 * A file larger than this is shown by its first screen at the terminal, as a pager would open it:
 * printed whole it would not fit what one line may print (LIMITS.terminal).
 */
const WHOLE_FILE_CHARS = LIMITS.terminal / 2;
/** the lines of that first screen */
const SCREEN_LINES = 40;

function pager(name: 'less' | 'more') {
  return defineCommand({
    name,
    summary: `show a file or piped text (no paging in this world)`,
    category: 'files',
    argKind: 'path',
    synopsis: [`${name} [FILE]...`, `COMMAND | ${name}`],
    description: [
      `On a real box, ${name} shows text one screen at a time. The grimoire has no pager: ${name} prints the whole text at once, like cat, and you scroll your own terminal.`,
      `A file too large to print whole (a day of logs in a storm) is shown at the terminal as ${name} would open it, by its first ${SCREEN_LINES} lines, with a word on what reads the rest.`,
      'Options are accepted and ignored.',
    ],
    examples: [[`${name} /var/log/syslog`, 'Print the whole log.']],
    run(ctx) {
      const files = ctx.argv.slice(1).filter((a) => !a.startsWith('-') && !a.startsWith('+'));
      if (files.length === 0) {
        if (ctx.stdin !== '') return ok(ctx.stdin);
        return name === 'less' ? failure('Missing filename ("less --help" for help)\n') : failure('Usage: more [options] file...\n');
      }
      const tty = (ctx as Partial<ShellCommandContext>).isatty === true;
      const out = new Out();
      let code = 0;
      const cannot = (f: string, errno: Parameters<typeof errnoMessage>[0]): void => {
        out.errLine(name === 'less' ? `${f}: ${errnoMessage(errno)}` : `more: stat of ${f} failed: ${errnoMessage(errno)}`);
        code = 1;
      };
      for (const f of files) {
        const st = ctx.env.fs.stat(f.startsWith('/') ? f : `${ctx.cwd}/${f}`);
        if (st.ok && st.value.type === 'dir') {
          out.errLine(name === 'less' ? `${f} is a directory` : `\n*** ${f}: directory ***\n`);
          code = 1;
          continue;
        }
        if (tty && st.ok && st.value.size > WHOLE_FILE_CHARS) {
          const first = firstLines(ctx, f, SCREEN_LINES, false);
          if (!first.ok) {
            cannot(f, first.errno);
            continue;
          }
          if (files.length > 1) out.out(`::::::::::::::\n${f}\n::::::::::::::\n`);
          out.out(first.value);
          out.errLine(`${name}: ${f} holds ${st.value.size} bytes, more than this world's terminal can scroll: only its first screen is shown; grep, head and tail read all of it`);
          continue;
        }
        const r = readOperand(ctx, f);
        if (!r.ok) {
          cannot(f, r.errno);
          continue;
        }
        if (files.length > 1) out.out(`::::::::::::::\n${f}\n::::::::::::::\n`);
        out.out(r.value);
      }
      return out.done(code);
    },
  });
}

export const less = pager('less');
export const more = pager('more');
