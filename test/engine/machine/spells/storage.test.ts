import { blockOfGame, game, say, worldOf } from './blockBox';

/** the storage spells on the block-chapter test box (test/fixtures/block-chapter) */
describe('mount', () => {
  it("lists trusty's own mounts, then the block layer's with the options they were mounted with", () => {
    const g = game();
    const lines = say(g, 'mount').split('\n');
    expect(lines[0]).toBe('/dev/xvda1 on / type ext4 (rw,discard)');
    expect(lines[lines.length - 1]).toBe('/dev/xvdf on /data type ext4 (rw,noatime)');
    expect(say(g, 'mount -t ext4')).toBe('/dev/xvda1 on / type ext4 (rw,discard)\n/dev/xvdf on /data type ext4 (rw,noatime)');
    expect(say(g, 'cat /proc/mounts')).toBe('/proc/mounts: not simulated on this machine; mount lists what is mounted');
    expect(say(g, 'mount -l -t ext4')).toBe('/dev/xvda1 on / type ext4 (rw,discard) [cloudimg-rootfs]\n/dev/xvdf on /data type ext4 (rw,noatime) [data]');
  });

  it("answers in util-linux 2.20.1's words, state unchanged", () => {
    const g = game();
    const before = JSON.stringify(blockOfGame(g).mounts);
    expect(say(g, 'mount /dev/xvdg /mnt')).toBe('mount: only root can do that');
    expect(say(g, 'sudo mount /dev/xvdh /mnt')).toBe('mount: special device /dev/xvdh does not exist');
    expect(say(g, 'sudo mount /dev/xvdg /nowhere')).toBe('mount: mount point /nowhere does not exist');
    expect(say(g, 'sudo mount /etc/passwd /mnt')).toBe("mount: /etc/passwd is not a block device (maybe try `-o loop')");
    expect(say(g, 'sudo mount /dev/xvdg /mnt')).toBe(
      'mount: wrong fs type, bad option, bad superblock on /dev/xvdg,\n       missing codepage or helper program, or other error\n       In some cases useful info is found in syslog - try\n       dmesg | tail  or so\n',
    );
    expect(say(g, 'sudo mount /dev/xvdf /mnt')).toBe('mount: /dev/xvdf already mounted or /mnt busy\nmount: according to mtab, /dev/xvdf is mounted on /data');
    expect(say(g, 'sudo mount -t foofs /dev/xvdf /mnt')).toBe("mount: unknown filesystem type 'foofs'");
    expect(say(g, 'sudo mount -q')).toContain("mount: invalid option -- 'q'\nUsage: mount -V");
    g.step('sudo mount /dev/xvdh /mnt; echo $?');
    expect(say(g, 'sudo mount /dev/xvdh /mnt; echo $?')).toBe('mount: special device /dev/xvdh does not exist\n32');
    expect(JSON.stringify(blockOfGame(g).mounts)).toBe(before);
  });
});

describe('umount', () => {
  it('refuses while a program holds files there, unmounts once it is gone, and the files come back with the mount', () => {
    const g = game();
    expect(say(g, 'sudo umount /data')).toBe('umount: /data: device is busy.\n        (In some cases useful info about processes that use\n         the device is found by lsof(8) or fuser(1))');
    expect(say(g, 'sudo umount /dev/xvdf')).toBe('umount: /data: device is busy.\n        (In some cases useful info about processes that use\n         the device is found by lsof(8) or fuser(1))');
    expect(say(g, 'umount /data')).toBe('umount: /data is not in the fstab (and you are not root)');
    expect(say(g, 'sudo umount /mnt')).toBe('umount: /mnt: not mounted');
    expect(say(g, 'sudo umount /nowhere')).toBe('umount: /nowhere: not found');
    const pid = worldOf(g).writer.pid;
    say(g, `sudo kill -9 ${pid}`);
    expect(say(g, 'sudo umount /data')).toBe('');
    // nothing dirty is left behind: umount synced the device first
    expect(blockOfGame(g).dirtyPages).toBe(0);
    expect(say(g, 'ls /data')).toBe('');
    expect(say(g, 'sudo mount /dev/xvdf /mnt')).toBe('');
    expect(say(g, 'ls /mnt /mnt/log')).toBe('/mnt:\nlog  lost+found\n\n/mnt/log:\napp.log');
    expect(say(g, 'mount | tail -1')).toBe('/dev/xvdf on /mnt type ext4 (rw)');
    expect(say(g, 'dmesg | tail -1')).toMatch(/^\[ *\d+\.\d{6}\] EXT4-fs \(xvdf\): mounted filesystem with ordered data mode\. Opts: \(null\)$/);
  });
});

