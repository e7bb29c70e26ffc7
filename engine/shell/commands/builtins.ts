import { ShellExit, type BuiltinSpec } from '../builtin';
import { Out, failure, ok } from '../io';
import { LIMITS } from '../limits';
import { suggestionLine } from '../suggest';
import { errnoMessage } from '../../vfs/errno';
import { normalizePath } from '../../vfs/path';
import { defineBuiltin } from './define';
import { commandPath } from './docs';
import { bracketCmd, testCmd } from './test';
import { runParts } from './runParts';
import { find } from './find';
import { xargs } from './xargs';
import { execBuiltin } from './execBuiltin';

/** Builtins that are part of the shell, so `sudo` cannot run them (there is no /bin/cd). */
const SHELL_ONLY = new Set(['cd', 'export', 'unset', 'repeat', ':', 'ulimit', 'exit', 'set', 'exec']);

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

const cd = defineBuiltin({
  name: 'cd',
  summary: 'change the current directory',
  category: 'shell',
  argKind: 'path',
  synopsis: ['cd [DIR]', 'cd -'],
  description: [
    'Makes DIR the current directory, the one relative paths start from. Without DIR, goes to your home directory ($HOME). With -, goes back to the previous directory and prints its name.',
    'You need search (x) permission on DIR and on every directory above it.',
  ],
  examples: [
    ['cd /proc/sys/vm', 'Go to the directory of the virtual-memory tunables.'],
    ['cd ..', 'Go up one level.'],
    ['cd -', 'Return to where you were before the last cd.'],
  ],
  builtin(ctx, sh) {
    const args = ctx.argv.slice(1).filter((a, i) => !(i === 0 && (a === '-L' || a === '-P')));
    let target = args[0];
    let announce = false;
    if (target === undefined || target === '') {
      target = sh.lookup('HOME') ?? sh.home();
    } else if (target === '-') {
      if (!sh.state.oldpwd) return failure('bash: cd: OLDPWD not set\n');
      target = sh.state.oldpwd;
      announce = true;
    }
    const path = normalizePath(target, sh.state.cwd);
    const st = ctx.env.fs.stat(path);
    if (!st.ok) return failure(`bash: cd: ${target}: ${errnoMessage(st.errno)}\n`);
    if (st.value.type !== 'dir') return failure(`bash: cd: ${target}: Not a directory\n`);
    const fs = ctx.env.fs as { canAccess?: (p: string, u: string, w: 'x') => boolean };
    const searchable = fs.canAccess ? fs.canAccess(path, ctx.user, 'x') : true;
    if (!searchable) return failure(`bash: cd: ${target}: Permission denied\n`);
    sh.state.oldpwd = sh.state.cwd;
    sh.state.cwd = path;
    return ok(announce ? path + '\n' : '');
  },
});

const exportCmd = defineBuiltin({
  name: 'export',
  summary: 'set a variable and pass it to the commands you run',
  category: 'shell',
  synopsis: ['export NAME[=VALUE]...', 'export [-p]', 'export -n NAME...'],
  description: [
    'Marks each NAME so that commands started from this shell see it in their environment, after giving it VALUE when one is written. Without arguments (or with -p), lists the exported variables.',
    'A variable set without export (X=1) is visible to $X in this shell only. Writing X=1 COMMAND sets X for that one command.',
  ],
  options: [
    ['-p', 'List every exported variable as declare -x NAME="VALUE".'],
    ['-n', 'Stop exporting each NAME; the shell keeps its value.'],
  ],
  examples: [
    ['export LC_ALL=C', 'Make sort and ls order by plain bytes.'],
    ['export', 'Show the environment commands receive.'],
  ],
  builtin(ctx, sh) {
    const args = ctx.argv.slice(1);
    let unexport = false;
    const names: string[] = [];
    for (const a of args) {
      if (a === '-p' && names.length === 0) continue;
      if (a === '-n' && names.length === 0) {
        unexport = true;
        continue;
      }
      if (a === '--') continue;
      names.push(a);
    }
    if (names.length === 0) {
      const env = sh.environment();
      const lines = Object.keys(env)
        .sort()
        .map((k) => `declare -x ${k}="${env[k].replace(/(["\\$`])/g, '\\$1')}"\n`);
      return ok(lines.join(''));
    }
    const out = new Out();
    let code = 0;
    for (const a of names) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a : a.slice(0, eq);
      if (!NAME_RE.test(name)) {
        out.errLine(`bash: export: \`${a}': not a valid identifier`);
        code = 1;
        continue;
      }
      if (eq >= 0) sh.state.vars[name] = a.slice(eq + 1);
      if (unexport) sh.state.exported = sh.state.exported.filter((n) => n !== name);
      else if (!sh.state.exported.includes(name)) sh.state.exported.push(name);
    }
    return out.done(code);
  },
});

