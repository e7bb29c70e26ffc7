import type { CommandContext } from '../types';
import { Out, failure, ok } from '../io';
import { getopt, has } from '../getopt';
import { errnoMessage } from '../../vfs/errno';
import { parseGroup, parsePasswd } from '../../vfs/accounts';
import { absPath, tryHelp } from './util';
import { defineCommand } from './define';
import { NO_TREE_OPS, joinPath, linkOps, lstatEntry, q, type LinkOps } from './fileops';

interface Spec {
  /** undefined: keep each file's owner (`:GROUP`) */
  owner?: string;
  group?: string;
}

/** gnulib's parse_user_spec: OWNER, OWNER:GROUP, OWNER:, :GROUP (or a dot for the colon); names or numbers */
export function parseSpec(ctx: CommandContext, spec: string): Spec | { error: string } {
  const text = (path: string): string => {
    const r = ctx.env.fs.read(path, 'root');
    return r.ok ? r.value : '';
  };
  const passwd = parsePasswd(text('/etc/passwd'));
  const groups = parseGroup(text('/etc/group'));
  const sep = spec.includes(':') ? spec.indexOf(':') : passwd.some((a) => a.name === spec) ? -1 : spec.indexOf('.');
  const user = sep < 0 ? spec : spec.slice(0, sep);
  const group = sep < 0 ? undefined : spec.slice(sep + 1);
  const out: Spec = {};
  if (user !== '') {
    const acct = passwd.find((a) => a.name === user) ?? (/^\d+$/.test(user) ? { name: user, gid: -1 } : undefined);
    if (!acct) return { error: `invalid user: ${q(spec)}` };
    out.owner = acct.name;
    // OWNER: takes the owner's login group
    if (group === '') {
      const login = groups.find((g) => g.gid === acct.gid);
      if (!login) return { error: `invalid user: ${q(spec)}` };
      out.group = login.name;
    }
  }
  if (group !== undefined && group !== '') {
    const g = groups.find((x) => x.name === group) ?? (/^\d+$/.test(group) ? { name: group } : undefined);
    if (!g) return { error: `invalid group: ${q(spec)}` };
    out.group = g.name;
  }
  return out;
}

export const chown = defineCommand({
  name: 'chown',
  summary: 'change file owner and group',
  category: 'files',
  argKind: 'path',
  completions: ['-R', '-h', '-v'],
  synopsis: ['chown [-R] [-h] [-v] OWNER[:[GROUP]] FILE...', 'chown [-R] [-h] [-v] :GROUP FILE...'],
  description: [
    'Gives each FILE to OWNER and, with :GROUP, to that group; OWNER: (a colon and no group) takes OWNER\'s login group. Only root may give a file away; a file\'s owner may change only its group, to a group they are in.',
    'A symbolic link named as FILE is followed, and the file it names changes; -h changes the link itself. With -R the links met inside the tree are changed themselves, never followed.',
  ],
  options: [
    ['-R', 'Change directories and everything under them.'],
    ['-h', 'Change a symbolic link itself rather than what it names.'],
    ['-v', 'Say what was done for each file.'],
  ],
  examples: [['sudo chown mongodb:nogroup /data/db/journal', 'Give a directory to the mongodb user.']],
  notes: ['The proc files and the rendered logs keep their owners.'],
  run(ctx) {
    const p = getopt('chown', ctx.argv.slice(1), [
      { key: 'R', short: 'R', long: 'recursive' },
      { key: 'h', short: 'h', long: 'no-dereference' },
      { key: 'v', short: 'v', long: 'verbose' },
      { key: 'c', short: 'c', long: 'changes' },
      { key: 'f', short: 'f', long: 'silent' },
      { key: 'f', long: 'quiet' },
    ], { builtinHelp: true });
    if (p.help) return ok('Usage: chown [OPTION]... [OWNER][:[GROUP]] FILE...\n  or:  chown [OPTION]... --reference=RFILE FILE...\nChange the owner and/or group of each FILE to OWNER and/or GROUP.\n');
    if (p.error !== undefined) return tryHelp('chown', p.error);
    if (p.operands.length === 0) return tryHelp('chown', 'chown: missing operand');
    if (p.operands.length === 1) return tryHelp('chown', `chown: missing operand after ${q(p.operands[0])}`);
    const links = linkOps(ctx);
    if (!links) return failure(`chown: ${NO_TREE_OPS}\n`);
    const spec = parseSpec(ctx, p.operands[0]);
    if ('error' in spec) return failure(`chown: ${spec.error}\n`);
    const run = new Chown(ctx, links, spec, { recursive: has(p.opts, 'R'), noDeref: has(p.opts, 'h'), verbose: has(p.opts, 'v'), changes: has(p.opts, 'c'), silent: has(p.opts, 'f') });
    let failed = false;
    for (const name of p.operands.slice(1)) if (!run.operand(name)) failed = true;
    return run.out.done(failed ? 1 : 0);
  },
});

