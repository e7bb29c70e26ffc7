import type { CommandCategory, CommandSpec } from '../types';
import { Out, failure, ok } from '../io';
import { defineCommand, synopsisOf } from './define';

const CATEGORY_TITLES: [CommandCategory, string][] = [
  ['incantation', 'Incantations'],
  ['memory', 'Memory'],
  ['processes', 'Processes'],
  ['files', 'Files'],
  ['text', 'Text'],
  ['logs', 'Logs'],
  ['network', 'Network'],
  ['packages', 'Packages'],
  ['shell', 'Shell'],
  ['game', 'Game'],
];

/** Where `which` says a command lives: the Ubuntu 14.04 location of the usual suspects. */
const IN_BIN = new Set([
  'bash', 'cat', 'chmod', 'chown', 'cp', 'date', 'dd', 'df', 'dmesg', 'echo', 'false', 'fuser', 'grep', 'gzip', 'hostname', 'kill',
  'ln', 'ls', 'mkdir', 'more', 'mount', 'mv', 'nc', 'netstat', 'pidof', 'ping', 'ps', 'pwd', 'readlink', 'rm', 'sed', 'sh', 'sleep', 'ss', 'su',
  'sync', 'tar', 'true', 'umount', 'uname', 'unlink', 'zcat', 'zgrep', 'lsblk',
]);
const IN_SBIN = new Set(['blockdev', 'sysctl', 'ip', 'ifconfig', 'iptables', 'reboot', 'shutdown', 'swapoff', 'swapon', 'fdisk', 'mkfs', 'route', 'start', 'stop', 'restart', 'initctl']);
const IN_USR_SBIN = new Set(['service', 'sshd', 'cron', 'rsyslogd', 'tcpdump', 'iotop', 'useradd', 'visudo']);

/** where the program lives: its own word for it (a chapter's daemons), else the base system's layout */
export function commandPath(name: string, spec?: CommandSpec): string {
  if (spec?.path) return spec.path;
  if (IN_BIN.has(name)) return `/bin/${name}`;
  if (IN_SBIN.has(name)) return `/sbin/${name}`;
  if (IN_USR_SBIN.has(name)) return `/usr/sbin/${name}`;
  return `/usr/bin/${name}`;
}

/** Names bash itself implements (type says "shell builtin"); sudo cannot run the ones without a file in /bin. */
const BASH_BUILTINS = new Set(['cd', 'export', 'unset', 'echo', 'printf', 'pwd', 'true', 'false', 'help', 'type', 'kill', 'history', 'exit', 'logout', ':', 'repeat', 'ulimit', 'test', '[', 'set', 'exec']);
/** builtins that also exist as programs, so which finds them */
const HAS_BINARY = new Set(['echo', 'printf', 'pwd', 'true', 'false', 'kill', 'test', '[']);
const KEYWORDS = new Set(['for', 'in', 'do', 'done', 'while', 'until', 'if', 'then', 'elif', 'else', 'fi', '{', '}', '!', 'case', 'esac', 'function', 'select', 'time', '[[', ']]']);

export const man = defineCommand({
  name: 'man',
  summary: 'show the manual page of a command',
  category: 'shell',
  argKind: 'command',
  synopsis: ['man [SECTION] NAME'],
  description: [
    'Prints the manual page of the command NAME: what it does, its options, and examples. Every spell the grimoire knows has one, written for this world. A section number before NAME is accepted and ignored.',
  ],
  examples: [
    ['man grep', 'Everything grep can do here.'],
    ['man sudo', 'Why sudo echo > file fails, and what works instead.'],
  ],
  run(ctx) {
    const args = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
    if (args.length > 1 && /^\d[a-z]*$/.test(args[0])) args.shift();
    if (args.length === 0) return failure('What manual page do you want?\n');
    const out = new Out();
    let code = 0;
    args.forEach((name, i) => {
      const spec = ctx.env.commands.get(name);
      if (!spec) {
        out.errLine(`No manual entry for ${name}`);
        code = 16;
        return;
      }
      out.out((i > 0 && out.done(0).stdout ? '\n' : '') + spec.man.replace(/\n*$/, '\n'));
    });
    return out.done(code);
  },
});