const unset = defineBuiltin({
  name: 'unset',
  summary: 'forget a shell variable',
  category: 'shell',
  synopsis: ['unset NAME...'],
  description: ['Removes each variable NAME that was set in this shell, and stops exporting it.'],
  notes: ['Variables that came with the login (HOME, PATH, ...) can be changed but not removed in this world.'],
  examples: [['unset LC_ALL', 'Go back to the locale\'s own sort order.']],
  builtin(ctx, sh) {
    const out = new Out();
    let code = 0;
    for (const name of ctx.argv.slice(1)) {
      if (name === '-v' || name === '-f') continue;
      if (!NAME_RE.test(name)) {
        out.errLine(`bash: unset: \`${name}': not a valid identifier`);
        code = 1;
        continue;
      }
      delete sh.state.vars[name];
      sh.state.exported = sh.state.exported.filter((n) => n !== name);
    }
    return out.done(code);
  },
});

const colon = defineBuiltin({
  name: ':',
  summary: 'do nothing, successfully',
  category: 'shell',
  synopsis: [': [ARG]...'],
  description: ['Expands its arguments and does nothing else; the exit status is 0.'],
  examples: [['while :; do ...; done', 'A loop that only stops by itself (this world stops it after 10000 rounds).']],
  builtin: () => ok(),
});

const SUDO_USAGE = [
  'usage: sudo -h | -K | -k | -V',
  'usage: sudo -v [-AknS] [-g group] [-h host] [-p prompt] [-u user]',
  'usage: sudo -l [-AknS] [-g group] [-h host] [-p prompt] [-U user] [-u user] [command]',
  'usage: sudo [-AbEHknPS] [-r role] [-t type] [-C num] [-g group] [-h host] [-p prompt] [-u user] [VAR=value] [-i|-s] [<command>]',
  'usage: sudo -e [-AknS] [-r role] [-t type] [-C num] [-g group] [-h host] [-p prompt] [-u user] file ...',
].join('\n');

const ROOT_SHELL_REFUSAL =
  'sudo: the grimoire hands out no root shells: put sudo in front of each spell that needs it (sudo CMD), or use sudo sh -c \'...\' for one line with pipes and redirections\n';

