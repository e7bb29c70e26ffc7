import { groupsOf, homeOf, parseGroup, parsePasswd } from '../../../engine/vfs/accounts';

const PASSWD = 'root:x:0:0:root:/root:/bin/bash\nops:x:1000:1000:ops,,,:/home/ops:/bin/bash\n';
const GROUP = 'root:x:0:\nops:x:1000:\nadm:x:4:syslog,ops\n';

describe('accounts from /etc/passwd and /etc/group', () => {
  it('reads each account and group', () => {
    expect(parsePasswd(PASSWD).map((a) => [a.name, a.uid, a.home])).toEqual([
      ['root', 0, '/root'],
      ['ops', 1000, '/home/ops'],
    ]);
    expect(groupsOf('ops', parsePasswd(PASSWD), parseGroup(GROUP))).toEqual(['ops', 'adm']);
  });

  it('follows the file when it changes, and back (the last text read is remembered, not the first)', () => {
    const moved = PASSWD.replace('/home/ops', '/srv/ops');
    expect(homeOf('ops', parsePasswd(PASSWD))).toBe('/home/ops');
    expect(homeOf('ops', parsePasswd(moved))).toBe('/srv/ops');
    expect(homeOf('ops', parsePasswd(PASSWD))).toBe('/home/ops');
    const regrouped = GROUP.replace('syslog,ops', 'syslog');
    expect(groupsOf('ops', parsePasswd(PASSWD), parseGroup(GROUP))).toContain('adm');
    expect(groupsOf('ops', parsePasswd(PASSWD), parseGroup(regrouped))).not.toContain('adm');
  });
});
