/**
 * Users and groups as /etc/passwd and /etc/group describe them. Both the VFS (group permission
 * bits) and tools such as `id` read the same files, so a chapter defines its accounts once.
 */

export interface Account {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

export interface Group {
  name: string;
  gid: number;
  members: string[];
}

/**
 * The last text each parser read, and what it made of it: the shell and the permission checks ask
 * for the accounts at every command (cron's hourly jobs, a week of them in one `sleep`), and the
 * files rarely change. The lists are shared: callers only read them.
 */
const lastPasswd = { text: null as string | null, parsed: [] as readonly Account[] };
const lastGroup = { text: null as string | null, parsed: [] as readonly Group[] };

export function parsePasswd(text: string): readonly Account[] {
  if (lastPasswd.text !== text) {
    lastPasswd.parsed = readPasswd(text);
    lastPasswd.text = text;
  }
  return lastPasswd.parsed;
}

export function parseGroup(text: string): readonly Group[] {
  if (lastGroup.text !== text) {
    lastGroup.parsed = readGroup(text);
    lastGroup.text = text;
  }
  return lastGroup.parsed;
}

function readPasswd(text: string): Account[] {
  const out: Account[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length < 7 || f[0] === '' || line.startsWith('#')) continue;
    out.push({ name: f[0], uid: Number(f[2]), gid: Number(f[3]), home: f[5], shell: f[6] });
  }
  return out;
}

function readGroup(text: string): Group[] {
  const out: Group[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length < 4 || f[0] === '' || line.startsWith('#')) continue;
    out.push({ name: f[0], gid: Number(f[2]), members: f[3].split(',').filter(Boolean) });
  }
  return out;
}

/** Names of every group `user` belongs to, primary first. Without account files, a user has a private group of the same name. */
export function groupsOf(user: string, passwd: readonly Account[], groups: readonly Group[]): string[] {
  const acct = passwd.find((a) => a.name === user);
  const primary = acct ? (groups.find((g) => g.gid === acct.gid)?.name ?? user) : user;
  const out = [primary];
  for (const g of groups) if (g.members.includes(user) && !out.includes(g.name)) out.push(g.name);
  return out;
}

/** Home directories follow Ubuntu's defaults when /etc/passwd says nothing. */
export function homeOf(user: string, passwd: readonly Account[]): string {
  const acct = passwd.find((a) => a.name === user);
  if (acct && acct.home) return acct.home;
  return user === 'root' ? '/root' : `/home/${user}`;
}
