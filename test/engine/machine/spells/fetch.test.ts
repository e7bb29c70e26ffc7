import { MAINLINE_3_19, newGame, play } from '../../chapters/ch1/walkthrough.helpers';

/**
 * wget and dpkg -i on the chapter 1 box, whose scenario lets it reach Ubuntu's kernel PPA and
 * nothing else beyond the archive.
 */

const V = '3.19.0-031900.201502091451';
const IMG = `linux-image-3.19.0-031900-generic_${V}_amd64.deb`;
const HDR = `linux-headers-3.19.0-031900_${V}_all.deb`;
const HDRG = `linux-headers-3.19.0-031900-generic_${V}_amd64.deb`;

describe('wget and dpkg -i', () => {
  const g = newGame(5);

  it('wget saves the file with its size and the server\'s time; a second copy gets .1', () => {
    const [log, again, ls, code] = play(g, [`wget ${MAINLINE_3_19}${IMG}`, `wget -q ${MAINLINE_3_19}${IMG}; echo $?`, 'ls -l', 'echo ok']);
    expect(log).toMatch(/^HTTP request sent, awaiting response\.\.\. 200 OK$/m);
    expect(log).toMatch(/^Length: 49597645 \(47M\) \[application\/x-debian-package\]$/m);
    expect(log).toMatch(new RegExp(`^Saving to: \u2018${IMG.replace(/\./g, '\\.')}\u2019$`, 'm'));
    expect(log).toMatch(/^100%\[=+>\] 49,597,645 {2}\d\.\d\dMB\/s {3}in \d+(\.\d)?s +$/m);
    expect(again).toMatch(/^0$/m);
    expect(ls).toContain(` 49597645 Feb  9 21:04 ${IMG}\n`);
    expect(ls).toContain(` 49597645 Feb  9 21:04 ${IMG}.1\n`);
    expect(code).toMatch(/^ok$/m);
  });

  it('a host outside the story does not resolve (exit 4); a missing file is a 404 (exit 8); no URL is a usage error', () => {
    const [nx, missing, none] = play(g, ['wget http://www.nlnetlabs.nl/downloads/nsd/nsd-4.1.1.tar.gz; echo $?', `wget ${MAINLINE_3_19}nope.deb; echo $?`, 'wget; echo $?']);
    expect(nx).toContain('Resolving www.nlnetlabs.nl (www.nlnetlabs.nl)... failed: Name or service not known.\nwget: unable to resolve host address \u2018www.nlnetlabs.nl\u2019\n');
    expect(nx).toMatch(/^4$/m);
    expect(missing).toMatch(/^HTTP request sent, awaiting response\.\.\. 404 Not Found$/m);
    expect(missing).toMatch(/^2015-03-\d\d \d\d:\d\d:\d\d ERROR 404: Not Found\.$/m);
    expect(missing).toMatch(/^8$/m);
    expect(none).toContain("wget: missing URL\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n");
    expect(none).toMatch(/^1$/m);
  });

  it('says in one line that a directory\'s listing is not simulated', () => {
    const [dir] = play(g, [`wget ${MAINLINE_3_19}; echo $?`]);
    expect(dir).toContain(`wget: the grimoire does not simulate the directory listing at ${MAINLINE_3_19}; fetch a file there by its full name\n`);
    expect(dir).toMatch(/^1$/m);
  });

  it('dpkg -i wants root; as root it sets up the headers before what needs them, and the kernel waits for a reboot', () => {
    play(g, [`rm ${IMG}.1`, `wget -q ${MAINLINE_3_19}${HDRG} ${MAINLINE_3_19}${HDR}`]);
    const [user, root, policy, reboot, uname] = play(g, ['dpkg -i *.deb; echo $?', 'sudo dpkg -i *.deb; echo $?', 'apt-cache policy linux-image-3.19.0-031900-generic', 'cat /var/run/reboot-required', 'uname -r']);
    expect(user).toMatch(/^dpkg: error: requested operation requires superuser privilege\n2$/m);
    const setUp = [...root!.matchAll(/^Setting up (\S+) /gm)].map((m) => m[1]);
    expect(setUp).toEqual(['linux-headers-3.19.0-031900', 'linux-headers-3.19.0-031900-generic', 'linux-image-3.19.0-031900-generic']);
    expect(root).toContain('Found linux image: /boot/vmlinuz-3.19.0-031900-generic\nFound initrd image: /boot/initrd.img-3.19.0-031900-generic\nFound linux image: /boot/vmlinuz-3.16.0-30-generic\n');
    expect(root).toMatch(/^0$/m);
    expect(policy).toContain(`linux-image-3.19.0-031900-generic:\n  Installed: ${V}\n  Candidate: ${V}\n  Version table:\n *** ${V} 0\n        100 /var/lib/dpkg/status\n`);
    expect(reboot).toMatch(/^\*\*\* System restart required \*\*\*$/m);
    expect(uname).toMatch(/^3\.16\.0-30-generic$/m);
  });

  it('a file that is not a package is refused by dpkg-deb', () => {
    const [out] = play(g, ['echo hello > notes.deb; sudo dpkg -i notes.deb; echo $?']);
    expect(out).toContain("dpkg-deb: error: `notes.deb' is not a debian format archive\ndpkg: error processing archive notes.deb (--install):\n subprocess dpkg-deb --control returned error exit status 2\nErrors were encountered while processing:\n notes.deb\n");
    expect(out).toMatch(/^1$/m);
  });
});