class Chown {
  readonly out = new Out();

  constructor(
    private readonly ctx: CommandContext,
    private readonly links: LinkOps,
    private readonly spec: Spec,
    private readonly o: { recursive: boolean; noDeref: boolean; verbose: boolean; changes: boolean; silent: boolean },
  ) {}

  operand(name: string): boolean {
    const path = absPath(this.ctx, name);
    // chown.c: -R walks physically (FTS_PHYSICAL), so a link named on the command line is itself changed
    const follow = !this.o.noDeref && !this.o.recursive;
    const st = follow ? this.ctx.env.fs.stat(path) : this.links.lstat(path, this.ctx.user);
    if (!st.ok) {
      if (!this.o.silent) this.out.errLine(`chown: cannot access ${q(name)}: ${errnoMessage(st.errno)}`);
      return false;
    }
    let all = this.one(name, path, st.value, follow);
    if (this.o.recursive && st.value.type === 'dir') {
      const listed = this.ctx.env.fs.list(path, this.ctx.user);
      if (!listed.ok) {
        if (!this.o.silent) this.out.errLine(`chown: cannot read directory ${q(name)}: ${errnoMessage(listed.errno)}`);
        return false;
      }
      for (const child of listed.value) all = this.operandIn(joinPath(name, child), path === '/' ? `/${child}` : `${path}/${child}`) && all;
    }
    return all;
  }

  private operandIn(name: string, path: string): boolean {
    const st = lstatEntry(this.ctx, path);
    if (!st.ok) {
      if (!this.o.silent) this.out.errLine(`chown: cannot access ${q(name)}: ${errnoMessage(st.errno)}`);
      return false;
    }
    let all = this.one(name, path, st.value, false);
    if (st.value.type !== 'dir') return all;
    const listed = this.ctx.env.fs.list(path, this.ctx.user);
    if (!listed.ok) {
      if (!this.o.silent) this.out.errLine(`chown: cannot read directory ${q(name)}: ${errnoMessage(listed.errno)}`);
      return false;
    }
    for (const child of listed.value) all = this.operandIn(joinPath(name, child), `${path}/${child}`) && all;
    return all;
  }

  private one(name: string, path: string, st: { owner: string; group: string }, follow: boolean): boolean {
    const owner = this.spec.owner ?? st.owner;
    const group = this.spec.group ?? st.group;
    const r = this.links.chown(path, this.ctx.user, owner, group, follow);
    // chown-core.c's describe_change, for -v and -c
    const what = this.spec.owner !== undefined ? 'ownership' : 'group';
    const to = this.spec.owner !== undefined ? (this.spec.group !== undefined ? `${owner}:${group}` : owner) : group;
    const from = this.spec.owner !== undefined ? (this.spec.group !== undefined ? `${st.owner}:${st.group}` : st.owner) : st.group;
    if (!r.ok) {
      if (!this.o.silent) this.out.errLine(`chown: changing ${what} of ${q(name)}: ${errnoMessage(r.errno)}`);
      if (this.o.verbose) this.out.out(`failed to change ${what} of ${q(name)} from ${from} to ${to}\n`);
      return false;
    }
    const same = owner === st.owner && group === st.group;
    if (same ? this.o.verbose : this.o.verbose || this.o.changes) {
      this.out.out(same ? `${what} of ${q(name)} retained as ${to}\n` : `changed ${what} of ${q(name)} from ${from} to ${to}\n`);
    }
    return true;
  }
}
