import { py2DictOrder, py2StringHash, pyDict } from '../../../../engine/machine/ebs/py2dict';

/** Python 2.7's dict order, as aws-cli 1.7 printed its responses (keys inserted in botocore's model order). */
describe('py2dict', () => {
  it('hashes strings as CPython 2.7 does on a 64-bit build', () => {
    // python2.7 -c "print hash('a'), hash('')": 12416037344 0
    expect(py2StringHash('a')).toBe(12416037344n);
    expect(py2StringHash('')).toBe(0n);
  });

  it('orders a snapshot the way the aws-cli 1.7.26 examples (awscli/examples/ec2/*.rst) show real output', () => {
    // describe-snapshots.rst: Description, VolumeId, State, VolumeSize, Progress, StartTime, SnapshotId, OwnerId
    expect(py2DictOrder(['SnapshotId', 'VolumeId', 'State', 'StartTime', 'Progress', 'OwnerId', 'Description', 'VolumeSize'])).toEqual([
      'Description',
      'VolumeId',
      'State',
      'VolumeSize',
      'Progress',
      'StartTime',
      'SnapshotId',
      'OwnerId',
    ]);
  });

  it('lets a transient key (ResponseMetadata) grow the table, as create-snapshot.rst shows', () => {
    // create-snapshot.rst: Description, Tags, VolumeId, State, VolumeSize, StartTime, OwnerId, SnapshotId
    const keys = ['SnapshotId', 'VolumeId', 'State', 'StartTime', 'OwnerId', 'Description', 'VolumeSize', 'Tags'];
    const d = pyDict(
      keys.map((k) => [k, 1] as const),
      ['ResponseMetadata'],
    );
    expect(Object.keys(d)).toEqual(['Description', 'Tags', 'VolumeId', 'State', 'VolumeSize', 'StartTime', 'OwnerId', 'SnapshotId']);
  });

  it('orders volumes and attachments as describe-volumes.rst and attach-volume.rst show them', () => {
    expect(py2DictOrder(['VolumeId', 'Size', 'SnapshotId', 'AvailabilityZone', 'State', 'CreateTime', 'Attachments', 'VolumeType'])).toEqual([
      'AvailabilityZone',
      'Attachments',
      'VolumeType',
      'VolumeId',
      'State',
      'SnapshotId',
      'CreateTime',
      'Size',
    ]);
    expect(py2DictOrder(['VolumeId', 'InstanceId', 'Device', 'State', 'AttachTime', 'DeleteOnTermination'])).toEqual([
      'AttachTime',
      'InstanceId',
      'VolumeId',
      'State',
      'DeleteOnTermination',
      'Device',
    ]);
    // a tag: "Value" before "Key"
    expect(py2DictOrder(['Key', 'Value'])).toEqual(['Value', 'Key']);
  });
});
