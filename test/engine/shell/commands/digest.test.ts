import { harness } from '../fake-env';

describe('md5sum and sha1sum', () => {
  // expected digests from GNU md5sum/sha1sum run on the same bytes
  test('digests of files and of standard input, two spaces then the name', () => {
    const h = harness();
    h.run('cd /home/ops');
    expect(h.run('md5sum notes.txt')).toMatchObject({ stdout: '6c7831c26f0d0a5f807006854aa682f4  notes.txt\n', code: 0 });
    expect(h.run('sha1sum notes.txt').stdout).toBe('6cb493e15e2b527941e27b5a45c1d001a2ab31d7  notes.txt\n');
    expect(h.run('cat notes.txt | md5sum -b').stdout).toBe('6c7831c26f0d0a5f807006854aa682f4 *-\n');
    expect(h.run('echo \u2018x\u2019 > q; md5sum q').stdout).toBe('c9edca621e4c282f0728a97fc00f5599  q\n');
  });

  test('errors as md5sum.c prints them', () => {
    const h = harness();
    expect(h.run('md5sum /nope /etc/passwd')).toMatchObject({ stderr: 'md5sum: /nope: No such file or directory\n', code: 1 });
    expect(h.run('md5sum /var/empty').stderr).toBe('md5sum: /var/empty: Is a directory\n');
    expect(h.run('sha1sum /root/secret').stderr).toBe('sha1sum: /root/secret: Permission denied\n');
  });
});
