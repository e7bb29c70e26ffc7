/**
 * db-2's own files on top of the base system: the mongodb-org 2.6 package's config, fstab for the
 * two EBS volumes, and Owen's nightly backup (a cron entry and its script, as ops scripts of 2015
 * were written: fsync through the mongo shell, then the AWS CLI).
 */
import { baseFiles, file } from '../../../machine/files';
import type { FileStore } from '../../../vfs/store';
import type { Ch3Params } from './params';

export const MONGODB = { name: 'mongodb', uid: 106, gid: 113, home: '/var/lib/mongodb' } as const;
export const BACKUP_SCRIPT = '/usr/local/bin/ebs-backup.sh';
export const BACKUP_CRON = '/etc/cron.d/ebs-backup';
/** not under /var/log: this machine's /var/log holds only the logs its daemons write */
export const BACKUP_LOG = '/var/backups/ebs-backup.log';
export const DRIVER_PASTE = '/home/ops/nadia-driver-error.txt';
export const RESTORE_LOG = '/var/log/mongodb/restore.log';

/** /etc/mongod.conf as mongodb-org 2.6 ships it (INI), with the replica set and smallfiles this team added */
export const MONGOD_CONF = `# mongod.conf

# Where to store the data.

# Note: if you run mongodb as a non-root user (recommended) you may
# need to create and set permissions for this directory manually,
# e.g., if the parent directory isn't mutable by the mongodb user.
dbpath=/data/db

#where to log
logpath=/var/log/mongodb/mongod.log

logappend=true

#port = 27017

# Listen to local interface only. Comment out to listen on all interfaces.
#bind_ip = 127.0.0.1

# Disables write-ahead journaling
# nojournal = true

# Enables periodic logging of CPU utilization and I/O wait
#cpu = true

# Turn on/off security.  Off is currently the default
#noauth = true
#auth = true

# Verbose logging output.
#verbose = true

smallfiles = true

# Replication Options

# in replicated mongo databases, specify the replica set name here
replSet=rs0
`;

export function backupScript(volumeId: string): string {
  return `#!/bin/bash
# Nightly EBS snapshot of the MongoDB data volume.
# fsync first so everything mongod has is on disk before the snapshot.
VOLUME=${volumeId}
echo "$(date) snapshot of $VOLUME"
mongo --quiet --eval 'printjson(db.adminCommand({fsync: 1}))'
echo "volume $VOLUME is $(aws ec2 describe-volumes --volume-ids $VOLUME --query 'Volumes[0].State' --output text)"
aws ec2 create-snapshot --volume-id $VOLUME --description "db-2 nightly $(date +%F)"
echo "$(date) done"
`;
}

export const BACKUP_CRONTAB = `# nightly snapshot of the mongo data volume (see ${BACKUP_SCRIPT})
0 3 * * * root ${BACKUP_SCRIPT} >> ${BACKUP_LOG} 2>&1
`;

const FSTAB = `LABEL=cloudimg-rootfs\t/\t ext4\tdefaults,discard\t0 0
/dev/xvdf\t/data\text4\tdefaults,noatime,nofail\t0 2
/dev/xvdg\t/journal\text4\tdefaults,noatime,nofail\t0 2
`;

export function seedFiles(p: Ch3Params, volumeId: string, installedAt: number, scriptAt: number): FileStore {
  const files = baseFiles(p, installedAt, [MONGODB]);
  files.files['/etc/fstab'] = file(FSTAB, installedAt);
  files.files['/etc/mongod.conf'] = file(MONGOD_CONF, installedAt);
  files.files[BACKUP_SCRIPT] = file(backupScript(volumeId), scriptAt, 0o755);
  files.files[BACKUP_CRON] = file(BACKUP_CRONTAB, scriptAt);
  files.files['/root/.aws/config'] = file('[default]\nregion = us-east-1\noutput = json\n', scriptAt, 0o600);
  files.files['/home/ops/.aws/config'] = file('[default]\nregion = us-east-1\n', scriptAt, 0o600, 'ops');
  files.dirs['/var/backups'] = { mode: 0o755, owner: 'root', group: 'root' };
  for (const d of ['/data', '/journal', '/restore']) files.dirs[d] = { mode: 0o755, owner: 'root', group: 'root' };
  files.dirs['/var/log/mongodb'] = { mode: 0o755, owner: MONGODB.name, group: MONGODB.name };
  files.dirs['/var/lib/mongodb'] = { mode: 0o755, owner: MONGODB.name, group: MONGODB.name };
  return files;
}