const sudo = defineBuiltin({
  name: 'sudo',
  summary: 'run one command as root',
  category: 'shell',
  argKind: 'command',
  completions: ['-u', '-l'],
  synopsis: ['sudo [-u USER] [VAR=VALUE]... COMMAND [ARG]...', 'sudo -l'],
  description: [
    'Runs COMMAND as root (or as USER with -u), if your account is allowed to (it is listed in the sudoers file). Nobody asks for a password in this world.',
    'Only COMMAND runs as root. Redirections on the same line are done by your own shell, as you, before sudo even starts: sudo echo 3 > /proc/sys/vm/drop_caches fails with Permission denied. Let a root process open the file instead: echo 3 | sudo tee /proc/sys/vm/drop_caches, or sudo sh -c \'echo 3 > /proc/sys/vm/drop_caches\'.',
    'Shell builtins such as cd and export are not programs, so sudo cannot run them.',
  ],
  options: [
    ['-u USER', 'Run the command as USER instead of root.'],
    ['-l', 'List what you are allowed to run.'],
    ['-i, -s', 'Ask for a root shell. Refused in this world: use sudo before each command.'],
  ],
  examples: [
    ['sudo cat /proc/slabinfo', 'Read a file only root may read.'],
    ['echo 2 | sudo tee /proc/sys/vm/drop_caches', 'Write to a root-only file through tee running as root.'],
  ],
  builtin(ctx, sh) {
    const args = ctx.argv.slice(1);
    let target = 'root';
    let list = false;
    let i = 0;
    for (; i < args.length; i++) {
      const a = args[i];
      if (a === '--') {
        i++;
        break;
      }
      if (!a.startsWith('-') || a === '-') break;
      if (a === '-u') {
        if (i + 1 >= args.length) return failure(`sudo: option requires an argument -- 'u'\n${SUDO_USAGE}\n`);
        target = args[++i];
      } else if (a.startsWith('-u')) target = a.slice(2);
      else if (a === '-i' || a === '-s' || a === '--login' || a === '--shell') return failure(ROOT_SHELL_REFUSAL);
      else if (a === '-l' || a === '--list') list = true;
      else if (a === '-k' || a === '-K' || a === '-v') {
        if (args.length === 1) return ok();
      } else if (/^-[EHnSPAb]+$/.test(a)) continue;
      else return failure(`sudo: invalid option -- '${a.replace(/^-+/, '').charAt(0)}'\n${SUDO_USAGE}\n`);
    }
    const allowed = ctx.user === 'root' || ctx.env.sudoers.includes(ctx.user);
    if (!allowed) return failure(`${ctx.user} is not in the sudoers file.  This incident will be reported.\n`);
    if (list) {
      return ok(`User ${ctx.user} may run the following commands on ${ctx.env.hostname}:\n    (ALL : ALL) ALL\n`);
    }
    const vars: Record<string, string> = {};
    while (i < args.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(args[i])) {
      const eq = args[i].indexOf('=');
      vars[args[i].slice(0, eq)] = args[i].slice(eq + 1);
      i++;
    }
    const rest = args.slice(i);
    if (rest.length === 0) return failure(SUDO_USAGE + '\n');
    const name = rest[0];
    if (name === 'su' || ((name === 'bash' || name === 'sh') && !rest.includes('-c') && rest.length === 1)) return failure(ROOT_SHELL_REFUSAL);
    if (SHELL_ONLY.has(name) || !sh.isCommand(name)) {
      if (!name.includes('/')) {
        return new Out().errLine(`sudo: ${name}: command not found`).err(SHELL_ONLY.has(name) ? '' : suggestionLine(sh.suggestions(name))).done(1);
      }
    }
    const program = name.includes('/') ? normalizePath(name, ctx.cwd) : commandPath(name, ctx.env.commands.get(name));
    const logged = { user: ctx.user, runas: target, cwd: ctx.cwd, command: [program, ...rest.slice(1)].join(' ') };
    ctx.env.onSudo?.({ ...logged, phase: 'run', at: ctx.env.now() });
    const result = sh.runArgv(rest, target, ctx.stdin, vars);
    ctx.env.onSudo?.({ ...logged, phase: 'done', at: ctx.env.now() });
    return result;
  },
});

