import type { CommandContext } from '../types';
import { Out, failure, ok } from '../io';
import { getopt, has } from '../getopt';
import { parseGroup, parsePasswd, type Account, type Group } from '../../vfs/accounts';
import { tryHelp } from './util';
import { defineCommand } from './define';

export const pwd = defineCommand({
  name: 'pwd',
  summary: 'print the current directory',
  category: 'files',
  synopsis: ['pwd'],
  description: ['Prints the absolute path of the directory you are in.'],
  examples: [['pwd', 'For example /home/ops right after logging in.']],
  run: (ctx) => ok(ctx.cwd + '\n'),
});

export const whoami = defineCommand({
  name: 'whoami',
  summary: 'print your effective user name',
  category: 'shell',
  synopsis: ['whoami'],
  description: ['Prints the name of the user the command runs as: your own name normally, root under sudo.'],
  examples: [['sudo whoami', 'Prints root.']],
  run(ctx) {
    if (ctx.argv.length > 1) return tryHelp('whoami', `whoami: extra operand '${ctx.argv[1]}'`);
    return ok(ctx.user + '\n');
  },
});

export const hostname = defineCommand({
  name: 'hostname',
  summary: 'print the name of this machine',
  category: 'network',
  synopsis: ['hostname'],
  description: ['Prints the host name of the box you are logged in to.'],
  notes: ['Changing the host name is not possible in this world.'],
  examples: [['hostname', 'Prints the name shown in your prompt, such as ns2.']],
  run(ctx) {
    const args = ctx.argv.slice(1).filter((a) => !/^-[sfaA]$/.test(a));
    if (args.length === 0) return ok(ctx.env.hostname + '\n');
    if (ctx.user !== 'root') return failure('hostname: you must be root to change the host name\n');
    return failure('hostname: the host name of this machine is fixed in the grimoire\n');
  },
});

function accounts(ctx: CommandContext): { passwd: readonly Account[]; groups: readonly Group[] } {
  const p = ctx.env.fs.read('/etc/passwd', ctx.user);
  const g = ctx.env.fs.read('/etc/group', ctx.user);
  return { passwd: p.ok ? parsePasswd(p.value) : [], groups: g.ok ? parseGroup(g.value) : [] };
}

export const id = defineCommand({
  name: 'id',
  summary: 'print user and group identities',
  category: 'shell',
  completions: ['-u', '-g', '-G', '-n'],
  synopsis: ['id [-u|-g|-G [-n]] [USER]'],
  description: [
    'Prints the user id, primary group id and every group of USER (yourself by default), as numbers with names, the way /etc/passwd and /etc/group define them. Group membership decides what the group permission bits of a file allow you.',
  ],
  options: [
    ['-u', 'Only the user id.'],
    ['-g', 'Only the primary group id.'],
    ['-G', 'Only the ids of every group.'],
    ['-n', 'With -u, -g or -G: names instead of numbers.'],
  ],
  examples: [
    ['id', 'uid=1000(ops) gid=1000(ops) groups=1000(ops),4(adm),27(sudo)'],
    ['id -un', 'Your user name.'],
  ],
  run(ctx) {
    const p = getopt('id', ctx.argv.slice(1), [
      { key: 'u', short: 'u', long: 'user' },
      { key: 'g', short: 'g', long: 'group' },
      { key: 'G', short: 'G', long: 'groups' },
      { key: 'n', short: 'n', long: 'name' },
      { key: 'r', short: 'r', long: 'real' },
    ], { builtinHelp: true });
    if (p.help) return ok('Usage: id [OPTION]... [USER]\n');
    if (p.error !== undefined) return tryHelp('id', p.error);
    if (p.operands.length > 1) return tryHelp('id', `id: extra operand '${p.operands[1]}'`);
    const { passwd, groups } = accounts(ctx);
    const name = p.operands[0] ?? ctx.user;
    let acct = passwd.find((a) => a.name === name);
    if (!acct) {
      if (p.operands.length > 0 && name !== 'root') return failure(`id: ${name}: no such user\n`);
      acct = { name, uid: name === 'root' ? 0 : 1000, gid: name === 'root' ? 0 : 1000, home: '', shell: '' };
    }
    const gname = (gid: number) => groups.find((g) => g.gid === gid)?.name ?? (gid === acct!.gid ? acct!.name : String(gid));
    const gids = [acct.gid, ...groups.filter((g) => g.members.includes(name) && g.gid !== acct!.gid).map((g) => g.gid)];
    const names = has(p.opts, 'n');
    const only = ['u', 'g', 'G'].filter((k) => has(p.opts, k));
    if (only.length > 1) return tryHelp('id', 'id: cannot print "only" of more than one choice');
    if (names && only.length === 0) return tryHelp('id', 'id: cannot print only names or real IDs in default format');
    if (only[0] === 'u') return ok(`${names ? acct.name : acct.uid}\n`);
    if (only[0] === 'g') return ok(`${names ? gname(acct.gid) : acct.gid}\n`);
    if (only[0] === 'G') return ok(gids.map((g) => (names ? gname(g) : String(g))).join(' ') + '\n');
    const out = new Out();
    out.out(`uid=${acct.uid}(${acct.name}) gid=${acct.gid}(${gname(acct.gid)}) groups=${gids.map((g) => `${g}(${gname(g)})`).join(',')}\n`);
    return out.done(0);
  },
});

export const printenv = defineCommand({
  name: 'printenv',
  summary: 'print environment variables',
  category: 'shell',
  synopsis: ['printenv [NAME]...'],
  description: ['Without NAME, prints the whole environment as NAME=VALUE lines. With NAMEs, prints the value of each; the exit status is 1 if any is not set.'],
  examples: [['printenv HOME', 'Prints your home directory.']],
  run(ctx) {
    const names = ctx.argv.slice(1);
    const vars = ctx.env.vars;
    if (names.length === 0) return ok(Object.entries(vars).map(([k, v]) => `${k}=${v}\n`).join(''));
    let code = 0;
    let text = '';
    for (const n of names) {
      if (Object.prototype.hasOwnProperty.call(vars, n)) text += vars[n] + '\n';
      else code = 1;
    }
    return { stdout: text, stderr: '', code };
  },
});