describe('the page cache as the spells see it', () => {
  it('Dirty moves with the load, sync drains it, and writes after sync dirty pages again', () => {
    const g = game();
    const dirty = (): number => Number(/Dirty:\s+(\d+) kB/.exec(say(g, 'grep -e Dirty -e Writeback /proc/meminfo'))![1]);
    const seen = new Set<number>();
    for (let i = 0; i < 8; i++) {
      seen.add(dirty());
      say(g, 'sleep 5');
    }
    // the writer dirties 6 KiB a second; the flusher takes what is 30 s old every 5 s
    expect(seen.size).toBeGreaterThan(3);
    expect(Math.max(...seen)).toBeGreaterThan(100);
    say(g, 'sync');
    expect(blockOfGame(g).writebackPages).toBe(0);
    const after = dirty();
    expect(after).toBeLessThanOrEqual(8);
    say(g, 'sleep 3');
    expect(dirty()).toBeGreaterThan(after);
  });

  it('vm.dirty_* are sysctl knobs with the kernel defaults, and setting one is obeyed', () => {
    const g = game();
    expect(say(g, 'sysctl vm.dirty_expire_centisecs vm.dirty_writeback_centisecs vm.dirty_background_ratio vm.dirty_ratio vm.dirty_background_bytes vm.dirty_bytes')).toBe(
      'vm.dirty_expire_centisecs = 3000\nvm.dirty_writeback_centisecs = 500\nvm.dirty_background_ratio = 10\nvm.dirty_ratio = 20\nvm.dirty_background_bytes = 0\nvm.dirty_bytes = 0',
    );
    expect(say(g, 'sudo sysctl -w vm.dirty_background_bytes=8192')).toBe('vm.dirty_background_bytes = 8192');
    expect(say(g, 'sysctl vm.dirty_background_ratio')).toBe('vm.dirty_background_ratio = 0');
    say(g, 'sleep 10');
    // past two pages dirty, background write-back starts at once
    expect(blockOfGame(g).dirtyPages).toBeLessThanOrEqual(2);
  });

  it('hexdump reads a file as programs do (the page cache first) and a device as the device holds it', () => {
    const g = game();
    expect(say(g, 'hexdump -C -n 32 /data/log/app.log')).toBe(
      '00000000  72 65 63 6f 72 64 20 30  0a 2e 2e 2e 2e 2e 2e 2e  |record 0........|\n00000010  2e 2e 2e 2e 2e 2e 2e 2e  2e 2e 2e 2e 2e 2e 2e 2e  |................|\n00000020',
    );
    expect(say(g, 'hexdump -C -s 6144 -n 9 /data/log/app.log')).toBe('00001800  72 65 63 6f 72 64 20 31  0a                       |record 1.|\n00001809');
    // ext4's magic at byte 1080 of the device
    expect(say(g, 'sudo hexdump -C -s 1080 -n 2 /dev/xvdf')).toBe('00000438  53 ef                                             |S.|\n0000043a');
    expect(say(g, 'hexdump -C /dev/xvdf')).toBe('hexdump: /dev/xvdf: Permission denied');
    expect(say(g, 'hexdump -C /nope')).toBe('hexdump: /nope: No such file or directory');
    expect(say(g, 'echo hi | hexdump -C')).toBe('00000000  68 69 0a                                          |hi.|\n00000003');
    // without -C: little-endian 16-bit words, the odd byte zero-extended, the missing words left blank
    expect(say(g, 'echo hi | hexdump')).toBe('0000000 6968 000a' + ' '.repeat(30) + '\n0000003');
  });
});