function shellCommand(name: 'sh' | 'bash'): BuiltinSpec {
  const real = name === 'sh' ? 'dash, the small POSIX shell Ubuntu uses for sh' : 'bash';
  return defineBuiltin({
    name,
    summary: name === 'sh' ? 'run a command line in a child POSIX shell' : 'run a command line in a child bash',
    category: 'shell',
    completions: ['-c'],
    synopsis: [`${name} -c 'COMMAND LINE' [NAME [ARG]...]`, `${name} FILE`],
    description: [
      `Starts a child shell (${real}) that runs COMMAND LINE, with pipes, redirections and all, then exits. The child runs as whoever started it, which is what makes sudo ${name} -c '...' useful: its redirections are opened by root.`,
      `With FILE, the child reads its commands from that file. Changes the child makes (cd, variables) vanish when it exits. NAME and ARGs become $0, $1 and so on.`,
      'An interactive child shell is not available: type your commands at this prompt.',
    ],
    examples: [
      [`sudo ${name} -c 'echo 3 > /proc/sys/vm/drop_caches'`, 'Write to a root-only file with a redirection opened by root.'],
      [`${name} -c 'ps aux | wc -l'`, 'Count processes in one child shell.'],
    ],
    builtin(ctx, sh) {
      const args = ctx.argv.slice(1);
      let i = 0;
      let line: string | null = null;
      for (; i < args.length; i++) {
        const a = args[i];
        if (a === '-c') {
          if (i + 1 >= args.length) return failure(`${name === 'sh' ? 'sh: 0: -c requires an argument' : 'bash: -c: option requires an argument'}\n`, 2);
          line = args[++i];
          i++;
          break;
        }
        if (a === '--' || !a.startsWith('-') || a === '-') break;
        if (!/^[-+][eux]+$/.test(a) && !/^--(login|norc|noprofile)$/.test(a)) {
          return failure(name === 'sh' ? `sh: 0: Illegal option ${a}\n` : `bash: ${a}: invalid option\n`, 2);
        }
      }
      const rest = args.slice(i);
      if (line !== null) return sh.runChild(line, ctx.user, ctx.stdin, name, rest.length ? rest : [name]);
      if (rest.length === 0) {
        return failure(`${name}: this world has no interactive child shells; type your commands at this prompt, or use ${name} -c '...'\n`);
      }
      const file = rest[0];
      const content = ctx.env.fs.read(normalizePath(file, ctx.cwd), ctx.user);
      if (!content.ok) {
        return name === 'sh'
          ? failure(`sh: 0: Can't open ${file}\n`, 127)
          : failure(`bash: ${file}: ${errnoMessage(content.errno)}\n`, 127);
      }
      return sh.runChild(content.value, ctx.user, ctx.stdin, name, rest);
    },
  });
}

const repeat = defineBuiltin({
  name: 'repeat',
  summary: 'run a command N times (a game builtin)',
  category: 'game',
  argKind: 'command',
  synopsis: ['repeat N COMMAND [ARG]...'],
  description: [
    `Runs COMMAND N times in a row, as if you had typed it N times. N is a whole number from 1 to ${LIMITS.loopIterations}. This builtin is the grimoire's own (zsh has a similar one; bash does not), so scripts you take to a real box should use a for loop instead: for i in $(seq N); do COMMAND; done.`,
    'The arguments are expanded once, before the first run. For a pipeline or a redirection, repeat a child shell: repeat 3 sh -c \'free -m | head -2\'. Like cd, repeat belongs to the shell, so write repeat 3 sudo COMMAND rather than sudo repeat.',
  ],
  examples: [
    ['repeat 3 cat /proc/loadavg', 'Read the load average three times.'],
    ['repeat 5 sh -c \'sleep 60; free -m\'', 'Take five memory readings a minute apart.'],
  ],
  builtin(ctx, sh) {
    const [, count, ...cmd] = ctx.argv;
    if (count === undefined || cmd.length === 0) return failure('repeat: usage: repeat N COMMAND [ARG]...\n', 2);
    if (!/^\d+$/.test(count) || Number(count) < 1 || Number(count) > LIMITS.loopIterations) {
      return failure(`repeat: ${count}: N must be a whole number from 1 to ${LIMITS.loopIterations}\n`, 2);
    }
    const out = new Out();
    let code = 0;
    for (let n = 0; n < Number(count); n++) {
      const r = sh.runArgv(cmd, ctx.user, ctx.stdin);
      for (const c of r.output ?? []) (c.stream === 'stdout' ? out.out(c.text) : out.err(c.text));
      code = r.code;
      if (code === 127) break;
    }
    return out.done(code);
  },
});

