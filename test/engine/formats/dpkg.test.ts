import { DPKG_NO_ARCHIVE, DPKG_NOT_ROOT, formatDpkgInstall, type DpkgRun } from '../../../engine/formats/dpkg';

/** dpkg 1.17.5's -i transcript, written out from src/archives.c, unpack.c, configure.c, packages.c and errors.c at 1.17.5. */

const V = '3.19.0-031900.201502091451';
const HDR = `linux-headers-3.19.0-031900_${V}_all.deb`;
const HDRG = `linux-headers-3.19.0-031900-generic_${V}_amd64.deb`;
const IMG = `linux-image-3.19.0-031900-generic_${V}_amd64.deb`;

const base: DpkgRun = { archives: [], configured: [], unconfigured: [], dpkgFiles: 56193, kernels: ['3.19.0-031900-generic', '3.16.0-30-generic'] };

describe('dpkg -i', () => {
  it('unpacks every archive, then sets up each package after what it depends on; a kernel runs its hooks', () => {
    const run: DpkgRun = {
      ...base,
      archives: [
        { arg: HDRG, name: 'linux-headers-3.19.0-031900-generic', version: V, oldVersion: null },
        { arg: HDR, name: 'linux-headers-3.19.0-031900', version: V, oldVersion: null },
        { arg: `/home/ops/kernel/${IMG}`, name: 'linux-image-3.19.0-031900-generic', version: V, oldVersion: null },
      ],
      configured: [
        { name: 'linux-headers-3.19.0-031900', version: V },
        { name: 'linux-headers-3.19.0-031900-generic', version: V },
        { name: 'linux-image-3.19.0-031900-generic', version: V, kernel: '3.19.0-031900-generic' },
      ],
    };
    const hook = (h: string) => `run-parts: executing /etc/kernel/postinst.d/${h} 3.19.0-031900-generic /boot/vmlinuz-3.19.0-031900-generic\n`;
    expect(formatDpkgInstall(run)).toEqual({
      stdout:
        'Selecting previously unselected package linux-headers-3.19.0-031900-generic.\n' +
        '(Reading database ... 56193 files and directories currently installed.)\n' +
        `Preparing to unpack ${HDRG} ...\n` +
        `Unpacking linux-headers-3.19.0-031900-generic (${V}) ...\n` +
        'Selecting previously unselected package linux-headers-3.19.0-031900.\n' +
        `Preparing to unpack ${HDR} ...\n` +
        `Unpacking linux-headers-3.19.0-031900 (${V}) ...\n` +
        'Selecting previously unselected package linux-image-3.19.0-031900-generic.\n' +
        `Preparing to unpack .../${IMG} ...\n` +
        `Unpacking linux-image-3.19.0-031900-generic (${V}) ...\n` +
        `Setting up linux-headers-3.19.0-031900 (${V}) ...\n` +
        `Setting up linux-headers-3.19.0-031900-generic (${V}) ...\n` +
        `Setting up linux-image-3.19.0-031900-generic (${V}) ...\n` +
        'Running depmod.\n' +
        'update-initramfs: deferring update (hook will be called later)\n' +
        'Examining /etc/kernel/postinst.d.\n' +
        hook('apt-auto-removal') +
        hook('initramfs-tools') +
        'update-initramfs: Generating /boot/initrd.img-3.19.0-031900-generic\n' +
        hook('update-notifier') +
        hook('zz-update-grub') +
        'Generating grub configuration file ...\n' +
        'Found linux image: /boot/vmlinuz-3.19.0-031900-generic\n' +
        'Found initrd image: /boot/initrd.img-3.19.0-031900-generic\n' +
        'Found linux image: /boot/vmlinuz-3.16.0-30-generic\n' +
        'Found initrd image: /boot/initrd.img-3.16.0-30-generic\n' +
        'done\n',
      stderr: '',
      code: 0,
    });
  });

  it('leaves a package whose dependency is missing unconfigured, and says so on stderr', () => {
    const run: DpkgRun = {
      ...base,
      archives: [{ arg: HDRG, name: 'linux-headers-3.19.0-031900-generic', version: V, oldVersion: null }],
      unconfigured: [{ name: 'linux-headers-3.19.0-031900-generic', missing: ['linux-headers-3.19.0-031900'] }],
    };
    const out = formatDpkgInstall(run);
    expect(out.code).toBe(1);
    expect(out.stderr).toBe(
      'dpkg: dependency problems prevent configuration of linux-headers-3.19.0-031900-generic:\n' +
        ' linux-headers-3.19.0-031900-generic depends on linux-headers-3.19.0-031900; however:\n' +
        '  Package linux-headers-3.19.0-031900 is not installed.\n' +
        '\n' +
        'dpkg: error processing package linux-headers-3.19.0-031900-generic (--install):\n' +
        ' dependency problems - leaving unconfigured\n' +
        'Errors were encountered while processing:\n' +
        ' linux-headers-3.19.0-031900-generic\n',
    );
  });

  it('refuses missing files, directories and files that are not packages, one by one', () => {
    const out = formatDpkgInstall({ ...base, archives: [{ arg: 'nope.deb', error: 'missing' }, { arg: 'notes.txt', error: 'not-deb' }, { arg: 'kernel', error: 'directory' }] });
    expect(out).toEqual({
      stdout: '',
      stderr:
        'dpkg: error processing archive nope.deb (--install):\n' +
        ' cannot access archive: No such file or directory\n' +
        "dpkg-deb: error: `notes.txt' is not a debian format archive\n" +
        'dpkg: error processing archive notes.txt (--install):\n' +
        ' subprocess dpkg-deb --control returned error exit status 2\n' +
        'dpkg-deb: error: error reading archive magic version number from file kernel: Is a directory\n' +
        'dpkg: error processing archive kernel (--install):\n' +
        ' subprocess dpkg-deb --control returned error exit status 2\n' +
        'Errors were encountered while processing:\n' +
        ' nope.deb\n' +
        ' notes.txt\n' +
        ' kernel\n',
      code: 1,
    });
  });

  it('needs root and at least one archive', () => {
    expect(DPKG_NOT_ROOT).toBe('dpkg: error: requested operation requires superuser privilege\n');
    expect(DPKG_NO_ARCHIVE.split('\n').slice(0, 3)).toEqual(['dpkg: error: --install needs at least one package archive file argument', '', 'Type dpkg --help for help about installing and deinstalling packages [*];']);
  });
});
