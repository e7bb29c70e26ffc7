import { baseFiles } from '../../../engine/machine/files';
import type { HostParams } from '../../../engine/machine/world';

/** /var/lib on the base box: directories only, with trusty's modes and owners */
describe('the base files', () => {
  const host = { hostname: 'h', domain: 'example.org', ip: '10.0.0.2', resolver: '10.0.0.1' } as HostParams;
  const { files, dirs } = baseFiles(host, 0);

  it('has /var/lib with the package tools and base daemons directories, no more', () => {
    const varLib = Object.keys(dirs)
      .filter((d) => d === '/var/lib' || d.startsWith('/var/lib/'))
      .sort();
    expect(varLib).toEqual([
      '/var/lib',
      '/var/lib/apt',
      '/var/lib/apt/lists',
      '/var/lib/apt/lists/partial',
      '/var/lib/collectd',
      '/var/lib/dbus',
      '/var/lib/dhcp',
      '/var/lib/dpkg',
      '/var/lib/dpkg/alternatives',
      '/var/lib/dpkg/info',
      '/var/lib/dpkg/parts',
      '/var/lib/dpkg/triggers',
      '/var/lib/dpkg/updates',
      '/var/lib/logrotate',
      '/var/lib/mlocate',
      '/var/lib/ntp',
      '/var/lib/sudo',
    ]);
    // nothing is invented inside them
    expect(Object.keys(files).filter((p) => p.startsWith('/var/lib/'))).toEqual([]);
  });

  it('gives each the mode and owner trusty does', () => {
    expect(dirs['/var/lib']).toEqual({ mode: 0o755, owner: 'root', group: 'root' });
    expect(dirs['/var/lib/dpkg']).toEqual({ mode: 0o755, owner: 'root', group: 'root' });
    expect(dirs['/var/lib/sudo']).toEqual({ mode: 0o700, owner: 'root', group: 'root' });
    expect(dirs['/var/lib/ntp']).toEqual({ mode: 0o755, owner: 'ntp', group: 'ntp' });
    // cron keeps its tables in /var/spool/cron, not /var/lib; mongodb's is its scenario's to add
    expect(dirs['/var/lib/cron']).toBeUndefined();
    expect(dirs['/var/lib/mongodb']).toBeUndefined();
  });

  it('has the top-level directories of a trusty server, with the modes, owners and groups base-files gives them', () => {
    for (const d of ['/mnt', '/media', '/opt', '/srv']) expect(dirs[d]).toEqual({ mode: 0o755, owner: 'root', group: 'root' });
    expect(dirs['/lost+found']).toEqual({ mode: 0o700, owner: 'root', group: 'root' });
    expect(dirs['/root']).toEqual({ mode: 0o700, owner: 'root', group: 'root' });
    expect(dirs['/var/tmp']).toEqual({ mode: 0o1777, owner: 'root', group: 'root' });
    expect(dirs['/var/mail']).toEqual({ mode: 0o2775, owner: 'root', group: 'mail' });
    expect(dirs['/var/local']).toEqual({ mode: 0o2775, owner: 'root', group: 'staff' });
    // every group a directory names is in /etc/group
    const groups = new Set(files['/etc/group']!.content.split('\n').map((l) => l.split(':')[0]));
    for (const d of Object.values(dirs)) if (!d.group.startsWith('ops')) expect(groups).toContain(d.group);
    // and every account's own group
    const gids = new Set(files['/etc/group']!.content.split('\n').map((l) => l.split(':')[2]));
    for (const line of files['/etc/passwd']!.content.trim().split('\n')) expect(gids).toContain(line.split(':')[3]);
  });
});