const env = defineBuiltin({
  name: 'env',
  summary: 'show the environment, or run a command with extra variables',
  category: 'shell',
  argKind: 'command',
  synopsis: ['env', 'env NAME=VALUE... COMMAND [ARG]...'],
  description: [
    'Without a command, prints every environment variable as NAME=VALUE, one per line. With a command, runs it with each NAME set to VALUE in its environment.',
  ],
  examples: [
    ['env | grep -i lang', 'See which locale commands will use.'],
    ['env LC_ALL=C sort names.txt', 'Sort by plain byte order for one command.'],
  ],
  builtin(ctx, sh) {
    const args = ctx.argv.slice(1);
    const vars: Record<string, string> = {};
    let i = 0;
    for (; i < args.length; i++) {
      const a = args[i];
      if (a === '-' || a === '-i' || a === '--') continue;
      if (a.startsWith('-')) return failure(`env: invalid option -- '${a.charAt(1)}'\nTry 'env --help' for more information.\n`, 125);
      const eq = a.indexOf('=');
      if (eq <= 0) break;
      vars[a.slice(0, eq)] = a.slice(eq + 1);
    }
    const rest = args.slice(i);
    if (rest.length === 0) {
      const all = { ...sh.environment(), ...vars };
      return ok(
        Object.entries(all)
          .map(([k, v]) => `${k}=${v}\n`)
          .join(''),
      );
    }
    if (SHELL_ONLY.has(rest[0]) || !sh.isCommand(rest[0])) {
      return failure(`env: ${rest[0]}: No such file or directory\n`, 127);
    }
    return sh.runArgv(rest, ctx.user, ctx.stdin, vars);
  },
});

/** bash 4.3's table (ulimit.def): option, what /proc/PID/limits calls it, its block size, description, unit */
const ULIMITS: ReadonlyArray<[string, string, number, string, string]> = [
  ['c', 'Max core file size', 512, 'core file size', 'blocks'],
  ['d', 'Max data size', 1024, 'data seg size', 'kbytes'],
  ['e', 'Max nice priority', 1, 'scheduling priority', ''],
  ['f', 'Max file size', 512, 'file size', 'blocks'],
  ['i', 'Max pending signals', 1, 'pending signals', ''],
  ['l', 'Max locked memory', 1024, 'max locked memory', 'kbytes'],
  ['m', 'Max resident set', 1024, 'max memory size', 'kbytes'],
  ['n', 'Max open files', 1, 'open files', ''],
  ['p', '', 512, 'pipe size', '512 bytes'],
  ['q', 'Max msgqueue size', 1, 'POSIX message queues', 'bytes'],
  ['r', 'Max realtime priority', 1, 'real-time priority', ''],
  ['s', 'Max stack size', 1024, 'stack size', 'kbytes'],
  ['t', 'Max cpu time', 1, 'cpu time', 'seconds'],
  ['u', 'Max processes', 1, 'max user processes', ''],
  ['v', 'Max address space', 1024, 'virtual memory', 'kbytes'],
  ['x', 'Max file locks', 1, 'file locks', ''],
];
const ULIMIT_USAGE = 'ulimit: usage: ulimit [-SHabcdefilmnpqrstuvxT] [limit]\n';

