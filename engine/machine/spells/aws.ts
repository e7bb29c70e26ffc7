import { defineCommand } from '../../shell/commands/define';
import type { CommandContext, CommandSpec } from '../../shell/types';
import { runAws } from '../ebs/cli';
import { runEc2metadata } from '../ebs/ec2metadata';
import { uname } from '../views';
import type { MachineContext } from './context';

/**
 * `aws`, the AWS CLI as pip installed it in spring 2015 (/usr/local/bin/aws), on a box whose world
 * has a cloud part (machine/ebs): the EBS commands of `aws ec2` against the world's volumes and
 * snapshots, and `ec2metadata` (cloud-guest-utils) for the instance's own id and zone. A box
 * without one has neither, as a server nobody installed them on.
 */
export function awsSpells(c: MachineContext): CommandSpec[] {
  if (!c.world().cloud) return [];
  return [
    defineCommand({
      name: 'aws',
      path: '/usr/local/bin/aws',
      summary: 'the AWS command line interface: EBS volumes and snapshots of this instance\'s account',
      category: 'network',
      synopsis: [
        'aws ec2 create-snapshot --volume-id VOL [--description TEXT]',
        'aws ec2 describe-snapshots [--snapshot-ids SNAP...] [--owner-ids self] [--filters Name=volume-id,Values=VOL]',
        'aws ec2 describe-volumes [--volume-ids VOL...] [--filters Name=NAME,Values=V1,V2]',
        'aws ec2 create-volume --snapshot-id SNAP --availability-zone ZONE [--volume-type standard|gp2] [--size GIB]',
        'aws ec2 attach-volume --volume-id VOL --instance-id ID --device /dev/sdh',
        'aws ec2 detach-volume --volume-id VOL',
        'aws ec2 delete-snapshot --snapshot-id SNAP; aws ec2 delete-volume --volume-id VOL',
        'aws ec2 wait snapshot-completed --snapshot-ids SNAP',
        'aws --version',
      ],
      description: [
        'aws-cli 1.7 talks to the EC2 API of the account this instance belongs to, with the credentials of the instance\'s IAM role; the region comes from --region, AWS_DEFAULT_REGION or ~/.aws/config. Output is JSON unless --output text or --output table (or the config) says otherwise.',
        'A snapshot holds exactly the blocks the volume had at the moment create-snapshot was requested: whatever the instance\'s page cache has not yet written back is not in it. It stays pending while it uploads (describe-snapshots shows its progress) and only a completed snapshot can become a new volume. A new volume is creating for a few seconds, then available; attached, it appears in the instance as /dev/xvdX (the kernel renames sdX), ready to mount. Detaching a volume whose filesystem is still mounted leaves it busy until it is unmounted.',
      ],
      options: [
        ['--output json|text|table', 'how the answer is printed'],
        ['--region REGION', 'the region to talk to (the account\'s volumes are in one)'],
        ['--query EXPR', 'a JMESPath expression picking fields out of the answer, e.g. SnapshotId or Snapshots[*].[SnapshotId,State]'],
        ['--dry-run', 'ask EC2 whether the call would be allowed, without doing it'],
      ],
      examples: [
        ['aws ec2 describe-volumes --output table', 'the account\'s volumes and where they are attached'],
        ['aws ec2 create-snapshot --volume-id vol-1a2b3c4d --description "test"', 'snapshot a volume now'],
        ['aws ec2 wait snapshot-completed --snapshot-ids snap-1a2b3c4d', 'wait until the upload is done'],
      ],
      notes: [
        'Only the EBS commands of ec2 are simulated (no s3, no instances, no tags, no io1 or encrypted volumes); JMESPath functions and slices in --query, --debug output and the CLI\'s help pages are not simulated. describe-snapshots lists this account\'s own snapshots only, not the public ones.',
      ],
      run: (ctx: CommandContext) => {
        const w = c.world();
        const r = runAws(ctx.argv.slice(1), {
          world: w,
          rng: c.streams.stream('ebs'),
          advance: (ms) => c.advance(ms),
          interrupted: () => ctx.env.interrupted?.() ?? false,
          timeLeft: () => ctx.env.timeLeft?.() ?? Infinity,
          readFile: (path) => {
            const got = ctx.env.fs.read(path, ctx.user);
            return got.ok ? got.value : null;
          },
          vars: ctx.env.vars,
          release: uname(w).release,
        });
        return r;
      },
    }),
    defineCommand({
      name: 'ec2metadata',
      path: '/usr/bin/ec2metadata',
      summary: 'what the EC2 metadata service says about this instance',
      category: 'network',
      synopsis: ['ec2metadata [--instance-id] [--availability-zone] [--local-ipv4] [--local-hostname] ...'],
      description: [
        'Asks the instance metadata service (169.254.169.254) about the instance it runs on and prints each field asked for, one per line, in the order given; with no option it prints every field as name: value. A field the service has no value for prints unavailable.',
      ],
      options: [
        ['--instance-id', 'this instance\'s id, as aws ec2 attach-volume wants it'],
        ['--availability-zone', 'the zone a new volume must be created in to attach here'],
        ['--local-ipv4, --local-hostname', 'the private address and its name'],
      ],
      examples: [['ec2metadata --instance-id', 'the id for --instance-id']],
      notes: ['Fields this box does not know (the AMI, the instance type, keys...) say they are not simulated; --url is not simulated.'],
      run: (ctx: CommandContext) => runEc2metadata(ctx.argv.slice(1), c.world()),
    }),
  ];
}
