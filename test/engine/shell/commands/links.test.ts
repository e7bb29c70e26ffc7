import { game, say } from '../../machine/spells/blockBox';

/**
 * ln, readlink, unlink and chown, and how ls, rm, mv and cp treat a symbolic link, on the block
 * test box (/data is ext4 on xvdf; the clock reads Mon May 11 22:10 UTC 2015). Expected text is
 * coreutils 8.21's: `l` and mode bits, size = the target's length, ` -> target`, ‘’ quotes.
 */
function linked() {
  const g = game();
  say(g, 'sudo mkdir /data/d; echo hi | sudo tee /data/d/f >/dev/null; sudo ln -s /data/d /data/ld; sudo ln -s d/f /data/lf');
  return g;
}

describe('ls shows links as links', () => {
  it('ls -l of a directory: mode l, size the length of the target, name -> target; a fast symlink takes no block', () => {
    const g = linked();
    expect(say(g, 'ls -l /data')).toBe(
      [
        'total 24',
        'drwxr-xr-x 2 root root  4096 May 11 22:10 d',
        'lrwxrwxrwx 1 root root     7 May 11 22:10 ld -> /data/d',
        'lrwxrwxrwx 1 root root     3 May 11 22:10 lf -> d/f',
        'drwxr-xr-x 2 root root  4096 May 11 22:00 log',
        'drwx------ 2 root root 16384 May 10 22:00 lost+found',
      ].join('\n'),
    );
  });

  it('ls -l LINK shows the link; LINK/ and -L follow it; without -l a link to a directory is listed as the directory', () => {
    const g = linked();
    expect(say(g, 'ls -l /data/ld')).toBe('lrwxrwxrwx 1 root root 7 May 11 22:10 /data/ld -> /data/d');
    expect(say(g, 'ls -l /data/ld/')).toBe('total 4\n-rw-r--r-- 1 root root 3 May 11 22:10 f');
    expect(say(g, 'ls -lL /data/lf')).toBe('-rw-r--r-- 1 root root 3 May 11 22:10 /data/lf');
    expect(say(g, 'ls /data/ld')).toBe('f');
    expect(say(g, 'ls -d /data/ld')).toBe('/data/ld');
  });

  it('ls -F marks a link with @, and ls -lF marks what its target is', () => {
    const g = linked();
    expect(say(g, 'ls -F /data')).toBe('d/  ld@  lf@  log/  lost+found/');
    expect(say(g, 'ls -lF /data/ld /data/lf')).toBe('lrwxrwxrwx 1 root root 7 May 11 22:10 /data/ld -> /data/d/\nlrwxrwxrwx 1 root root 3 May 11 22:10 /data/lf -> d/f');
  });
});

