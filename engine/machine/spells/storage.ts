/**
 * Spells for the block layer: mount and umount (util-linux 2.20.1), sync (coreutils 8.21),
 * hexdump (bsdmainutils 9.0.5), iostat (sysstat 10.2.0), lsblk and blockdev (util-linux 2.20.1).
 * On a machine whose kernel has no block subsystem they still answer: mount lists the box's own
 * filesystems, sync returns at once, lsblk and iostat find no devices of the block layer.
 */
import { blockStateOf, deviceOf, diskStatsAt, fs as blockFs, readDevice, syncDevice, type BlockDevice } from '../../kernel/block';
import { formatHexdumpC, formatHexdumpWords, formatIostatReport, formatLsblk, formatMountList, iostatBanner, lsblkSize, type IostatOptions, type IostatSample, type LsblkColumn, type MtabEntry } from '../../formats/storage';
import { defineCommand } from '../../shell/commands/define';
import type { CommandContext, CommandResult, CommandSpec } from '../../shell/types';
import { normalizePath } from '../../vfs/path';
import { blockFileBytes, blockMountOf, blockSync, charsToBytes, machineBacking, resolveBlockPath, isBusy } from '../blockfs';
import { klog } from '../../kernel/logs';
import { cpuTicks } from '../load';
import type { MachineWorld } from '../world';
import type { MachineContext } from './context';
import { endlessRepeat, runRepeat } from './repeat';

const res = (stdout: string, stderr = '', code = 0): CommandResult => ({ stdout, stderr, code });
const args = (ctx: CommandContext) => ctx.argv.slice(1);

/** the box's own mounts as trusty's /etc/mtab lists them (mountall and upstart), before any the player adds */
export const BASE_MTAB: ReadonlyArray<MtabEntry> = [
  { source: '/dev/xvda1', target: '/', type: 'ext4', options: 'rw,discard' },
  { source: 'proc', target: '/proc', type: 'proc', options: 'rw,noexec,nosuid,nodev' },
  { source: 'sysfs', target: '/sys', type: 'sysfs', options: 'rw,noexec,nosuid,nodev' },
  { source: 'none', target: '/sys/fs/cgroup', type: 'tmpfs', options: 'rw' },
  { source: 'none', target: '/sys/fs/fuse/connections', type: 'fusectl', options: 'rw' },
  { source: 'none', target: '/sys/kernel/debug', type: 'debugfs', options: 'rw' },
  { source: 'none', target: '/sys/kernel/security', type: 'securityfs', options: 'rw' },
  { source: 'udev', target: '/dev', type: 'devtmpfs', options: 'rw,mode=0755' },
  { source: 'devpts', target: '/dev/pts', type: 'devpts', options: 'rw,noexec,nosuid,gid=5,mode=0620' },
  { source: 'tmpfs', target: '/run', type: 'tmpfs', options: 'rw,noexec,nosuid,size=10%,mode=0755' },
  { source: 'none', target: '/run/lock', type: 'tmpfs', options: 'rw,noexec,nosuid,nodev,size=5242880' },
  { source: 'none', target: '/run/shm', type: 'tmpfs', options: 'rw,nosuid,nodev' },
  { source: 'none', target: '/run/user', type: 'tmpfs', options: 'rw,noexec,nosuid,nodev,size=104857600,mode=0755' },
  { source: 'none', target: '/sys/fs/pstore', type: 'pstore', options: 'rw' },
  { source: 'systemd', target: '/sys/fs/cgroup/systemd', type: 'cgroup', options: 'rw,noexec,nosuid,nodev,none,name=systemd' },
];
/** the root filesystem's label on Ubuntu's cloud images (mount -l) */
const ROOT_LABEL = 'cloudimg-rootfs';

/** the mtab: the box's own, then the block layer's in mount order */
export function mtab(w: MachineWorld): MtabEntry[] {
  const b = blockStateOf(w.k);
  return [...BASE_MTAB, ...(b?.mounts ?? []).map((m) => ({ source: `/dev/${m.dev}`, target: m.dir, type: m.fstype, options: m.options.join(',') }))];
}

interface FstabEntry {
  spec: string;
  file: string;
  type: string;
  options: string[];
}

