import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { FsSaveStore, type SaveStore } from '../saves/index';
import { writeFileDurable } from '../saves/durable';
import { ENGINE_COMPAT } from '../session';
import { RedisSaveStore } from './redisStore';
import { text, type RedisLink } from './redisLink';

/**
 * Where sessions live and how instances share them. The file backend is one bot instance with a
 * folder of save slots per session; the Redis backend lets several instances behind a load
 * balancer share sessions: their saves, a lock per session so one step runs at a time across all
 * instances, and a version per session so an instance notices that another one has moved a game
 * on since it last held it, and reads it again instead of acting on its stale copy.
 */
export interface SessionBackend {
  readonly kind: 'file' | 'redis';
  /** the slot store of one session (id: sessions.ts keyId) */
  storeFor(id: string): SaveStore;
  /** holds the session's lock across instances until the returned release is called */
  lock(id: string): Promise<() => Promise<void>>;
  /** under the lock: counts a new version of the session and returns it (null: one instance, nothing to compare) */
  nextVersion(id: string): Promise<number | null>;
  /** a party's own state (who started it, whether it is paused), beside its saves; null when there is none */
  readPartyState(id: string): Promise<PartyState | null>;
  writePartyState(id: string, state: PartyState): Promise<void>;
  /** removes a session's saves and state (a party that ended) */
  removeSession(id: string): Promise<void>;
  close(): Promise<void>;
}

/** A party: one shared game in a channel. */
export interface PartyState {
  /** the user who started it: a facilitator of it */
  starter: string;
  paused: boolean;
}

function parsePartyState(raw: string | null): PartyState | null {
  if (raw === null) return null;
  try {
    const v = JSON.parse(raw) as Partial<PartyState>;
    if (typeof v.starter === 'string' && typeof v.paused === 'boolean') return { starter: v.starter, paused: v.paused };
  } catch {
    // not ours: as if there were no party
  }
  return null;
}

/** not .json: a save folder lists every *.json file as a slot */
const PARTY_FILE = 'party.state';

export class FileBackend implements SessionBackend {
  readonly kind = 'file';
  constructor(
    readonly root: string,
    private readonly now: () => Date,
  ) {}

  storeFor(id: string): SaveStore {
    // paths in messages are the bare file name: a player never learns the bot's folders
    return new FsSaveStore({ dir: path.join(this.root, id), engine: ENGINE_COMPAT, now: this.now, displayPath: (p) => path.basename(p) });
  }

  async lock(): Promise<() => Promise<void>> {
    // one process: the KeyedQueue in sessions.ts is the lock
    return async () => undefined;
  }

  async nextVersion(): Promise<number | null> {
    return null;
  }

  async readPartyState(id: string): Promise<PartyState | null> {
    return parsePartyState(await fs.readFile(path.join(this.root, id, PARTY_FILE), 'utf8').catch(() => null));
  }

  async writePartyState(id: string, state: PartyState): Promise<void> {
    const dir = path.join(this.root, id);
    await fs.mkdir(dir, { recursive: true });
    await writeFileDurable(path.join(dir, PARTY_FILE), Buffer.from(JSON.stringify(state)), { mode: 0o600, display: PARTY_FILE });
  }

  async removeSession(id: string): Promise<void> {
    await fs.rm(path.join(this.root, id), { recursive: true, force: true });
  }

  async close(): Promise<void> {}
}

/** compare-and-delete: only the holder's token releases the lock */
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
/** compare-and-extend, while a long step runs */
const EXTEND = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

export interface RedisBackendOptions {
  now: () => Date;
  /** a session with no step for this long is removed by Redis itself (every key has this lifetime, renewed on each step) */
  idleMs: number;
  /** a lock not renewed for this long is free again (its holder died) */
  lockMs?: number;
  /** how long a step waits for its session's lock before it gives up */
  lockWaitMs?: number;
  /** key prefix, so that tests and deployments can share one server */
  namespace?: string;
}

export class RedisBackend implements SessionBackend {
  readonly kind = 'redis';
  private readonly lockMs: number;
  private readonly lockWaitMs: number;
  private readonly ns: string;

  constructor(
    private readonly link: RedisLink,
    private readonly opts: RedisBackendOptions,
  ) {
    this.lockMs = opts.lockMs ?? 30_000;
    this.lockWaitMs = opts.lockWaitMs ?? 120_000;
    this.ns = opts.namespace ?? 'grimoire';
  }

  /** the braces make every key of a session hash to one slot in a Redis cluster */
  prefix(id: string): string {
    return `${this.ns}:{${id}}`;
  }

  storeFor(id: string): SaveStore {
    return new RedisSaveStore(this.link, this.prefix(id), { engine: ENGINE_COMPAT, now: this.opts.now, idleMs: this.opts.idleMs });
  }

  async lock(id: string): Promise<() => Promise<void>> {
    const key = `${this.prefix(id)}:lock`;
    const token = randomBytes(16).toString('hex');
    const giveUp = Date.now() + this.lockWaitMs;
    let wait = 2;
    for (;;) {
      if (text(await this.link.send('SET', key, token, 'NX', 'PX', this.lockMs)) === 'OK') break;
      if (Date.now() > giveUp) throw new Error(`session ${id} stayed locked for ${this.lockWaitMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, wait + Math.random() * wait));
      wait = Math.min(wait * 2, 50);
    }
    const renew = setInterval(() => {
      this.link.send('EVAL', EXTEND, 1, key, token, this.lockMs).catch(() => undefined);
    }, Math.max(10, Math.floor(this.lockMs / 3)));
    renew.unref();
    return async () => {
      clearInterval(renew);
      await this.link.send('EVAL', RELEASE, 1, key, token);
    };
  }

  async nextVersion(id: string): Promise<number | null> {
    const key = `${this.prefix(id)}:version`;
    // a party's state lives as long as its game
    const [v] = await this.link.transaction([['INCR', key], ['PEXPIRE', key, this.opts.idleMs], ['PEXPIRE', `${this.prefix(id)}:party`, this.opts.idleMs]]);
    return Number(v);
  }

  async readPartyState(id: string): Promise<PartyState | null> {
    return parsePartyState(text(await this.link.send('GET', `${this.prefix(id)}:party`)));
  }

  async writePartyState(id: string, state: PartyState): Promise<void> {
    await this.link.send('SET', `${this.prefix(id)}:party`, JSON.stringify(state), 'PX', this.opts.idleMs);
  }

  async removeSession(id: string): Promise<void> {
    const p = this.prefix(id);
    await this.link.send('DEL', `${p}:slots`, `${p}:baks`, `${p}:party`);
  }

  async close(): Promise<void> {
    await this.link.close();
  }
}
