import { ShellExec } from '../builtin';
import { failure, ok } from '../io';
import { defineBuiltin } from './define';

/**
 * bash 4.3's exec (and dash's): the command replaces the shell, so a script ends with the
 * command's status; with no command, exec's redirections become the shell's own (the shell's
 * runner keeps them, see Runner.runSimple).
 */
export const execBuiltin = defineBuiltin({
  name: 'exec',
  summary: 'replace the shell with a command',
  category: 'shell',
  argKind: 'command',
  synopsis: ['exec [COMMAND [ARGUMENT]...] [REDIRECTION]...'],
  description: [
    'Runs COMMAND in place of the shell: nothing after exec in the script runs, and the script ends with the status of COMMAND. System scripts use it as their last line, as /etc/cron.weekly/fstrim does with exec fstrim-all.',
    'Without a COMMAND, the redirections apply to the shell itself: after exec >/tmp/log 2>&1 everything the rest of the script prints goes to /tmp/log.',
    'If COMMAND cannot be found, the shell says so and ends with status 127.',
  ],
  examples: [
    ["sh -c 'exec echo replaced; echo never'", 'Prints replaced only.'],
    ["sh -c 'exec >/tmp/out.txt; echo saved'", 'Sends the rest of the script\'s output to /tmp/out.txt.'],
  ],
  notes: [
    'At your own prompt exec is not simulated: it would replace your login shell and end the session when the command ends. The options -a, -c and -l (the name, environment and login flag the command receives) are not simulated either.',
  ],
  builtin(ctx, sh) {
    const prefix = sh.messagePrefix ?? 'bash';
    let args = ctx.argv.slice(1);
    if (args[0] === '--') args = args.slice(1);
    else if (args[0] && /^-./.test(args[0]) && !sh.dash) {
      // dash's exec takes no options: there -x is the name of the command to run
      const letter = args[0][1]!;
      if ('acl'.includes(letter)) return failure(`${prefix}: exec: ${args[0]}: not simulated in this shell (exec COMMAND ARGUMENTS without options is)\n`, 1);
      return failure(`${prefix}: exec: ${args[0].slice(0, 2)}: invalid option\nexec: usage: exec [-cl] [-a name] [command [arguments ...]] [redirection ...]\n`, 2);
    }
    if (sh.canExit === false) {
      if (args.length === 0) return failure(`${prefix}: exec: redirecting your login shell itself is not simulated: redirect each command instead\n`, 1);
      return failure(`${prefix}: exec: replacing your login shell is not simulated (the session would end with ${args[0]}): run ${args[0]} without exec\n`, 1);
    }
    // redirections alone: the shell's runner has made them its own already
    if (args.length === 0) return ok();
    const name = args[0]!;
    // a command that cannot be found ends the shell too, as execve's failure does in a script
    if (!name.includes('/') && !sh.isCommand(name)) throw new ShellExec({ stdout: '', stderr: `${prefix}: exec: ${name}: not found\n`, code: 127 });
    throw new ShellExec(sh.runArgv(args, sh.user, ctx.stdin));
  },
});