function fstab(w: MachineWorld): FstabEntry[] {
  const out: FstabEntry[] = [];
  for (const line of (w.files.files['/etc/fstab']?.content ?? '').split('\n')) {
    const f = line.replace(/#.*/, '').trim().split(/\s+/);
    if (f.length >= 3 && f[0] !== '') out.push({ spec: f[0], file: f[1], type: f[2], options: (f[3] ?? 'defaults').split(',') });
  }
  return out;
}

const MOUNT_USAGE =
  'Usage: mount -V                 : print version\n' +
  '       mount -h                 : print this help\n' +
  '       mount                    : list mounted filesystems\n' +
  '       mount -l                 : idem, including volume labels\n' +
  'So far the informational part. Next the mounting.\n' +
  "The command is `mount [-t fstype] something somewhere'.\n" +
  'Details found in /etc/fstab may be omitted.\n' +
  '       mount -a [-t|-O] ...     : mount all stuff from /etc/fstab\n' +
  '       mount device             : mount device at the known place\n' +
  '       mount directory          : mount known device here\n' +
  '       mount -t type dev dir    : ordinary mount command\n' +
  'Note that one does not really mount a device, one mounts\n' +
  'a filesystem (of the given type) found on the device.\n' +
  'One can also mount an already visible directory tree elsewhere:\n' +
  '       mount --bind olddir newdir\n' +
  'or move a subtree:\n' +
  '       mount --move olddir newdir\n' +
  'One can change the type of mount containing the directory dir:\n' +
  '       mount --make-shared dir\n' +
  '       mount --make-slave dir\n' +
  '       mount --make-private dir\n' +
  '       mount --make-unbindable dir\n' +
  'One can change the type of all the mounts in a mount subtree\n' +
  'containing the directory dir:\n' +
  '       mount --make-rshared dir\n' +
  '       mount --make-rslave dir\n' +
  '       mount --make-rprivate dir\n' +
  '       mount --make-runbindable dir\n' +
  'A device can be given by name, say /dev/hda1 or /dev/cdrom,\n' +
  'or by label, using  -L label  or by uuid, using  -U uuid .\n' +
  'Other options: [-nfFrsvw] [-o options] [-p passwdfd].\n' +
  'For many more details, say  man 8 mount .\n';

/** EX_FAIL: what mount returns when the mount itself failed */
const EX_FAIL = 32;
/** types the kernel knows (/proc/filesystems of trusty's 3.13): any of them other than ext4 refuses an ext4 superblock */
const KNOWN_TYPES = new Set(['ext2', 'ext3', 'ext4', 'xfs', 'btrfs', 'vfat', 'msdos', 'iso9660', 'tmpfs', 'ramfs', 'squashfs', 'fuseblk', 'jfs', 'reiserfs', 'nfs', 'nfs4', 'cifs', 'udf', 'hfs', 'hfsplus', 'minix', 'ntfs', 'qnx4', 'ufs']);
/** options mount(8) turns into MS_* flags rather than passing to the filesystem */
const GENERIC_OPTIONS = new Set(['rw', 'ro', 'noatime', 'atime', 'nodiratime', 'diratime', 'relatime', 'norelatime', 'strictatime', 'nosuid', 'suid', 'nodev', 'dev', 'noexec', 'exec', 'sync', 'async', 'dirsync', 'mand', 'nomand', 'auto', 'noauto', 'user', 'nouser', 'users', 'defaults', 'nofail', 'nobootwait']);
/** the trees the machine itself provides: a mount over them is not simulated */
const OWN_TREES = ['/proc', '/sys', '/dev', '/run', '/var/log'];

function normaliseOptions(given: string[], readOnly: boolean): string[] {
  let ro = readOnly;
  const rest: string[] = [];
  for (const o of given) {
    if (o === 'ro') ro = true;
    else if (o === 'rw') ro = false;
    else if (o !== 'defaults' && o !== '' && !rest.includes(o)) rest.push(o);
  }
  return [ro ? 'ro' : 'rw', ...rest];
}

function mountSpell(c: MachineContext): CommandSpec {
  return defineCommand({
    name: 'mount',
    summary: 'list mounted filesystems, or mount one',
    category: 'files',
    argKind: 'path',
    completions: ['-t', '-o', '-l', '-r', '-w'],
    synopsis: ['mount [-l] [-t TYPE]', 'mount [-t TYPE] [-o OPTIONS] DEVICE DIR', 'mount DEVICE|DIR   (as /etc/fstab says)'],
    description: [
      "Without arguments, lists every mounted filesystem as /etc/mtab has it: the device, where it is mounted, its type and the options it was mounted with. With a device and a directory (as root), mounts the device's filesystem there, so its files appear under the directory.",
      'A volume attached to the instance appears as a block device (/dev/xvdf, /dev/xvdh...); lsblk lists them. A device with no filesystem, or one not attached, cannot be mounted: mount says which.',
    ],
    options: [
      ['-l', 'also show each filesystem\'s label'],
      ['-t TYPE', 'the filesystem type (ext4 here); with no device, list only filesystems of that type'],
      ['-o OPTIONS', 'comma-separated mount options: ro, rw, noatime...'],
      ['-r, -w', 'mount read-only, read-write'],
    ],
    examples: [
      ['mount', 'what is mounted where'],
      ['sudo mount /dev/xvdh /mnt/restore', 'mount a restored volume to look at its files'],
    ],
    run: (ctx) => {
      const a = args(ctx);
      let type: string | undefined;
      const opts: string[] = [];
      let labels = false;
      let readOnly = false;
      let all = false;
      const pos: string[] = [];
      for (let i = 0; i < a.length; i++) {
        const x = a[i];
        if (x === '-V' || x === '--version') return res('mount from util-linux 2.20.1 (with libblkid and selinux support)\n');
        if (x === '-h' || x === '--help') return res(MOUNT_USAGE);
        if (x === '--bind' || x === '--move' || x.startsWith('--make-') || x === '-L' || x === '-U') return res('', `mount: ${x} is not simulated on this machine\n`, 1);
        if (x === '-t' || x === '--types' || x === '-o' || x === '--options') {
          const v = a[++i];
          if (v === undefined) return res('', `mount: option requires an argument -- '${x.replace(/^-+/, '')[0]}'\n${MOUNT_USAGE}`, 1);
          if (x === '-t' || x === '--types') type = v;
          else opts.push(...v.split(','));
          continue;
        }
        const tm = /^-t(.+)$/.exec(x);
        if (tm) {
          type = tm[1];
          continue;
        }
        const om = /^-o(.+)$/.exec(x);
        if (om) {
          opts.push(...om[1].split(','));
          continue;
        }
        if (/^-[a-zA-Z]+$/.test(x)) {
          for (const ch of x.slice(1)) {
            if (ch === 'l') labels = true;
            else if (ch === 'r') readOnly = true;
            else if (ch === 'w') readOnly = false;
            else if (ch === 'a') all = true;
            else if (ch === 'n' || ch === 'v' || ch === 'f' || ch === 's') continue;
            else return res('', `mount: invalid option -- '${ch}'\n${MOUNT_USAGE}`, 1);
          }
          continue;
        }
        if (x.startsWith('--')) return res('', `mount: unrecognized option '${x}'\n${MOUNT_USAGE}`, 1);
        pos.push(x);
      }
      const w = c.world();
      if (pos.length === 0 && !all) {
        if (opts.length > 0) return res('', MOUNT_USAGE, 1);
        const types = type?.split(',');
        const shown = mtab(w).filter((e) => !types || types.includes(e.type));
        if (!labels) return res(formatMountList(shown));
        return res(
          shown
            .map((e) => {
              const dev = e.source.startsWith('/dev/xvd') ? e.source.slice(5) : null;
              const label = e.source === '/dev/xvda1' ? ROOT_LABEL : dev && blockStateOf(w.k)?.fs[dev] ? blockStateOf(w.k)!.fs[dev].label : '';
              return formatMountList([e]).replace(/\n$/, label ? ` [${label}]\n` : '\n');
            })
            .join(''),
        );
      }
      if (all) return res('', 'mount: -a is not simulated on this machine: mount each filesystem by name\n', 1);
      const root = ctx.user === 'root';
      if (!root && (type !== undefined || opts.length > 0 || pos.length !== 1)) return res('', 'mount: only root can do that\n', 1);
      let spec: string;
      let dir: string;
      if (pos.length === 1) {
        const one = pos[0];
        const abs = normalizePath(one, ctx.cwd);
        const e = fstab(w).find((f) => f.spec === one || f.file === abs || normalizePath(f.spec, ctx.cwd) === abs);
        if (!e) return res('', `mount: can't find ${one} in /etc/fstab or /etc/mtab\n`, 1);
        if (!root && !e.options.some((o) => o === 'user' || o === 'users')) return res('', `mount: only root can mount ${e.spec} on ${e.file}\n`, 1);
        spec = e.spec;
        dir = e.file;
        type ??= e.type;
        opts.push(...e.options.filter((o) => o !== 'user' && o !== 'users' && o !== 'nofail' && o !== 'nobootwait'));
      } else if (pos.length === 2) {
        spec = pos[0];
        dir = normalizePath(pos[1], ctx.cwd);
      } else return res('', MOUNT_USAGE, 1);
      return doMount(c, ctx, spec, dir, type, normaliseOptions(opts, readOnly));
    },
  });
}

function doMount(c: MachineContext, ctx: CommandContext, spec: string, dir: string, type: string | undefined, options: string[]): CommandResult {
  const w = c.world();
  const fail = (msg: string): CommandResult => res('', msg, EX_FAIL);
  if (type !== undefined && type !== 'auto' && !KNOWN_TYPES.has(type)) return fail(`mount: unknown filesystem type '${type}'\n`);
  const node = ctx.env.fs.stat(dir);
  if (!node.ok) return fail(`mount: mount point ${dir} does not exist\n`);
  if (node.value.type !== 'dir') return fail(`mount: mount point ${dir} is not a directory\n`);
  if (OWN_TREES.some((t) => dir === t || dir.startsWith(t + '/')) || dir === '/') return res('', `mount: mounting over ${dir} is not simulated on this machine\n`, EX_FAIL);
  const specPath = normalizePath(spec, ctx.cwd);
  const b = blockStateOf(w.k);
  const dev = specPath.startsWith('/dev/') && b ? deviceOf(w.k, specPath) : undefined;
  if (!dev) {
    const st = ctx.env.fs.stat(specPath);
    if (!st.ok) return fail(`mount: special device ${spec} does not exist\n`);
    return fail(st.value.type === 'file' ? `mount: ${spec} is not a block device (maybe try \`-o loop')\n` : `mount: ${spec} is not a block device\n`);
  }
  const onDir = b!.mounts.find((m) => m.dir === dir);
  const devMount = b!.mounts.find((m) => m.dev === dev.name);
  if (onDir || devMount) {
    const why = onDir ? `mount: according to mtab, /dev/${onDir.dev} is already mounted on ${dir}\n` : `mount: according to mtab, ${specPath} is mounted on ${devMount!.dir}\n`;
    return fail(`mount: ${specPath} already mounted or ${dir} busy\n${why}`);
  }
  const backing = machineBacking(w);
  const hasFs = blockFs.readImage(backing(dev.backingId)) !== null;
  if (!hasFs || (type !== undefined && type !== 'auto' && type !== 'ext4')) {
    return fail(`mount: wrong fs type, bad option, bad superblock on ${specPath},\n       missing codepage or helper program, or other error\n       In some cases useful info is found in syslog - try\n       dmesg | tail  or so\n\n`);
  }
  const r = blockFs.mount(w.k, dev.name, dir, options, w.now, backing);
  if (!r.ok) return fail(`mount: ${specPath} already mounted or ${dir} busy\n`);
  // ext4_fill_super's last word; the options it names are those mount(8) passes as data, not the generic flags
  const data = options.filter((o) => !GENERIC_OPTIONS.has(o)).join(',');
  klog(w.logs, w.k.bootTime, w.now, 6, `EXT4-fs (${dev.name}): mounted filesystem with ordered data mode. Opts: ${data || '(null)'}`);
  return res('');
}

function umountSpell(c: MachineContext): CommandSpec {
  return defineCommand({
    name: 'umount',
    summary: 'unmount a filesystem',
    category: 'files',
    argKind: 'path',
    synopsis: ['umount DIR|DEVICE...'],
    description: [
      'Detaches the filesystem mounted at DIR (or from DEVICE): its dirty pages are written to the device first, so umount returns only when the device has them. It refuses while a program has files open there, or your shell sits in it.',
    ],
    examples: [['sudo umount /mnt/restore', 'let go of a restored volume before detaching it']],
    run: (ctx) => {
      const w = c.world();
      const targets = args(ctx).filter((x) => !/^-[nvrlf]+$/.test(x));
      const bad = args(ctx).find((x) => x.startsWith('-') && !/^-[nvrlf]+$/.test(x));
      if (bad) return res('', `umount: ${bad} is not simulated on this machine\n`, 1);
      if (targets.length === 0) return res('', 'Usage: umount -h | -V\n       umount -a [-d] [-f] [-r] [-n] [-v] [-t vfstypes] [-O opts]\n       umount [-d] [-f] [-r] [-n] [-v] special | node...\n', 1);
      let err = '';
      let code = 0;
      for (const t of targets) {
        const p = normalizePath(t, ctx.cwd);
        const b = blockStateOf(w.k);
        const m = b?.mounts.find((x) => x.dir === p || `/dev/${x.dev}` === p);
        const base = BASE_MTAB.find((e) => e.target === p || e.source === p);
        if (ctx.user !== 'root') {
          if (!m && !base) return res('', `umount: ${p} is not mounted (according to mtab)\n`, 2);
          const dir = m ? m.dir : base!.target;
          const e = fstab(w).find((f) => f.file === dir);
          if (!e) return res('', `umount: ${p} is not in the fstab (and you are not root)\n`, 2);
          return res('', `umount: only root can unmount ${e.spec} from ${e.file}\n`, 2);
        }
        if (base && !m) {
          err += `umount: ${p}: unmounting the machine's own filesystems is not simulated here\n`;
          code = 1;
          continue;
        }
        if (!m) {
          err += ctx.env.fs.stat(p).ok ? `umount: ${p}: not mounted\n` : `umount: ${p}: not found\n`;
          code = 1;
          continue;
        }
        const inside = (path: string): boolean => path === m.dir || path.startsWith(m.dir + '/');
        if (inside(ctx.cwd) || isBusy(w, m)) {
          // complain() names the mount point, however the filesystem was named
          err += `umount: ${m.dir}: device is busy.\n        (In some cases useful info about processes that use\n         the device is found by lsof(8) or fuser(1))\n`;
          code = 1;
          continue;
        }
        const r = blockFs.umount(w.k, m.dir, w.now, machineBacking(w));
        if (r.ok && r.doneAt > w.now) c.advance(Math.ceil(r.doneAt - w.now));
      }
      return res('', err, code);
    },
  });
}

function syncSpell(c: MachineContext): CommandSpec {
  return defineCommand({
    name: 'sync',
    summary: 'write every dirty page to the disks, and wait',
    category: 'files',
    synopsis: ['sync'],
    description: [
      "Asks the kernel to write everything still dirty in the page cache to the devices, and returns when the devices have it (Linux's sync waits). Writes that come after it dirty pages again: sync is a moment, not a lock.",
    ],
    examples: [['sync; grep -e Dirty -e Writeback /proc/meminfo', 'watch the dirty pages drain']],
    run: (ctx) => {
      const a = args(ctx);
      if (a[0] === '--help') return res('Usage: sync [OPTION]\nForce changed blocks to disk, update the super block.\n\n      --help     display this help and exit\n      --version  output version information and exit\n\nGNU coreutils online help: <http://www.gnu.org/software/coreutils/>\nFor complete documentation, run: info coreutils \'sync invocation\'\n');
      if (a[0] === '--version') return res('sync (GNU coreutils) 8.21\nCopyright (C) 2013 Free Software Foundation, Inc.\nLicense GPLv3+: GNU GPL version 3 or later <http://gnu.org/licenses/gpl.html>.\nThis is free software: you are free to change and redistribute it.\nThere is NO WARRANTY, to the extent permitted by law.\n\nWritten by Jim Meyering.\n');
      const bad = a.find((x) => x.startsWith('-') && x !== '--');
      if (bad) {
        const msg = bad.startsWith('--') ? `sync: unrecognized option '${bad}'\n` : `sync: invalid option -- '${bad[1]}'\n`;
        return res('', `${msg}Try 'sync --help' for more information.\n`, 1);
      }
      const w = c.world();
      const doneAt = blockSync(w);
      if (doneAt > w.now) c.advance(Math.ceil(doneAt - w.now));
      return res('', a.some((x) => x !== '--') ? 'sync: ignoring all arguments\n' : '');
    },
  });
}

/** the bytes hexdump reads from one operand: a block filesystem's file or device from the block layer, else the VFS */
function hexInput(c: MachineContext, ctx: CommandContext, operand: string, skip: number, length: number): { bytes: Uint8Array; size: number } | { errno: string } {
  const w = c.world();
  const p = normalizePath(operand, ctx.cwd);
  if (blockStateOf(w.k)) {
    const dev = p.startsWith('/dev/') ? deviceOf(w.k, p) : undefined;
    if (dev) {
      if (ctx.user !== 'root') return { errno: 'Permission denied' };
      const len = Math.max(0, Math.min(length, dev.sizeBytes - skip));
      return { bytes: readDevice(w.k, dev.name, skip, len, machineBacking(w)), size: dev.sizeBytes };
    }
    if (blockMountOf(w, p)) {
      const f = resolveBlockPath(w, p);
      if ('errno' in f) return { errno: 'No such file or directory' };
      if (f.inode.kind === 'd') return { errno: 'Is a directory' };
      const st = ctx.env.fs.read(p, ctx.user);
      if (!st.ok && st.errno === 'EACCES') return { errno: 'Permission denied' };
      return { bytes: skip >= f.inode.size ? new Uint8Array(0) : blockFileBytes(w, f, skip, length), size: f.inode.size };
    }
  }
  const r = ctx.env.fs.read(p, ctx.user);
  if (!r.ok) return { errno: r.errno === 'ENOENT' ? 'No such file or directory' : r.errno === 'EACCES' ? 'Permission denied' : r.errno === 'EISDIR' ? 'Is a directory' : 'Invalid argument' };
  const stored = w.files.files[p];
  const all = stored?.bytes !== undefined ? Uint8Array.from(r.value, (ch) => ch.charCodeAt(0) & 0xff) : charsToBytes(r.value);
  return { bytes: all.subarray(Math.min(skip, all.length), Math.min(all.length, skip + length)), size: all.length };
}

/** hexdump's -s: decimal, 0x hex or 0 octal, with b (512), k (1024) or m (1048576) after it */
function parseOffset(s: string): number | null {
  const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)([bkm]?)$/.exec(s);
  if (!m) return null;
  const n = m[1].startsWith('0x') || m[1].startsWith('0X') ? parseInt(m[1].slice(2), 16) : m[1].length > 1 && m[1].startsWith('0') ? parseInt(m[1], 8) : Number(m[1]);
  return n * (m[2] === 'b' ? 512 : m[2] === 'k' ? 1024 : m[2] === 'm' ? 1_048_576 : 1);
}