describe('rm, mv and cp act on the link', () => {
  it('rm LINK removes the link and leaves the directory it named; rm -r LINK/ empties the directory and cannot rmdir a link', () => {
    const g = linked();
    expect(say(g, 'sudo rm /data/ld; echo $?')).toBe('0');
    expect(say(g, 'ls /data/d')).toBe('f');
    expect(say(g, 'ls -l /data/ld')).toBe('ls: cannot access /data/ld: No such file or directory');
    say(g, 'sudo ln -s /data/d /data/ld');
    expect(say(g, 'sudo rm /data/ld/')).toBe('rm: cannot remove ‘/data/ld/’: Is a directory');
    expect(say(g, 'sudo rm -r /data/ld/')).toBe('rm: cannot remove ‘/data/ld/’: Not a directory');
    expect(say(g, 'ls -A /data/d; readlink /data/ld')).toBe('/data/d');
  });

  it('rm -r of a directory holding a link removes the link, not what it names', () => {
    const g = linked();
    say(g, 'sudo mkdir /data/t; sudo ln -s /data/d /data/t/in');
    expect(say(g, 'sudo rm -rv /data/t')).toBe('removed ‘/data/t/in’\nremoved directory: ‘/data/t’');
    expect(say(g, 'ls /data/d; ls /data/t')).toBe('f\nls: cannot access /data/t: No such file or directory');
    expect(say(g, 'sudo rmdir /data/d')).toBe('rmdir: failed to remove ‘/data/d’: Directory not empty');
    expect(say(g, 'sudo rm /data/d/f; sudo rmdir /data/d; echo $?')).toBe('0');
  });

  it('mv LINK NEW renames the link', () => {
    const g = linked();
    expect(say(g, 'sudo mv -v /data/lf /data/lf2')).toBe('‘/data/lf’ -> ‘/data/lf2’');
    expect(say(g, 'ls -l /data/lf2; cat /data/lf2')).toBe('lrwxrwxrwx 1 root root 3 May 11 22:10 /data/lf2 -> d/f\nhi');
  });

  it('cp follows a link by default; -P, -d and -a copy the link', () => {
    const g = linked();
    say(g, 'sudo cp /data/lf /data/c1; sudo cp -P /data/lf /data/c2; sudo cp -d /data/lf /data/c3; sudo cp -a /data/ld /data/c4');
    expect(say(g, 'ls -l /data/c1 /data/c2 /data/c3 /data/c4')).toBe(
      [
        '-rw-r--r-- 1 root root 3 May 11 22:10 /data/c1',
        'lrwxrwxrwx 1 root root 3 May 11 22:10 /data/c2 -> d/f',
        'lrwxrwxrwx 1 root root 3 May 11 22:10 /data/c3 -> d/f',
        'lrwxrwxrwx 1 root root 7 May 11 22:10 /data/c4 -> /data/d',
      ].join('\n'),
    );
  });
});

describe('ln -s', () => {
  it("coreutils 8.21's messages", () => {
    const g = linked();
    expect(say(g, 'sudo ln -s /x /data/lf; echo $?')).toBe('ln: failed to create symbolic link ‘/data/lf’: File exists\n1');
    expect(say(g, 'ln -s /x /data/mine')).toBe('ln: failed to create symbolic link ‘/data/mine’: Permission denied');
    expect(say(g, 'ln; echo $?')).toBe("ln: missing file operand\nTry 'ln --help' for more information.\n1");
    expect(say(g, 'sudo ln -s /a /b /data/lf')).toBe('ln: target ‘/data/lf’ is not a directory');
    expect(say(g, 'sudo ln -sv /etc /data/etc')).toBe('‘/data/etc’ -> ‘/etc’');
  });

  it('into a directory (a link to one too) under the target\'s own name; -f replaces; -n treats a link to a directory as a file', () => {
    const g = linked();
    say(g, 'sudo ln -s /data/lf /data/ld');
    expect(say(g, 'readlink /data/d/lf')).toBe('/data/lf');
    say(g, 'sudo ln -sf /elsewhere /data/lf');
    expect(say(g, 'readlink /data/lf')).toBe('/elsewhere');
    say(g, 'sudo ln -sfn /data/log /data/ld');
    expect(say(g, 'readlink /data/ld')).toBe('/data/log');
    expect(say(g, 'sudo ln -sfT /x /data/d')).toBe('ln: ‘/data/d’: cannot overwrite directory');
  });

  it('hard links and links on the root filesystem are said not to be simulated', () => {
    const g = linked();
    expect(say(g, 'ln /data/d/f /data/hard')).toBe('ln: hard links are not simulated here (ln -s makes a symbolic link): nothing was linked');
    expect(say(g, 'ln -s /etc/passwd /tmp/pw; echo $?')).toBe('ln: failed to create symbolic link ‘/tmp/pw’: symbolic links are simulated only on the block volumes (see mount), not here\n1');
  });
});

