/**
 * fstrim-all, the script util-linux 2.20.1 ships in Ubuntu 14.04 (/sbin/fstrim-all) and
 * /etc/cron.weekly/fstrim runs with exec. It trims every mounted read-write ext3, ext4, xfs or
 * btrfs filesystem on a /dev device, but unless given --no-model-check only on Intel and Samsung
 * drives, as their ATA identity (hdparm -I) names them (launchpad bug 1259829). The disks of this world
 * are Xen virtual disks (xvd*), which have no ATA identity, so it passes over all of them and
 * says nothing, as it does on an EC2 instance.
 */
import { defineCommand } from '../../shell/commands/define';
import type { CommandSpec } from '../../shell/types';
import type { MachineContext } from './context';
import { mtab } from './storage';

const SUPPORTED_FS = new Set(['ext3', 'ext4', 'xfs', 'btrfs']);

export function fstrimSpells(c: MachineContext): CommandSpec[] {
  return [
    defineCommand({
      name: 'fstrim-all',
      summary: 'trim the free space of mounted SSD filesystems',
      category: 'files',
      path: '/sbin/fstrim-all',
      completions: ['--no-model-check'],
      synopsis: ['fstrim-all [--no-model-check]'],
      description: [
        'Runs fstrim on each mounted read-write ext3, ext4, xfs or btrfs filesystem on a /dev device, so that an SSD learns which blocks are free. Without --no-model-check it only does so for Intel and Samsung drives, as their identity (hdparm -I) names them; others are passed over in silence. /etc/cron.weekly/fstrim runs it once a week.',
      ],
      examples: [['sudo fstrim-all', 'Prints nothing here: the disks are Xen virtual disks, which no model check accepts.']],
      notes: ['Trimming itself (--no-model-check, or a drive that passes the check) is not simulated.'],
      run(ctx) {
        const force = ctx.argv[1] === '--no-model-check';
        const candidates = mtab(c.world()).filter((m) => m.source.startsWith('/dev/') && SUPPORTED_FS.has(m.type) && m.options.split(',').includes('rw'));
        // a Xen virtual disk answers no ATA IDENTIFY: the model check passes over it
        const checked = force ? candidates : candidates.filter((m) => !/^\/dev\/xvd/.test(m.source));
        if (checked.length === 0) return { stdout: '', stderr: '', code: 0 };
        return { stdout: '', stderr: `fstrim-all: trimming ${checked.map((m) => m.target).join(', ')} is not simulated in this world\n`, code: 1 };
      },
    }),
  ];
}