const HEXDUMP_USAGE = 'usage: hexdump [-bcCdovx] [-e fmt] [-f fmt_file] [-n length]\n               [-s skip] [file ...]\n       hd      [-bcdovx]  [-e fmt] [-f fmt_file] [-n length]\n               [-s skip] [file ...]\n';

function hexdumpSpell(c: MachineContext): CommandSpec {
  return defineCommand({
    name: 'hexdump',
    summary: "show a file's bytes in hexadecimal",
    category: 'files',
    argKind: 'path',
    completions: ['-C', '-n', '-s', '-v'],
    synopsis: ['hexdump [-C] [-v] [-n LENGTH] [-s OFFSET] [FILE]...'],
    description: [
      'Prints the bytes of the files (or of its input) in hexadecimal. With -C, sixteen bytes a line with their offset and, on the right, the printable ones as text (a dot for the others): the canonical way to look inside a binary file. A line equal to the one before is shown as a single *.',
      "A file on a mounted volume is read as a program reads it, the page cache first; a device (/dev/xvdf) is read as the device holds it.",
    ],
    options: [
      ['-C', 'canonical hex and text'],
      ['-n LENGTH', 'only LENGTH bytes'],
      ['-s OFFSET', 'skip OFFSET bytes first (0x for hex; k, m for KiB, MiB)'],
      ['-v', 'show repeated lines instead of *'],
    ],
    examples: [
      ['hexdump -C /data/db/events.0 | grep oints', 'find a field name in the raw data file'],
      ['hexdump -C -s 8192 -n 64 /data/db/events.0', 'the 64 bytes at offset 8192'],
    ],
    run: (ctx) => {
      const a = args(ctx);
      let canonical = false;
      let verbose = false;
      let skip = 0;
      let length = Infinity;
      const files: string[] = [];
      for (let i = 0; i < a.length; i++) {
        const x = a[i];
        if (x === '--') {
          files.push(...a.slice(i + 1));
          break;
        }
        if (!x.startsWith('-') || x === '-') {
          files.push(x);
          continue;
        }
        for (let j = 1; j < x.length; j++) {
          const ch = x[j];
          if (ch === 'C') canonical = true;
          else if (ch === 'v') verbose = true;
          else if (ch === 'n' || ch === 's') {
            const v = x.slice(j + 1) || a[++i];
            if (v === undefined) return res('', `hexdump: option requires an argument -- '${ch}'\n${HEXDUMP_USAGE}`, 1);
            if (ch === 'n') {
              const n = /^-?\d+/.exec(v) ? parseInt(v, 10) : 0;
              if (n < 0) return res('', `hexdump: ${v}: bad length value\n`, 1);
              length = n;
            } else {
              const o = parseOffset(v);
              if (o === null) return res('', `hexdump: ${v}: bad skip value\n`, 1);
              skip = o;
            }
            break;
          } else if ('bcdox'.includes(ch) || ch === 'e' || ch === 'f') return res('', `hexdump: -${ch} is not simulated here; use -C or no option\n`, 1);
          else return res('', `hexdump: invalid option -- '${ch}'\n${HEXDUMP_USAGE}`, 1);
        }
      }
      let data: Uint8Array;
      let err = '';
      if (files.length === 0) {
        const all = charsToBytes(ctx.stdin);
        data = all.subarray(Math.min(skip, all.length), Math.min(all.length, skip + length));
      } else {
        const parts: Uint8Array[] = [];
        let toSkip = skip;
        let left = length;
        for (const f of files) {
          const r = hexInput(c, ctx, f, toSkip, left);
          if ('errno' in r) {
            err += `hexdump: ${f}: ${r.errno}\n`;
            continue;
          }
          toSkip = Math.max(0, toSkip - r.size);
          left -= r.bytes.length;
          parts.push(r.bytes);
        }
        data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
        let at = 0;
        for (const p of parts) {
          data.set(p, at);
          at += p.length;
        }
      }
      const code = err ? 1 : 0;
      if (data.length === 0) return res(skip > 0 && !err ? (canonical ? `${skip.toString(16).padStart(8, '0')}\n` : `${skip.toString(16).padStart(7, '0')}\n`) : '', err, code);
      return res(canonical ? formatHexdumpC(data, skip, verbose) : formatHexdumpWords(data, skip, verbose), err, code);
    },
  });
}

