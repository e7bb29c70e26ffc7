/**
 * Chapter 2's world: one web box, as plain JSON. The machine part is generic; the rest is the two
 * upstart jobs it runs (the team's Ruby publisher and nsqd) and what each remembers of its life.
 */
import type { MachineWorld } from '../../../machine/world';
import type { Ch2Params } from './params';
import type { NetState } from './netState';

/** What the publisher read from /etc/publisher/publisher.yml when it started (config.ts). */
export interface AppConfig {
  nsqdUrl: string;
  topic: string;
  poolSize: number;
  tcpNodelay: boolean;
  singleWrite: boolean;
}

/** An upstart job's books (upstart 1.12: goal, the main process, the respawn limit's window). */
export interface JobState {
  /** what init is trying to do: 'start' keeps it running (and respawns it), 'stop' leaves it down */
  goal: 'start' | 'stop';
  /** the main process; 0 while stop/waiting */
  pid: number;
  /** when that process was started */
  startedAt: number;
  /** respawn limit 10 5 (upstart's default): respawns in the current window and when it began */
  respawns: number;
  respawnWindowAt: number;
}

export interface AppState extends JobState {
  /** what the running process read at its start; null while it is down or before it has read it */
  config: AppConfig | null;
  /** the process is still loading ruby and its gems: it reads its config then; -1 when not */
  readsConfigAt: number;
  /** how many times a publisher process has been started since the box booted */
  starts: number;
}

export interface NsqTopic {
  name: string;
  /** messages nsqd has taken for it since it started (its /stats "message_count") */
  messages: number;
  /** messages waiting with no channel to take them (its "depth") */
  depth: number;
}

export interface NsqdState extends JobState {
  topics: NsqTopic[];
}

export interface Ch2World extends MachineWorld {
  format: 'grimoire-ch2-world';
  version: 1;
  p: Ch2Params;
  app: AppState;
  nsqd: NsqdState;
  /** the system bus's next unique connection name (:1.N), which upstart's refusals print */
  busSerial: number;
  /** the publish traffic over loopback (traffic.ts) */
  net: NetState;
}

export const ROLE = {
  app: 'publisher',
  nsqd: 'nsqd',
} as const;