const ulimit = defineBuiltin({
  name: 'ulimit',
  summary: "the shell's resource limits (open files, processes, core size...)",
  category: 'shell',
  synopsis: ['ulimit -a', 'ulimit [-H|-S] -n|-u|-c|-s|...'],
  description: [
    'Prints the limits the kernel puts on this shell and everything it starts: -a lists them all, one option prints one. Soft limits by default; -H shows the hard ones, the ceiling a soft limit may be raised to.',
    'The numbers come from the kernel (the same as /proc/PID/limits): the maximum number of processes, for one, is worked out at boot from how much memory the machine has.',
  ],
  options: [
    ['-a', 'every limit'],
    ['-n', 'open files'],
    ['-u', 'processes per user'],
    ['-c', 'core file size, in 512-byte blocks'],
    ['-H, -S', 'hard or soft limits'],
  ],
  examples: [
    ['ulimit -a', 'every limit this shell and its children run under'],
    ['ulimit -Hn', 'the most open files a process may raise itself to'],
  ],
  notes: ['Changing a limit is not simulated: ulimit here only reports.'],
  builtin(ctx) {
    let hard = false;
    let all = false;
    const wanted: string[] = [];
    const args = ctx.argv.slice(1);
    let i = 0;
    for (; i < args.length; i++) {
      const a = args[i]!;
      if (a === '--') {
        i++;
        break;
      }
      if (!a.startsWith('-') || a === '-') break;
      for (const ch of a.slice(1)) {
        if (ch === 'H') hard = true;
        else if (ch === 'S') hard = false;
        else if (ch === 'a') all = true;
        else if (ULIMITS.some((u) => u[0] === ch)) wanted.push(ch);
        else return failure(`bash: ulimit: -${ch}: invalid option\n${ULIMIT_USAGE}`, 2);
      }
    }
    if (i < args.length) {
      const v = args[i]!;
      if (v !== 'unlimited' && v !== 'hard' && v !== 'soft' && !/^\d+$/.test(v)) return failure(`bash: ulimit: ${v}: invalid number\n`, 1);
      return failure('bash: ulimit: changing a limit is not simulated here: ulimit only reports the limits the kernel set at boot\n', 1);
    }
    const limits = ctx.env.fs.read('/proc/1/limits', ctx.user);
    if (!limits.ok) return failure(`bash: ulimit: cannot get limit: ${errnoMessage(limits.errno)}\n`, 1);
    const rows = new Map<string, [string, string]>();
    for (const line of limits.value.split('\n').slice(1)) {
      const m = /^(.{25}) (\S+) +(\S+)/.exec(line);
      if (m) rows.set(m[1]!.trim(), [m[2]!, m[3]!]);
    }
    const show = all ? ULIMITS.map((u) => u[0]) : wanted.length ? wanted : ['f'];
    const describe = show.length > 1;
    let out = '';
    for (const opt of show) {
      const [, row, factor, desc, unit] = ULIMITS.find((u) => u[0] === opt)!;
      let text: string;
      if (opt === 'p') text = '8';
      else {
        const v = rows.get(row)?.[hard ? 1 : 0] ?? 'unlimited';
        text = v === 'unlimited' ? v : String(Math.floor(Number(v) / factor));
      }
      if (describe) out += `${desc.padEnd(20)} ${(unit ? `(${unit}, -${opt}) ` : `(-${opt}) `).padStart(16)}`;
      out += `${text}\n`;
    }
    return ok(out);
  },
});

