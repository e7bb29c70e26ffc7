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

export function parsePasswd(text: string): Account[] {
  const out: Account[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length < 7 || f[0] === '' || line.startsWith('#')) continue;
    out.push({ name: f[0], uid: Number(f[2]), gid: Number(f[3]), home: f[5], shell: f[6] });
  }
  return out;
}

export function parseGroup(text: string): Group[] {
  const out: Group[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length < 4 || f[0] === '' || line.startsWith('#')) continue;
    out.push({ name: f[0], gid: Number(f[2]), members: f[3].split(',').filter(Boolean) });
  }
  return out;
}

/** Names of every group `user` belongs to, primary first. Without account files, a user has a private group of the same name. */
export function groupsOf(user: string, passwd: Account[], groups: Group[]): string[] {
  const acct = passwd.find((a) => a.name === user);
  const primary = acct ? (groups.find((g) => g.gid === acct.gid)?.name ?? user) : user;
  const out = [primary];
  for (const g of groups) if (g.members.includes(user) && !out.includes(g.name)) out.push(g.name);
  return out;
}

/** Home directories follow Ubuntu's defaults when /etc/passwd says nothing. */
export function homeOf(user: string, passwd: Account[]): string {
  const acct = passwd.find((a) => a.name === user);
  if (acct && acct.home) return acct.home;
  return user === 'root' ? '/root' : `/home/${user}`;
}