function listing(specs: CommandSpec[]): string {
  const lines: string[] = ['Spells this shell knows. help NAME gives the usage of one, man NAME its whole page.', ''];
  const width = Math.min(16, Math.max(...specs.map((s) => s.name.length)) + 2);
  for (const [cat, title] of CATEGORY_TITLES) {
    const inCat = specs.filter((s) => s.category === cat).sort((a, b) => (a.name < b.name ? -1 : 1));
    if (inCat.length === 0) continue;
    lines.push(`${title}:`);
    for (const s of inCat) lines.push(`  ${s.name.padEnd(width)}${s.summary}`);
    lines.push('');
  }
  return lines.join('\n');
}

export const help = defineCommand({
  name: 'help',
  summary: 'list the spells you can cast',
  category: 'game',
  argKind: 'command',
  synopsis: ['help', 'help NAME...'],
  description: [
    'Without arguments, lists every command this shell knows, grouped by what it deals with, each with a one-line summary. With NAMEs, prints the summary and usage of each.',
  ],
  examples: [
    ['help', 'The whole list.'],
    ['help grep', 'How to call grep.'],
  ],
  run(ctx) {
    const names = ctx.argv.slice(1);
    const specs = ctx.env.commands.names().map((n) => ctx.env.commands.get(n)).filter((s): s is CommandSpec => s !== undefined);
    if (names.length === 0) return ok(listing(specs));
    const out = new Out();
    let code = 0;
    for (const n of names) {
      const spec = ctx.env.commands.get(n);
      if (!spec) {
        out.errLine(`bash: help: no help topics match \`${n}'.  Try \`help help' or \`man -k ${n}' or \`info ${n}'.`);
        code = 1;
        continue;
      }
      out.out(`${spec.name} - ${spec.summary}\n`);
      for (const s of synopsisOf(spec.man)) out.out(`    ${s}\n`);
    }
    return out.done(code);
  },
});

export const which = defineCommand({
  name: 'which',
  summary: 'show where a command lives',
  category: 'shell',
  argKind: 'command',
  synopsis: ['which NAME...'],
  description: [
    'Prints the full path of the program each NAME runs. Shell builtins such as cd are not programs and print nothing; the exit status is 1 if any NAME was not found.',
  ],
  examples: [['which grep', 'Prints /bin/grep.']],
  run(ctx) {
    const out = new Out();
    let code = 0;
    for (const n of ctx.argv.slice(1).filter((a) => !a.startsWith('-'))) {
      const spec = ctx.env.commands.get(n);
      const isProgram = spec && !(BASH_BUILTINS.has(n) && !HAS_BINARY.has(n));
      if (isProgram) out.out(commandPath(n, ctx.env.commands.get(n)) + '\n');
      else code = 1;
    }
    return out.done(code);
  },
});

export const type = defineCommand({
  name: 'type',
  summary: 'tell how the shell would run a name',
  category: 'shell',
  argKind: 'command',
  synopsis: ['type NAME...'],
  description: ['For each NAME, says whether it is a shell keyword, a shell builtin, or a program and where it lives.'],
  examples: [
    ['type cd', 'cd is a shell builtin'],
    ['type free', 'free is /usr/bin/free'],
  ],
  run(ctx) {
    const out = new Out();
    let code = 0;
    for (const n of ctx.argv.slice(1).filter((a) => !a.startsWith('-'))) {
      if (KEYWORDS.has(n)) out.out(`${n} is a shell keyword\n`);
      else if (BASH_BUILTINS.has(n)) out.out(`${n} is a shell builtin\n`);
      else if (ctx.env.commands.get(n)) out.out(`${n} is ${commandPath(n, ctx.env.commands.get(n))}\n`);
      else {
        out.errLine(`bash: type: ${n}: not found`);
        code = 1;
      }
    }
    return out.done(code);
  },
});