const exit = defineBuiltin({
  name: 'exit',
  summary: 'leave a script or a child shell',
  category: 'shell',
  synopsis: ['exit [N]'],
  description: [
    'Stops the shell that runs it (a script, sh -c \'...\', a ( ) subshell) with exit status N, or with the status of the last command when N is left out. Only the lowest 8 bits of N count: exit 256 is 0.',
    'At your own prompt, exit (or quit, or logout) closes the book instead.',
  ],
  examples: [
    ['[ -x /usr/sbin/logrotate ] || exit 0', 'A cron script giving up quietly when its program is missing.'],
    ["sh -c 'exit 3'; echo $?", 'Prints 3.'],
  ],
  builtin(ctx, sh) {
    // the login shell's exit belongs to the front end; a line that reaches the shell keeps the old answer
    if (sh.canExit === false) return new Out().errLine('bash: exit: command not found').err(suggestionLine(sh.suggestions('exit'))).done(127);
    const prefix = sh.messagePrefix ?? 'bash';
    const arg = ctx.argv[1];
    if (arg === undefined) throw new ShellExit(sh.state.lastStatus);
    if (!/^[ \t]*[-+]?\d+[ \t]*$/.test(arg)) {
      if (sh.dash) throw new ShellExit(2, `${prefix}: exit: Illegal number: ${arg}\n`);
      throw new ShellExit(255, `${prefix}: exit: ${arg}: numeric argument required\n`);
    }
    if (!sh.dash && ctx.argv.length > 2) return failure(`${prefix}: exit: too many arguments\n`, 1);
    throw new ShellExit(Number(BigInt.asUintN(8, BigInt(arg.trim().replace(/^\+/, '')))));
  },
});

/** the option letters bash 4.3's set accepts (set -abefhkmnptuvxBCHP) */
const SET_LETTERS = 'abefhkmnptuvxBCHP';

const setCmd = defineBuiltin({
  name: 'set',
  summary: "turn a shell option on or off (here: set -e)",
  category: 'shell',
  synopsis: ['set -e', 'set +e', 'set -o errexit'],
  description: [
    'set -e makes a script (or sh -c \'...\') stop at the first command that fails, with that command\'s status, as most system scripts in /etc ask for. A command that is tested (after if or while, before && or ||, after !) may fail without stopping it. set +e turns this off again.',
  ],
  examples: [["sh -c 'set -e; false; echo never'", 'Prints nothing: false ends the shell with status 1.']],
  notes: ['Only -e (errexit) is simulated, and only in scripts and child shells: at your own prompt a failing command would log you out. Listing variables and setting $1, $2... with set are not simulated either.'],
  builtin(ctx, sh) {
    const prefix = sh.messagePrefix ?? 'bash';
    const args = ctx.argv.slice(1);
    const notSimulated = (what: string) => failure(`${prefix}: set: ${what}: not simulated in this shell (only set -e and set +e are)\n`, 1);
    if (args.length === 0) return notSimulated('listing variables');
    let errexit: boolean | null = null;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      const on = a.startsWith('-');
      if (a === '-o' || a === '+o') {
        const name = args[++i];
        if (name === 'errexit') errexit = on;
        else return notSimulated(`${a} ${name ?? ''}`.trim());
        continue;
      }
      if (a === '--' || a === '-' || !/^[-+]./.test(a)) return notSimulated('setting positional parameters');
      for (const letter of a.slice(1)) {
        if (letter === 'e') errexit = on;
        else if (SET_LETTERS.includes(letter) || (sh.dash && 'CEfIimnpsuvVx'.includes(letter))) return notSimulated(`${a[0]}${letter}`);
        else if (sh.dash) return failure(`${prefix}: set: Illegal option ${a[0]}${letter}\n`, 2);
        else return failure(`${prefix}: set: ${a[0]}${letter}: invalid option\nset: usage: set [-abefhkmnptuvxBCHP] [-o option-name] [--] [arg ...]\n`, 2);
      }
    }
    if (errexit !== null) {
      if (sh.canExit === false) return failure(`${prefix}: set: -e at the prompt is not simulated: a failing command would log you out; use it in sh -c '...' or a script\n`, 1);
      sh.setErrexit?.(errexit);
    }
    return ok();
  },
});

export function shellBuiltins(): BuiltinSpec[] {
  return [cd, exportCmd, unset, colon, sudo, shellCommand('sh'), shellCommand('bash'), repeat, env, ulimit, exit, testCmd, bracketCmd, runParts, find, xargs, setCmd, execBuiltin];
}