describe('readlink and unlink', () => {
  it('readlink prints the target as stored; a non-link prints nothing and fails; -f canonicalizes; loops are ELOOP', () => {
    const g = linked();
    expect(say(g, 'readlink /data/lf /data/d; echo $?')).toBe('d/f\n1');
    expect(say(g, 'readlink -v /data/d')).toBe('readlink: /data/d: Invalid argument');
    expect(say(g, 'readlink -f /data/ld/../ld/f')).toBe('/data/d/f');
    expect(say(g, 'readlink -f /data/lf')).toBe('/data/d/f');
    expect(say(g, 'readlink -f /data/ld/nothing; readlink -e /data/ld/nothing; echo $?')).toBe('/data/d/nothing\n1');
    expect(say(g, 'readlink; echo $?')).toBe("readlink: missing operand\nTry 'readlink --help' for more information.\n1");
    say(g, 'sudo ln -s b /data/a; sudo ln -s a /data/b');
    expect(say(g, 'cat /data/a; ls /data/b/')).toBe('cat: /data/a: Too many levels of symbolic links\nls: cannot access /data/b/: Too many levels of symbolic links');
    expect(say(g, 'readlink -fv /data/a')).toBe('readlink: /data/a: Too many levels of symbolic links');
  });

  it('unlink removes one name, a link itself', () => {
    const g = linked();
    expect(say(g, 'sudo unlink /data/ld; echo $?; ls /data/d')).toBe('0\nf');
    expect(say(g, 'sudo unlink /data/d')).toBe('unlink: cannot unlink ‘/data/d’: Is a directory');
    expect(say(g, 'unlink')).toBe("unlink: missing operand\nTry 'unlink --help' for more information.");
    expect(say(g, 'unlink a b')).toBe("unlink: extra operand ‘b’\nTry 'unlink --help' for more information.");
  });
});

describe('chown', () => {
  it('root only; OWNER:GROUP, OWNER:, :GROUP; -v says what changed', () => {
    const g = linked();
    expect(say(g, 'chown ops /data/d; echo $?')).toBe('chown: changing ownership of ‘/data/d’: Operation not permitted\n1');
    expect(say(g, 'sudo chown -v ops:adm /data/d')).toBe('changed ownership of ‘/data/d’ from root:root to ops:adm');
    expect(say(g, 'sudo chown root: /data/d; ls -ld /data/d')).toBe('drwxr-xr-x 2 root root 4096 May 11 22:10 /data/d');
    expect(say(g, 'sudo chown -v :ops /data/d')).toBe('changed group of ‘/data/d’ from root to ops');
    expect(say(g, 'sudo chown nobody9 /data/d')).toBe('chown: invalid user: ‘nobody9’');
    expect(say(g, 'sudo chown ops:nogroup9 /data/d')).toBe('chown: invalid group: ‘ops:nogroup9’');
    expect(say(g, 'chown; echo $?')).toBe("chown: missing operand\nTry 'chown --help' for more information.\n1");
    expect(say(g, 'chown ops')).toBe("chown: missing operand after ‘ops’\nTry 'chown --help' for more information.");
    expect(say(g, 'sudo chown ops /data/none')).toBe('chown: cannot access ‘/data/none’: No such file or directory');
  });

  it('a link is followed unless -h; -R changes links met in the tree themselves', () => {
    const g = linked();
    say(g, 'sudo chown ops /data/lf');
    expect(say(g, 'ls -l /data/lf /data/d/f')).toBe('-rw-r--r-- 1 ops  root 3 May 11 22:10 /data/d/f\nlrwxrwxrwx 1 root root 3 May 11 22:10 /data/lf'.replace('/data/lf', '/data/lf -> d/f'));
    say(g, 'sudo chown -h ops /data/ld');
    expect(say(g, 'ls -ld /data/ld /data/d')).toBe('drwxr-xr-x 2 root root 4096 May 11 22:10 /data/d\nlrwxrwxrwx 1 ops  root    7 May 11 22:10 /data/ld -> /data/d');
    say(g, 'sudo mkdir /data/t; sudo ln -s /data/d /data/t/in; sudo chown -R ops /data/t');
    expect(say(g, 'ls -l /data/t; ls -ld /data/d')).toBe('total 0\nlrwxrwxrwx 1 ops root 7 May 11 22:10 in -> /data/d\ndrwxr-xr-x 2 root root 4096 May 11 22:10 /data/d');
  });
});
