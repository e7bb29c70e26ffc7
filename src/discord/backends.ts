import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { FsSaveStore, type SaveStore } from '../saves/index';
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
  close(): Promise<void>;
}

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
    const [v] = await this.link.transaction([['INCR', key], ['PEXPIRE', key, this.opts.idleMs]]);
    return Number(v);
  }

  async close(): Promise<void> {
    await this.link.close();
  }
}
