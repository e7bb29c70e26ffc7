/**
 * Chapter 3's world: db-2, an EC2 instance running MongoDB 2.6 as a replica-set secondary, with
 * its data and journal on two EBS volumes. The machine, the cloud and mongod are the generic
 * layers' (engine/machine, engine/machine/ebs, engine/machine/mongo); what is the chapter's own
 * is below: where things are, and what the nights did.
 */
import type { CloudState } from '../../../machine/ebs/types';
import type { MongoState } from '../../../machine/mongo/server';
import type { MachineWorld } from '../../../machine/world';
import type { Ch3Params } from './params';

/** What one snapshot of the data volume captured, judged when it is taken (backups.ts). */
export interface NightRecord {
  snapshotId: string;
  /** virtual ms the snapshot was requested */
  at: number;
  /** taken by the nightly cron job (its description), not by hand */
  nightly: boolean;
  /** fsync locks the box's mongod held at the instant */
  locked: number;
  /** /data/db/journal was a directory on the data volume (the snapshot carries the journal) */
  journalWithData: boolean;
  /** the restored copy read clean (validate after journal replay when the journal is with it) */
  clean: boolean;
  /** the first read error, as the scratch server would print it ('' when clean) */
  error: string;
  /** the _id of a recent document whose lookup meets 10334 in the restored copy ('' when none) */
  badId: string;
}

export interface Ch3State {
  /** the data volume, the journal volume and the volume Nadia restored */
  dataVolume: string;
  journalVolume: string;
  restoreVolume: string;
  /** the snapshot the cron job took on the incident night */
  incidentSnapshot: string;
  /** every snapshot of the data volume the chapter has judged, in order */
  nights: NightRecord[];
}

export interface Ch3World extends MachineWorld {
  format: 'grimoire-ch3-world';
  version: 1;
  p: Ch3Params;
  mongo: MongoState;
  cloud: CloudState;
  ch3: Ch3State;
}