describe('lsblk, blockdev, iostat, /proc/diskstats, df', () => {
  it('lsblk lists the disks with their numbers, sizes and mount points', () => {
    const g = game();
    expect(say(g, 'lsblk')).toBe('NAME MAJ:MIN RM   SIZE RO TYPE MOUNTPOINT\nxvdf 202:80   0   256M  0 disk /data\nxvdg 202:96   0    64M  0 disk ');
    expect(say(g, 'lsblk -f')).toBe('NAME FSTYPE LABEL MOUNTPOINT\nxvdf ext4   data  /data\nxvdg              ');
    expect(say(g, 'lsblk -b /dev/xvdg')).toBe('NAME MAJ:MIN RM     SIZE RO TYPE MOUNTPOINT\nxvdg 202:96   0 67108864  0 disk ');
    expect(say(g, 'lsblk /dev/xvdh')).toBe('lsblk: /dev/xvdh: not a block device');
  });

  it('sync --help is coreutils 8.21\'s', () => {
    const g = game();
    expect(say(g, 'sync --help')).toBe(
      "Usage: sync [OPTION]\nForce changed blocks to disk, update the super block.\n\n      --help     display this help and exit\n      --version  output version information and exit\n\nGNU coreutils online help: <http://www.gnu.org/software/coreutils/>\nFor complete documentation, run: info coreutils 'sync invocation'",
    );
    expect(say(g, 'sync -x')).toBe("sync: invalid option -- 'x'\nTry 'sync --help' for more information.");
  });

  it('blockdev answers root about a device', () => {
    const g = game();
    expect(say(g, 'sudo blockdev --getsize64 /dev/xvdf')).toBe('268435456');
    expect(say(g, 'sudo blockdev --getsz --getss --getbsz /dev/xvdg')).toBe('131072\n512\n4096');
    expect(say(g, 'blockdev --getsize64 /dev/xvdf')).toBe('blockdev: cannot open /dev/xvdf: Permission denied');
    expect(say(g, 'sudo blockdev --getsize64 /dev/xvdh')).toBe('blockdev: cannot open /dev/xvdh: No such file or directory');
    expect(say(g, 'sudo blockdev --frob /dev/xvdf')).toContain('blockdev: Unknown command: --frob\n\nUsage:\n blockdev -V\n');
    expect(say(g, 'sudo blockdev --report /dev/xvdg')).toBe('RO    RA   SSZ   BSZ   StartSec            Size   Device\nrw   256   512  4096          0        67108864   /dev/xvdg');
  });

  it("iostat's counters are /proc/diskstats', and its clock moves between reports", () => {
    const g = game();
    const ds = say(g, 'grep xvdf /proc/diskstats').trim().split(/\s+/).map(Number);
    const [, , , , , , , , writes, , sectors] = [0, ...ds];
    expect(writes).toBeGreaterThan(0);
    const out = say(g, 'iostat -d');
    expect(out.split('\n')[0]).toMatch(/^Linux 3\.13\.0-\d+-generic \(beacon-1\) \t05\/11\/2015 \t_x86_64_\t\(1 CPU\)$/);
    const row = out.split('\n').find((l) => l.startsWith('xvdf'))!;
    expect(Number(row.trim().split(/\s+/)[5])).toBe(Math.floor(sectors / 2));
    expect(out).not.toContain('xvdg');
    const t0 = worldOf(g).now;
    const two = say(g, 'iostat -dx xvdf 10 2');
    expect(worldOf(g).now - t0).toBeGreaterThanOrEqual(10_000);
    expect(two.split('Device:').length).toBe(3);
    expect(say(g, 'iostat 5')).toBe('iostat: without a COUNT after the interval this repeats until interrupted, which a line here cannot wait for; give a COUNT after the interval');
    expect(say(g, 'iostat -Q')).toContain('Usage: iostat [ options ] [ <interval> [ <count> ] ]');
  });

  it('df shows the mounted volume with what its files take', () => {
    const g = game();
    const row = say(g, 'df -h').split('\n').find((l) => l.startsWith('/dev/xvdf'))!;
    expect(row).toMatch(/^\/dev\/xvdf\s+256M\s+\S+\s+\S+\s+\d+% \/data$/);
    const k = say(g, 'df').split('\n').find((l) => l.startsWith('/dev/xvdf'))!.split(/\s+/);
    // 65536 blocks less the 128 the metadata takes, in 1K blocks; 5 % kept for root
    expect(Number(k[1])).toBe((65536 - 128) * 4);
    expect(Number(k[1]) - Number(k[2]) - Number(k[3])).toBe(Math.floor(65536 * 0.05) * 4);
  });
});

describe('files on a block filesystem through the shell', () => {
  it('cat reads them, a write to an existing file goes through the page cache', () => {
    const g = game();
    expect(say(g, 'head -c 8 /data/log/app.log')).toBe('record 0');
    const dirty0 = blockOfGame(g).dirtyPages;
    // one line: blkwriter appends its next record a second later
    expect(say(g, 'echo "hello" | sudo tee -a /data/log/app.log > /dev/null; tail -c 6 /data/log/app.log')).toBe('hello');
    expect(blockOfGame(g).dirtyPages).toBeGreaterThanOrEqual(dirty0);
    expect(say(g, 'ls -l /data/log/app.log')).toMatch(/^-rw-r--r-- 1 root root \d+ May 11 22:1\d \/data\/log\/app\.log$/);
  });
});
