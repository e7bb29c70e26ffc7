import { registerChapter } from '../../../../engine/chapters/registry';
import { createGame, restoreGame } from '../../../../engine/index';
import { stubChapter } from '../../../fixtures/stub-chapter';
import { game, say, worldOf } from '../ebs/ebsBox';

registerChapter(stubChapter);

/**
 * aws-cli 1.7.26 (Python 2.7.6, botocore 0.107.0) on the EC2 test box of
 * test/fixtures/ebs-chapter. Ids and times come from the world; the layouts are written out by
 * hand from awscli's formatters and the examples in aws-cli's tree (awscli/examples/ec2).
 */
describe('aws', () => {
  it('create-snapshot prints the new snapshot as JSON: Python 2.7\'s key order and its ", " at line ends', () => {
    const g = game();
    const w0 = worldOf(g);
    const vol = w0.cloud!.volumes[0]!.id;
    const out = say(g, `aws ec2 create-snapshot --volume-id ${vol} --description "db-2 nightly"`);
    const s = worldOf(g).cloud!.snapshots[0]!;
    const start = new Date(Math.floor(s.startTime / 1000) * 1000).toISOString();
    expect(start).toMatch(/\.000Z$/);
    expect(out).toBe(
      [
        '{',
        '    "Description": "db-2 nightly", ',
        '    "Tags": [], ',
        '    "Encrypted": false, ',
        `    "VolumeId": "${vol}", `,
        '    "State": "pending", ',
        '    "VolumeSize": 8, ',
        `    "StartTime": "${start}", `,
        `    "OwnerId": "${w0.cloud!.ownerId}", `,
        `    "SnapshotId": "${s.id}"`,
        '}',
      ].join('\n'),
    );
    expect(s.id).toMatch(/^snap-[0-9a-f]{8}$/);
    expect(s.description).toBe('db-2 nightly');
  });

  it('describe-snapshots: JSON with progress, a tab-separated text line, and the table turned vertical past 80 columns', () => {
    const g = game();
    const w0 = worldOf(g);
    const vol = w0.cloud!.volumes[0]!.id;
    say(g, `aws ec2 create-snapshot --volume-id ${vol} --description "db-2 nightly"`);
    const s = worldOf(g).cloud!.snapshots[0]!;
    const start = new Date(Math.floor(s.startTime / 1000) * 1000).toISOString();
    const json = say(g, `aws ec2 describe-snapshots --snapshot-ids ${s.id}`);
    const progress = /"Progress": "(\d+)%"/.exec(json)![1]!;
    expect(Number(progress)).toBeGreaterThanOrEqual(0);
    expect(Number(progress)).toBeLessThan(100);
    expect(json).toBe(
      [
        '{',
        '    "Snapshots": [',
        '        {',
        '            "Description": "db-2 nightly", ',
        '            "Encrypted": false, ',
        `            "VolumeId": "${vol}", `,
        '            "State": "pending", ',
        '            "VolumeSize": 8, ',
        `            "Progress": "${progress}%", `,
        `            "StartTime": "${start}", `,
        `            "SnapshotId": "${s.id}", `,
        `            "OwnerId": "${w0.cloud!.ownerId}"`,
        '        }',
        '    ]',
        '}',
      ].join('\n'),
    );
    const text = say(g, `aws ec2 describe-snapshots --owner-ids self --filters Name=volume-id,Values=${vol} --output text`);
    expect(text).toMatch(new RegExp(`^SNAPSHOTS\tdb-2 nightly\tFalse\t${w0.cloud!.ownerId}\t\\d+%\t${s.id}\t${start}\tpending\t${vol}\t8$`));
    const table = say(g, `aws ec2 describe-snapshots --snapshot-ids ${s.id} --output table`);
    const p = /Progress    \|  (\d+%) +\|/.exec(table)![1]!;
    expect(table).toBe(
      [
        '-----------------------------------------------',
        '|              DescribeSnapshots              |',
        '+---------------------------------------------+',
        '||                 Snapshots                 ||',
        '|+--------------+----------------------------+|',
        '||  Description |  db-2 nightly              ||',
        '||  Encrypted   |  False                     ||',
        `||  OwnerId     |  ${w0.cloud!.ownerId}              ||`,
        `||  Progress    |  ${p.padEnd(3)}                       ||`,
        `||  SnapshotId  |  ${s.id}             ||`,
        `||  StartTime   |  ${start}  ||`,
        '||  State       |  pending                   ||',
        `||  VolumeId    |  ${vol}              ||`,
        '||  VolumeSize  |  8                         ||',
        '|+--------------+----------------------------+|',
      ].join('\n'),
    );
  });

  it('describe-volumes lists the attachments; gp2 volumes have Iops', () => {
    const g = game();
    const w0 = worldOf(g);
    const [data, journal] = w0.cloud!.volumes;
    const created = (t: number): string => new Date(t).toISOString();
    expect(say(g, `aws ec2 describe-volumes --volume-ids ${journal!.id}`)).toBe(
      [
        '{',
        '    "Volumes": [',
        '        {',
        '            "AvailabilityZone": "us-east-1b", ',
        '            "Attachments": [',
        '                {',
        `                    "AttachTime": "${created(Math.floor(journal!.createTime / 1000) * 1000)}", `,
        `                    "InstanceId": "${w0.cloud!.instanceId}", `,
        `                    "VolumeId": "${journal!.id}", `,
        '                    "State": "attached", ',
        '                    "DeleteOnTermination": false, ',
        '                    "Device": "/dev/sdg"',
        '                }',
        '            ], ',
        '            "Encrypted": false, ',
        '            "VolumeType": "gp2", ',
        `            "VolumeId": "${journal!.id}", `,
        '            "State": "in-use", ',
        '            "Iops": 100, ',
        '            "SnapshotId": "", ',
        `            "CreateTime": "${created(journal!.createTime)}", `,
        '            "Size": 2',
        '        }',
        '    ]',
        '}',
      ].join('\n'),
    );
    expect(say(g, `aws ec2 describe-volumes --filters Name=attachment.device,Values=/dev/sdf --output text`)).toBe(
      [
        `VOLUMES\tus-east-1b\t${created(data!.createTime)}\tFalse\t8\t\tin-use\t${data!.id}\tstandard`,
        `ATTACHMENTS\t${created(Math.floor(data!.createTime / 1000) * 1000)}\tFalse\t/dev/sdf\t${w0.cloud!.instanceId}\tattached\t${data!.id}`,
      ].join('\n'),
    );
  });

  it('describe-volumes --output table: sections nested by indentation, single-row sections vertical past 80 columns', () => {
    const g = game();
    const w0 = worldOf(g);
    const v = w0.cloud!.volumes[0]!;
    const created = new Date(v.createTime).toISOString();
    const attached = new Date(Math.floor(v.createTime / 1000) * 1000).toISOString();
    expect(say(g, `aws ec2 describe-volumes --volume-ids ${v.id} --output table`)).toBe(
      [
        '---------------------------------------------------------',
        '|                    DescribeVolumes                    |',
        '+-------------------------------------------------------+',
        '||                       Volumes                       ||',
        '|+---------------------+-------------------------------+|',
        '||  AvailabilityZone   |  us-east-1b                   ||',
        `||  CreateTime         |  ${created}     ||`,
        '||  Encrypted          |  False                        ||',
        '||  Size               |  8                            ||',
        '||  SnapshotId         |                               ||',
        '||  State              |  in-use                       ||',
        `||  VolumeId           |  ${v.id}                 ||`,
        '||  VolumeType         |  standard                     ||',
        '|+---------------------+-------------------------------+|',
        '|||                    Attachments                    |||',
        '||+----------------------+----------------------------+||',
        `|||  AttachTime          |  ${attached}  |||`,
        '|||  DeleteOnTermination |  False                     |||',
        '|||  Device              |  /dev/sdf                  |||',
        `|||  InstanceId          |  ${w0.cloud!.instanceId}                |||`,
        '|||  State               |  attached                  |||',
        `|||  VolumeId            |  ${v.id}              |||`,
        '||+----------------------+----------------------------+||',
      ].join('\n'),
    );
  });

  it('restores a snapshot: wait for it, create a volume, attach it; the guest gets /dev/xvdh and the kernel says so', () => {
    const g = game();
    const w0 = worldOf(g);
    const data = w0.cloud!.volumes[0]!.id;
    say(g, `aws ec2 create-snapshot --volume-id ${data}`);
    const snap = worldOf(g).cloud!.snapshots[0]!;
    expect(say(g, `aws ec2 create-volume --snapshot-id ${snap.id} --availability-zone us-east-1b`)).toBe(
      `\nA client error (IncorrectState) occurred when calling the CreateVolume operation: Snapshot is in invalid state - pending`,
    );
    const before = worldOf(g).now;
    expect(say(g, `aws ec2 wait snapshot-completed --snapshot-ids ${snap.id}; echo $?`)).toBe('0');
    const after = worldOf(g);
    expect(after.cloud!.snapshots[0]!.state).toBe('completed');
    expect(after.now).toBeGreaterThanOrEqual(snap.completeAt);
    expect(after.now - before).toBeGreaterThan(15_000);
    const made = say(g, `aws ec2 create-volume --snapshot-id ${snap.id} --availability-zone us-east-1b --volume-type gp2`);
    const v = worldOf(g).cloud!.volumes[2]!;
    expect(made).toBe(
      [
        '{',
        '    "AvailabilityZone": "us-east-1b", ',
        '    "Attachments": [], ',
        '    "Tags": [], ',
        '    "Encrypted": false, ',
        '    "VolumeType": "gp2", ',
        `    "VolumeId": "${v.id}", `,
        '    "State": "creating", ',
        '    "Iops": 100, ',
        `    "SnapshotId": "${snap.id}", `,
        `    "CreateTime": "${new Date(v.createTime).toISOString()}", `,
        '    "Size": 8',
        '}',
      ].join('\n'),
    );
    expect(say(g, `aws ec2 wait volume-available --volume-ids ${v.id}; echo $?`)).toBe('0');
    const inst = w0.cloud!.instanceId;
    expect(say(g, `aws ec2 attach-volume --volume-id ${v.id} --instance-id ${inst} --device /dev/sdf`)).toBe(
      `\nA client error (InvalidParameterValue) occurred when calling the AttachVolume operation: Invalid value '/dev/sdf' for unixDevice. Attachment point /dev/sdf is already in use`,
    );
    const att = say(g, `aws ec2 attach-volume --volume-id ${v.id} --instance-id ${inst} --device /dev/sdh --output text`);
    const at = new Date(Math.floor(worldOf(g).cloud!.volumes[2]!.attachment!.attachTime / 1000) * 1000).toISOString();
    expect(att).toBe(`${at}\t/dev/sdh\t${inst}\tattaching\t${v.id}`);
    expect(say(g, 'sleep 5; dmesg | tail -2')).toMatch(/^\[ *\d+\.\d{6}\] blkfront: xvdh: barrier or flush: disabled; persistent grants: disabled; indirect descriptors: enabled;\n\[ *\d+\.\d{6}\]  xvdh: unknown partition table$/);
    expect(say(g, `aws ec2 describe-volumes --volume-ids ${v.id} --output text | grep ATTACH | cut -f6`)).toBe('attached');
  });

  it('a restored volume mounts with the files as they were; detached while mounted it stays busy until umount', () => {
    const g = game();
    const w0 = worldOf(g);
    const vol = w0.cloud!.volumes[0]!.id;
    const inst = w0.cloud!.instanceId;
    const out = say(g, `sync; aws ec2 create-snapshot --volume-id ${vol} --query SnapshotId --output text; head -c 26 /data/scribe.log`).split('\n');
    const [snap, before] = [out[0]!, out[1]!];
    expect(before).toMatch(/^record \d+ at \d+/);
    const v = say(g, `aws ec2 wait snapshot-completed --snapshot-ids ${snap}; aws ec2 create-volume --snapshot-id ${snap} --availability-zone us-east-1b --query VolumeId --output text`);
    say(g, `aws ec2 wait volume-available --volume-ids ${v}; aws ec2 attach-volume --volume-id ${v} --instance-id ${inst} --device /dev/sdh; sleep 5`);
    expect(say(g, 'sudo mount /dev/xvdh /mnt/restore; mount | grep xvdh; head -c 26 /mnt/restore/scribe.log')).toBe(`/dev/xvdh on /mnt/restore type ext4 (rw)\n${before}`);
    expect(say(g, `aws ec2 detach-volume --volume-id ${v} --query State --output text; sleep 10; aws ec2 describe-volumes --volume-ids ${v} --query Volumes[0].Attachments[0].State --output text`)).toBe('detaching\nbusy');
    expect(say(g, `sudo umount /mnt/restore; sleep 6; aws ec2 describe-volumes --volume-ids ${v} --query Volumes[0].[State,Attachments] --output json`)).toBe('[\n    "available", \n    []\n]');
    expect(say(g, 'lsblk | grep -c xvdh')).toBe('0');
  });

  it('answers bad input in aws-cli 1.7\'s and EC2\'s 2015 words, and changes nothing', () => {
    const g = game();
    const w0 = worldOf(g);
    const vol = w0.cloud!.volumes[0]!.id;
    // the volumes' contents change as the box writes; their metadata and the snapshots must not
    const books = (c: typeof w0.cloud): string => JSON.stringify({ ...c, volumes: c!.volumes.map((v) => ({ ...v, store: null })) });
    const cloudBefore = books(w0.cloud);
    const usage = 'usage: aws [options] <command> <subcommand> [parameters]';
    expect(say(g, 'aws; echo $?')).toBe(`${usage}\naws: error: too few arguments\n2`);
    expect(say(g, 'aws ec2 create-snapshot; echo $?')).toBe(`${usage}\naws: error: argument --volume-id is required\n2`);
    expect(say(g, `aws ec2 create-snapshot --volume-id ${vol} --bogus 1; echo $?`)).toBe('\nUnknown options: --bogus, 1\n255');
    expect(say(g, 'aws ec2 create-snapshot --volume-id vol-nothere')).toBe(
      "\nA client error (InvalidParameterValue) occurred when calling the CreateSnapshot operation: Value (vol-nothere) for parameter volumeId is invalid. Expected: 'vol-...'.",
    );
    expect(say(g, 'aws ec2 create-snapshot --volume-id vol-0badf00d')).toBe(
      "\nA client error (InvalidVolume.NotFound) occurred when calling the CreateSnapshot operation: The volume 'vol-0badf00d' does not exist.",
    );
    expect(say(g, 'aws ec2 describe-volumes --volume-ids vol-x')).toBe('\nA client error (InvalidVolumeID.Malformed) occurred when calling the DescribeVolumes operation: Invalid id: "vol-x"');
    expect(say(g, 'aws ec2 describe-snapshots --snapshot-ids snap-0badf00d')).toBe(
      "\nA client error (InvalidSnapshot.NotFound) occurred when calling the DescribeSnapshots operation: The snapshot 'snap-0badf00d' does not exist.",
    );
    expect(say(g, `aws ec2 detach-volume --volume-id ${vol} --dry-run`)).toBe(
      '\nA client error (DryRunOperation) occurred when calling the DetachVolume operation: Request would have succeeded, but DryRun flag is set.',
    );
    expect(say(g, 'aws ec2 describe-snapshots --filters Name=color,Values=red')).toBe(
      "\nA client error (InvalidParameterValue) occurred when calling the DescribeSnapshots operation: The filter 'color' is invalid",
    );
    expect(say(g, 'aws ec2 describe-snapshots --filters Nam=volume-id')).toBe("\nError parsing parameter '--filters': Unknown key 'Nam', valid choices are: Values, Name");
    expect(say(g, 'aws ec2 create-volume --size big --availability-zone us-east-1b')).toBe("\ninvalid literal for int() with base 10: 'big'");
    expect(say(g, 'aws ec2 create-volume --size 8 --availability-zone us-east-1z')).toBe(
      '\nA client error (InvalidParameterValue) occurred when calling the CreateVolume operation: Invalid availability zone: [us-east-1z]',
    );
    expect(say(g, `aws ec2 attach-volume --volume-id ${vol} --instance-id i-0badf00d --device /dev/sdh`)).toBe(
      "\nA client error (InvalidInstanceID.NotFound) occurred when calling the AttachVolume operation: The instance ID 'i-0badf00d' does not exist",
    );
    expect(say(g, `aws ec2 describe-volumes --output xml`)).toBe(
      `${usage}\naws: error: argument --output: Invalid choice, valid choices are:\n\njson                                     | text                                    \ntable                                   `,
    );
    expect(say(g, 'aws ec2 describe-snapshot')).toMatch(/^usage: aws \[options\] <command> <subcommand> \[parameters\]\naws: error: argument operation: Invalid choice, valid choices are:\n\naccept-vpc-peering-connection {12}\| allocate-address {24}\n/);
    expect(say(g, 'aws ec2 describe-snapshot')).toMatch(/\n\n\nInvalid choice: 'describe-snapshot', maybe you meant:\n\n {2}\* describe-snapshots$/);
    expect(say(g, 'aws ec2 --no 1')).toBe(`${usage}\naws: error: ambiguous option: --no could match --no-verify-ssl, --no-sign-request, --no-paginate`);
    expect(say(g, 'aws --region us-east-9 ec2 describe-volumes')).toBe('\nCould not connect to the endpoint URL: "https://ec2.us-east-9.amazonaws.com/"');
    expect(say(g, 'aws --region eu-west-1 ec2 describe-volumes')).toBe('{\n    "Volumes": []\n}');
    expect(say(g, 'aws --profile prod ec2 describe-volumes')).toBe('\nThe config profile (prod) could not be found');
    expect(say(g, 'aws ec3 describe-volumes')).toBe(
      [
        usage,
        'aws: error: argument command: Invalid choice, valid choices are:',
        '',
        'autoscaling                              | cloudformation                          ',
        'cloudfront                               | cloudhsm                                ',
        'cloudsearch                              | cloudsearchdomain                       ',
        'cloudtrail                               | cloudwatch                              ',
        'cognito-identity                         | cognito-sync                            ',
        'datapipeline                             | directconnect                           ',
        'dynamodb                                 | ec2                                     ',
        'ecs                                      | elasticache                             ',
        'elasticbeanstalk                         | elastictranscoder                       ',
        'elb                                      | emr                                     ',
        'glacier                                  | iam                                     ',
        'importexport                             | kinesis                                 ',
        'kms                                      | lambda                                  ',
        'logs                                     | machinelearning                         ',
        'opsworks                                 | rds                                     ',
        'redshift                                 | route53                                 ',
        'route53domains                           | sdb                                     ',
        'ses                                      | sns                                     ',
        'sqs                                      | ssm                                     ',
        'storagegateway                           | sts                                     ',
        'support                                  | swf                                     ',
        'workspaces                               | s3api                                   ',
        's3                                       | configure                               ',
        'deploy                                   | configservice                           ',
        // difflib's ratio of ec2 to ec3 is 2/3, under aws-cli's cutoff of 0.8: no suggestion
        'help                                    ',
      ].join('\n'),
    );
    expect(say(g, 'aws s3 ls; echo $?')).toBe("aws: only the ec2 service's EBS commands are simulated on this box (not s3).\n255");
    expect(say(g, 'aws ec2 describe-instances')).toMatch(/^aws: ec2 describe-instances is not simulated on this box; /);
    expect(books(worldOf(g).cloud)).toBe(cloudBefore);
  });

  it('--query picks fields out (jmespath 0.7.1), before the output format; a bad one is refused before anything is sent', () => {
    const g = game();
    const vol = worldOf(g).cloud!.volumes[0]!.id;
    const id = say(g, `aws ec2 create-snapshot --volume-id ${vol} --query SnapshotId --output text`);
    expect(id).toBe(worldOf(g).cloud!.snapshots[0]!.id);
    expect(say(g, `aws ec2 describe-snapshots --query 'Snapshots[*].[SnapshotId,State]' --output text`)).toBe(`${id}\tpending`);
    expect(say(g, `aws ec2 describe-snapshots --query 'Snapshots[0].SnapshotId'`)).toBe(`"${id}"`);
    expect(say(g, `aws ec2 describe-snapshots --query "Snapshots[?State=='completed']"`)).toBe('');
    expect(say(g, `aws ec2 describe-snapshots --query 'Snapshots[' ; echo $?`)).toBe('\nBad value for --query Snapshots[: Invalid jmespath expression: Incomplete expression:\n"Snapshots["\n           ^\n255');
    expect(worldOf(g).cloud!.snapshots).toHaveLength(1);
  });

  it('--version goes to stderr, as Python 2.7\'s argparse prints it; no region configured is an error', () => {
    const g = game();
    expect(say(g, 'aws --version 2>/dev/null; echo $?')).toBe('0');
    expect(say(g, 'aws --version 2>&1')).toBe(`aws-cli/1.7.26 Python/2.7.6 Linux/${worldOf(g).k.release}`);
    say(g, "echo '[default]' > ~/.aws/config");
    expect(say(g, 'aws ec2 describe-volumes; echo $?')).toBe('You must specify a region. You can also configure your region by running "aws configure".\n255');
  });

  it('plays the same after a save and restore: the pending snapshot completes at its moment, the ids stream on', () => {
    const play = (restore: boolean): string[] => {
      let g = game(11);
      const vol = worldOf(g).cloud!.volumes[0]!.id;
      const out = [say(g, `aws ec2 create-snapshot --volume-id ${vol} --query SnapshotId --output text`)];
      if (restore) g = restoreGame(JSON.parse(JSON.stringify(g.snapshot())));
      out.push(say(g, 'sleep 20; aws ec2 describe-snapshots --query Snapshots[*].[SnapshotId,State,Progress] --output text'));
      out.push(say(g, `aws ec2 create-snapshot --volume-id ${vol} --query SnapshotId --output text`));
      out.push(JSON.stringify(worldOf(g).cloud!.snapshots.map((s) => [s.id, s.parent, Object.keys(s.blocks).length])));
      return out;
    };
    const straight = play(false);
    expect(play(true)).toEqual(straight);
    expect(straight[1]).toMatch(/^snap-[0-9a-f]{8}\t(pending\t\d+%|completed\t100%)$/);
    expect(straight[2]).not.toBe(straight[0]);
  });

  it('does not exist on a box without a cloud part', () => {
    const g = createGame('stub', 3);
    g.start();
    expect(say(g, 'aws ec2 describe-volumes')).toMatch(/aws: command not found/);
  });
});