// ---- iostat

function localDate(t: number): string {
  const d = new Date(t);
  return `${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}/${d.getUTCFullYear()}`;
}

function localTime(t: number): string {
  const d = new Date(t);
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${String(h12).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}:${String(d.getUTCSeconds()).padStart(2, '0')} ${h < 12 ? 'AM' : 'PM'}`;
}

function iostatSample(w: MachineWorld): IostatSample {
  const b = blockStateOf(w.k);
  return {
    uptimeMs: Math.max(0, w.now - w.k.bootTime),
    cpu: cpuTicks(w, w.now),
    disks: (b?.devices ?? []).map((d: BlockDevice) => ({ name: d.name, stats: diskStatsAt(w.k, d.name, w.now) })),
  };
}

const IOSTAT_USAGE =
  'Usage: iostat [ options ] [ <interval> [ <count> ] ]\n' +
  'Options are:\n' +
  '[ -c ] [ -d ] [ -h ] [ -k | -m ] [ -N ] [ -t ] [ -V ] [ -x ] [ -y ] [ -z ]\n' +
  '[ -j { ID | LABEL | PATH | UUID | ... } ]\n' +
  '[ [ -T ] -g <group_name> ] [ -p [ <device> [,...] | ALL ] ]\n' +
  '[ <device> [...] | ALL ]\n';

function iostatSpell(c: MachineContext): CommandSpec {
  return defineCommand({
    name: 'iostat',
    summary: 'CPU and disk I/O statistics',
    category: 'files',
    completions: ['-x', '-d', '-c', '-k', '-m', '-y', '-z', '-t'],
    synopsis: ['iostat [-c] [-d] [-x] [-k|-m] [-y] [-z] [-t] [DEVICE...] [INTERVAL [COUNT]]'],
    description: [
      'Reports CPU use and, for each disk that has done any I/O, its requests and throughput. The first report covers the time since boot; with INTERVAL and COUNT, each later one covers the interval before it, and the clock moves on by the interval between reports.',
      'With -x: merged requests per second (wrqm/s), requests (w/s), kB written per second, the average request size in sectors, the average queue length, how long requests took (await, in ms) and how busy the device was (%util).',
      "Only the devices of the block layer are listed: the root disk's own traffic is not simulated. Reads are not counted either: this page cache keeps no clean pages, so what a read would cost the device is not simulated; writes, merges, waits and utilisation are.",
    ],
    options: [
      ['-x', 'extended statistics'],
      ['-d, -c', 'only the devices, only the CPU'],
      ['-k, -m', 'kilobytes (the default) or megabytes'],
      ['-y', 'skip the report since boot'],
      ['-z', 'leave out devices idle in the interval'],
      ['-t', 'print the time of each report'],
    ],
    examples: [
      ['iostat -x 5 3', 'three reports five seconds apart (the first since boot)'],
      ['iostat -dx xvdf 1 10', 'watch one volume second by second'],
    ],
    run: (ctx) => {
      const a = args(ctx);
      const o: IostatOptions = { cpu: false, disk: false, extended: false, unit: 'kB', omitIdle: false, human: false, devices: [] };
      let skipFirst = false;
      let stamp = false;
      const nums: number[] = [];
      for (const x of a) {
        if (x === '-V') return res('sysstat version 10.2.0\n(C) Sebastien Godard (sysstat <at> orange.fr)\n');
        if (/^-[a-zA-Z]+$/.test(x)) {
          for (const ch of x.slice(1)) {
            if (ch === 'c') o.cpu = true;
            else if (ch === 'd') o.disk = true;
            else if (ch === 'x') o.extended = true;
            else if (ch === 'k') o.unit = 'kB';
            else if (ch === 'm') o.unit = 'MB';
            else if (ch === 'y') skipFirst = true;
            else if (ch === 'z') o.omitIdle = true;
            else if (ch === 'h') o.human = true;
            else if (ch === 't') stamp = true;
            else if ('NjgTp'.includes(ch)) return res('', `iostat: -${ch} is not simulated on this machine\n`, 1);
            else return res('', IOSTAT_USAGE, 1);
          }
          continue;
        }
        if (/^\d+$/.test(x)) {
          nums.push(Number(x));
          continue;
        }
        if (x.startsWith('-')) return res('', IOSTAT_USAGE, 1);
        if (nums.length > 0) return res('', IOSTAT_USAGE, 1);
        if (x !== 'ALL') o.devices.push(x.replace(/^\/dev\//, ''));
      }
      if (!o.cpu && !o.disk) o.cpu = o.disk = true;
      if (nums.length > 2 || nums[0] === 0 && nums.length === 2) return res('', IOSTAT_USAGE, 1);
      const interval = nums[0];
      const w = c.world();
      const banner = iostatBanner(w.k.release, w.p.hostname, localDate(w.now), Math.max(1, w.k.cpus));
      const ts = (): string => (stamp ? `${localDate(c.world().now)} ${localTime(c.world().now)}\n` : '');
      if (interval === undefined || interval === 0) return res(banner + ts() + formatIostatReport(null, iostatSample(w), o));
      if (nums.length < 2) return endlessRepeat('iostat', 'a COUNT after the interval');
      const count = nums[1];
      let prev: IostatSample | null = skipFirst ? iostatSample(w) : null;
      if (skipFirst) c.advance(interval * 1000);
      const r = runRepeat(c, ctx, {
        tool: 'iostat',
        count,
        intervalMs: interval * 1000,
        between: '',
        frame: () => {
          const cur = iostatSample(c.world());
          const out = ts() + formatIostatReport(prev, cur, o);
          prev = cur;
          return out;
        },
      });
      return r.code === 0 ? { ...r, stdout: banner + r.stdout } : r;
    },
  });
}

// ---- lsblk and blockdev

const LSBLK_COLS: Record<string, LsblkColumn> = {
  NAME: { name: 'NAME', hint: 0.25, right: false },
  'MAJ:MIN': { name: 'MAJ:MIN', hint: 6, right: false },
  RM: { name: 'RM', hint: 1, right: true },
  SIZE: { name: 'SIZE', hint: 6, right: true },
  RO: { name: 'RO', hint: 1, right: true },
  TYPE: { name: 'TYPE', hint: 4, right: false },
  MOUNTPOINT: { name: 'MOUNTPOINT', hint: 0.1, right: false },
  FSTYPE: { name: 'FSTYPE', hint: 0.1, right: false },
  LABEL: { name: 'LABEL', hint: 0.1, right: false },
};

function lsblkSpell(c: MachineContext): CommandSpec {
  return defineCommand({
    name: 'lsblk',
    summary: 'list block devices',
    category: 'files',
    completions: ['-f', '-b', '-n'],
    synopsis: ['lsblk [-f] [-b] [-n] [DEVICE...]'],
    description: ['Lists the disks the kernel sees (an attached EBS volume appears as /dev/xvdf, /dev/xvdg...), with their major:minor numbers, size, and where they are mounted.'],
    options: [
      ['-f', 'the filesystem type and label instead'],
      ['-b', 'sizes in bytes'],
      ['-n', 'no header line'],
    ],
    examples: [['lsblk', 'which volumes are attached, and mounted where']],
    run: (ctx) => {
      const w = c.world();
      let bytes = false;
      let headings = true;
      let fsCols = false;
      const wanted: string[] = [];
      for (const x of args(ctx)) {
        if (/^-[a-zA-Z]+$/.test(x)) {
          for (const ch of x.slice(1)) {
            if (ch === 'b') bytes = true;
            else if (ch === 'n') headings = false;
            else if (ch === 'f') fsCols = true;
            else if (ch === 'a' || ch === 'd' || ch === 'l' || ch === 'i') continue;
            else if ('DmtorPe'.includes(ch)) return res('', `lsblk: -${ch} is not simulated on this machine\n`, 1);
            else return res('', `lsblk: invalid option -- '${ch}'\n`, 1);
          }
          continue;
        }
        wanted.push(x);
      }
      const b = blockStateOf(w.k);
      const devices = [...(b?.devices ?? [])];
      let err = '';
      let shown = devices;
      if (wanted.length > 0) {
        shown = [];
        for (const x of wanted) {
          const d = x.startsWith('/dev/') ? devices.find((y) => `/dev/${y.name}` === x) : undefined;
          if (!d) {
            err += `lsblk: ${x}: not a block device\n`;
            continue;
          }
          shown.push(d);
        }
      }
      const mountOf = (d: BlockDevice): string => b?.mounts.find((m) => m.dev === d.name)?.dir ?? (d.name === 'xvda1' ? '/' : '');
      const cols = fsCols ? ['NAME', 'FSTYPE', 'LABEL', 'MOUNTPOINT'] : ['NAME', 'MAJ:MIN', 'RM', 'SIZE', 'RO', 'TYPE', 'MOUNTPOINT'];
      const backing = machineBacking(w);
      const rows = shown.map((d) =>
        cols.map((col) => {
          if (col === 'NAME') return d.name;
          if (col === 'MAJ:MIN') return `${String(d.major).padStart(3)}:${String(d.minor).padEnd(3)}`;
          if (col === 'RM' || col === 'RO') return '0';
          if (col === 'SIZE') return bytes ? String(d.sizeBytes) : lsblkSize(d.sizeBytes);
          if (col === 'TYPE') return 'disk';
          if (col === 'MOUNTPOINT') return mountOf(d);
          const img = b?.fs[d.name] ?? blockFs.readImage(backing(d.backingId));
          if (col === 'FSTYPE') return img ? 'ext4' : '';
          return img?.label ?? '';
        }),
      );
      if (shown.length === 0) return res('', err, err ? 1 : 0);
      return res(formatLsblk(cols.map((n) => LSBLK_COLS[n]), rows, headings), err, err ? 1 : 0);
    },
  });
}

const BLOCKDEV_COMMANDS: ReadonlyArray<[string, string | null, string]> = [
  ['--setro', null, 'set read-only'],
  ['--setrw', null, 'set read-write'],
  ['--getro', null, 'get read-only'],
  ['--getdiscardzeroes', null, 'get discard zeroes support status'],
  ['--getss', null, 'get logical block (sector) size'],
  ['--getpbsz', null, 'get physical block (sector) size'],
  ['--getiomin', null, 'get minimum I/O size'],
  ['--getioopt', null, 'get optimal I/O size'],
  ['--getalignoff', null, 'get alignment offset in bytes'],
  ['--getmaxsect', null, 'get max sectors per request'],
  ['--getbsz', null, 'get blocksize'],
  ['--setbsz', '<bytes>', 'set blocksize'],
  ['--getsize', null, 'get 32-bit sector count (deprecated, use --getsz)'],
  ['--getsize64', null, 'get size in bytes'],
  ['--setra', '<sectors>', 'set readahead'],
  ['--getra', null, 'get readahead'],
  ['--setfra', '<sectors>', 'set filesystem readahead'],
  ['--getfra', null, 'get filesystem readahead'],
  ['--flushbufs', null, 'flush buffers'],
  ['--rereadpt', null, 'reread partition table'],
];

const BLOCKDEV_USAGE =
  '\nUsage:\n blockdev -V\n blockdev --report [devices]\n blockdev [-v|-q] commands devices\n\nAvailable commands:\n' +
  ` ${'--getsz'.padEnd(25)} get size in 512-byte sectors\n` +
  BLOCKDEV_COMMANDS.map(([n, arg, help]) => (arg ? ` ${n} ${arg.padEnd(24 - n.length)} ${help}\n` : ` ${n.padEnd(25)} ${help}\n`)).join('') +
  '\n';

function blockdevSpell(c: MachineContext): CommandSpec {
  return defineCommand({
    name: 'blockdev',
    summary: "a block device's size and settings",
    category: 'files',
    completions: ['--getsize64', '--getsz', '--getss', '--getbsz', '--getro', '--getra', '--flushbufs', '--report'],
    synopsis: ['blockdev --getsize64|--getsz|--getss|--getbsz|--getro|--getra|--flushbufs DEVICE...', 'blockdev --report [DEVICE...]'],
    description: ["Asks the kernel about a block device: its size in bytes (--getsize64) or 512-byte sectors (--getsz), its sector and block sizes, whether it is read-only. --flushbufs writes the device's dirty pages and waits for them."],
    examples: [['sudo blockdev --getsize64 /dev/xvdf', 'the volume\'s size in bytes']],
    run: (ctx) => {
      const a = args(ctx);
      const w = c.world();
      if (a.length === 0) return res('', BLOCKDEV_USAGE, 1);
      if (a[0] === '-V' || a[0] === '--version') return res('blockdev (util-linux 2.20.1)\n');
      if (a[0] === '-h' || a[0] === '--help') return res(BLOCKDEV_USAGE);
      const open = (p: string): BlockDevice | string => {
        const d = blockStateOf(w.k) ? deviceOf(w.k, p.replace(/^\/dev\//, '')) : undefined;
        if (!d || !p.startsWith('/dev/')) return `blockdev: cannot open ${p}: ${ctx.env.fs.stat(p).ok ? 'Inappropriate ioctl for device' : 'No such file or directory'}\n`;
        if (ctx.user !== 'root') return `blockdev: cannot open ${p}: Permission denied\n`;
        return d;
      };
      if (a[0] === '--report') {
        let out = 'RO    RA   SSZ   BSZ   StartSec            Size   Device\n';
        let err = '';
        const names = a.length > 1 ? a.slice(1) : (blockStateOf(w.k)?.devices ?? []).map((d) => `/dev/${d.name}`);
        for (const p of names) {
          const d = open(p);
          if (typeof d === 'string') err += d;
          else out += `rw ${String(256).padStart(5)} ${String(512).padStart(5)} ${String(4096).padStart(5)} ${String(0).padStart(10)} ${String(d.sizeBytes).padStart(15)}   ${p}\n`;
        }
        return res(out, err, 0);
      }
      let d = 0;
      for (; d < a.length; d++) {
        const known = BLOCKDEV_COMMANDS.find(([n]) => n === a[d]);
        if (known) {
          if (known[1]) d++;
          continue;
        }
        if (a[d] === '--getsz' || a[d] === '-v' || a[d] === '-q') continue;
        if (a[d] === '--') {
          d++;
          break;
        }
        if (!a[d].startsWith('-')) break;
        return res('', `blockdev: Unknown command: ${a[d]}\n${BLOCKDEV_USAGE}`, 1);
      }
      if (d >= a.length) return res('', BLOCKDEV_USAGE, 1);
      let out = '';
      for (const p of a.slice(d)) {
        const dev = open(p);
        if (typeof dev === 'string') return res(out, dev, 1);
        for (let i = 0; i < d; i++) {
          const cmd = a[i];
          const v: Record<string, number> = {
            '--getro': 0,
            '--getdiscardzeroes': 0,
            '--getss': 512,
            '--getpbsz': 512,
            '--getiomin': 512,
            '--getioopt': 0,
            '--getalignoff': 0,
            '--getmaxsect': 256,
            '--getbsz': 4096,
            '--getsize': Math.floor(dev.sizeBytes / 512),
            '--getsz': Math.floor(dev.sizeBytes / 512),
            '--getsize64': dev.sizeBytes,
            '--getra': 256,
            '--getfra': 256,
          };
          if (cmd === '-v' || cmd === '-q') continue;
          if (cmd in v) out += `${v[cmd]}\n`;
          else if (cmd === '--flushbufs') {
            const doneAt = syncDevice(w.k, dev.name, w.now, machineBacking(w));
            if (doneAt > w.now) c.advance(Math.ceil(doneAt - w.now));
          } else return res(out, `blockdev: ${cmd} is not simulated on this machine\n`, 1);
          if (BLOCKDEV_COMMANDS.find(([n]) => n === cmd)?.[1]) i++;
        }
      }
      return res(out);
    },
  });
}

export function storageSpells(c: MachineContext): CommandSpec[] {
  return [mountSpell(c), umountSpell(c), syncSpell(c), hexdumpSpell(c), iostatSpell(c), lsblkSpell(c), blockdevSpell(c)];
}
