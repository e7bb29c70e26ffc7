import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { findChapter, type OutputBlock } from '../../engine/index';
import { randomSeed } from '../seed';
import { AUTOSAVE_SLOT, type SaveData, type SaveStore } from '../saves/index';
import { GameSession } from '../session';
import { FileBackend, type PartyState, type SessionBackend } from './backends';
import { KeyedQueue } from './queue';

/**
 * The Discord bot's games. A session belongs to one player in one place: the application, the
 * guild (or 'dm' for direct messages) and the user. Each has its own folder of save slots in the
 * same format, written by the same store and the same GameSession as the terminal game; the
 * autosave slot is the game in progress. Steps of one session run one at a time in arrival order
 * (KeyedQueue), and each is on disk before its reply is sent (GameSession saves after every line).
 * Hot sessions stay in memory; a session can always be rebuilt from its autosave, so dropping one
 * from memory loses nothing. With several instances (backends.ts, Redis), each task also holds the
 * session's lock in the shared store and checks its version there first: a copy in memory that
 * another instance has moved on since is dropped and the game read again.
 */
export interface SessionKey {
  application: string;
  /** the guild id, or 'dm' */
  scope: string;
  /** the user id; for a party (one game shared by a channel), 'p' and the channel id */
  user: string;
}

const SNOWFLAKE = /^\d{1,20}$/;
const PLAYER = /^p?\d{1,20}$/;

export function isValidKey(k: SessionKey): boolean {
  return SNOWFLAKE.test(k.application) && (k.scope === 'dm' || SNOWFLAKE.test(k.scope)) && PLAYER.test(k.user);
}

export function isPartyKey(k: SessionKey): boolean {
  return k.user.startsWith('p');
}

/** The session's folder name: digits and dots only, so it can never leave the store's folder. */
export function keyId(k: SessionKey): string {
  if (!isValidKey(k)) throw new RangeError('not a session key');
  return `${k.application}.${k.scope}.${k.user}`;
}

const KEY_DIR = /^\d{1,20}\.(?:dm|\d{1,20})\.p?\d{1,20}$/;

/** how long a session may go without a step before it and its saves are removed */
export const IDLE_LIMIT_MS = 30 * 24 * 60 * 60 * 1000;
/** sessions kept in memory at most; the least recently used beyond it are dropped (they are on disk) */
export const DEFAULT_HOT_LIMIT = 500;

interface Hot {
  session: GameSession;
  lastUsed: number;
  /** the session's version in the shared store when this instance last held it (null: one instance) */
  version: number | null;
}

export interface SessionManagerOptions {
  /** the folder holding one folder per session (the file backend, when no backend is given) */
  root?: string;
  /** where sessions are kept; default a FileBackend on root */
  backend?: SessionBackend;
  now?: () => Date;
  hotLimit?: number;
  idleLimitMs?: number;
  /** a new game's seed (tests fix it) */
  seed?: () => number;
}

/** what a task running under a session's lock can do with it */
export interface SessionAccess {
  /** the game in progress (in memory, or rebuilt from its autosave), or null; `problem` says why a save could not be used */
  current(): Promise<{ session: GameSession | null; problem: string | null }>;
  /** /play: the game of this chapter in progress, or a new one (another chapter's game is kept in a slot of its own) */
  play(chapter: string): Promise<{ session: GameSession; blocks: OutputBlock[]; resumed: boolean }>;
  /** forgets the in-memory game (after quit); its saves stay */
  release(): Promise<void>;
  /** a party's state, or null (not a party, or none started) */
  partyState(): Promise<PartyState | null>;
  setPartyState(state: PartyState): Promise<void>;
  /** forgets the game and removes its saves and state (a party that ended) */
  remove(): Promise<void>;
  /** an imported save becomes the game in progress, saved before this returns (what the saving says comes back as blocks) */
  adopt(save: SaveData, source: string): Promise<{ session: GameSession; blocks: OutputBlock[] }>;
  /** the session's save slots */
  store(): SaveStore;
}

export class SessionManager {
  private readonly hot = new Map<string, Hot>();
  private readonly queue = new KeyedQueue();
  private readonly now: () => Date;
  private readonly hotLimit: number;
  private readonly idleLimitMs: number;
  private readonly seed: () => number;
  readonly backend: SessionBackend;

  constructor(opts: SessionManagerOptions) {
    this.now = opts.now ?? (() => new Date());
    this.hotLimit = opts.hotLimit ?? DEFAULT_HOT_LIMIT;
    this.idleLimitMs = opts.idleLimitMs ?? IDLE_LIMIT_MS;
    this.seed = opts.seed ?? randomSeed;
    if (opts.backend) this.backend = opts.backend;
    else if (opts.root) this.backend = new FileBackend(opts.root, this.now);
    else throw new TypeError('SessionManager needs a root folder or a backend');
  }

  /** the slot store of one session */
  storeFor(key: SessionKey): SaveStore {
    return this.backend.storeFor(keyId(key));
  }

  /** steps queued or running for this session (a busy session's next reply is deferred) */
  pending(key: SessionKey): number {
    return this.queue.pending(keyId(key));
  }

  /** how many sessions are in memory */
  hotCount(): number {
    return this.hot.size;
  }

  /** Runs `task` with the session's lock: after every task queued for it before, never beside one. */
  withSession<T>(key: SessionKey, task: (s: SessionAccess) => Promise<T>): Promise<T> {
    const id = keyId(key);
    return this.queue.run(id, async () => {
      const release = await this.backend.lock(id);
      try {
        const version = await this.backend.nextVersion(id);
        const held = this.hot.get(id);
        // another instance held the session since (or it expired there): this copy is stale
        if (held && version !== null && held.version !== version - 1) this.hot.delete(id);
        const result = await task(this.access(key, id));
        const entry = this.hot.get(id);
        if (entry) {
          entry.lastUsed = this.now().getTime();
          entry.version = version;
        }
        return result;
      } finally {
        await release();
        await this.trimHot(id);
      }
    });
  }

  private deps(key: SessionKey) {
    return { store: this.storeFor(key), autosaveSlot: AUTOSAVE_SLOT, now: this.now };
  }

  private access(key: SessionKey, id: string): SessionAccess {
    const current = async (): Promise<{ session: GameSession | null; problem: string | null }> => {
      const entry = this.hot.get(id);
      if (entry) return { session: entry.session, problem: null };
      const deps = this.deps(key);
      const res = await deps.store.read(AUTOSAVE_SLOT);
      if (res.status === 'missing') return { session: null, problem: null };
      if (res.status === 'damaged') return { session: null, problem: res.message };
      try {
        const session = GameSession.fromSave(res.save, deps, 'your last game');
        this.hot.set(id, { session, lastUsed: this.now().getTime(), version: null });
        return { session, problem: res.status === 'recovered' ? res.message : null };
      } catch (e) {
        return { session: null, problem: e instanceof Error ? e.message : String(e) };
      }
    };
    return {
      current,
      play: async (chapter: string) => {
        const { session } = await current();
        if (session && session.chapter === chapter && !session.result().solved) {
          return { session, blocks: session.open().blocks, resumed: true };
        }
        if (!findChapter(chapter)) throw new RangeError(`there is no chapter ${chapter}`);
        const fresh = GameSession.newGame(chapter, this.seed(), this.deps(key));
        const blocks = fresh.open().blocks;
        // the new game is on disk before the player sees its briefing; another chapter's game in the slot is moved aside, and the note says where
        blocks.push(...(await fresh.saveNow()));
        this.hot.set(id, { session: fresh, lastUsed: this.now().getTime(), version: null });
        return { session: fresh, blocks, resumed: false };
      },
      release: async () => {
        const entry = this.hot.get(id);
        this.hot.delete(id);
        if (entry) await entry.session.close();
      },
      partyState: () => this.backend.readPartyState(id),
      setPartyState: (state) => this.backend.writePartyState(id, state),
      remove: async () => {
        this.hot.delete(id);
        await this.backend.removeSession(id);
      },
      adopt: async (save, source) => {
        const session = GameSession.fromSave(save, this.deps(key), source);
        const blocks = await session.saveNow();
        this.hot.set(id, { session, lastUsed: this.now().getTime(), version: null });
        return { session, blocks };
      },
      store: () => this.storeFor(key),
    };
  }

  /**
   * Drops the least recently used sessions beyond the limit from memory: only idle ones (`ending`,
   * whose task is finishing, counts as idle), never one with a step running or queued.
   */
  private async trimHot(ending: string): Promise<void> {
    if (this.hot.size <= this.hotLimit) return;
    const idle = [...this.hot.entries()].filter(([id]) => this.queue.pending(id) === (id === ending ? 1 : 0)).sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    for (const [id, entry] of idle.slice(0, this.hot.size - this.hotLimit)) {
      this.hot.delete(id);
      await entry.session.close();
    }
  }

  /**
   * Removes every session that has had no step for the idle limit (30 days): its saves and its
   * place in memory. With the file backend, a session's last activity is its newest save's time
   * (every step saves), or its folder's time when it has none, and each removal takes the
   * session's lock, so a step arriving meanwhile runs before or after it, never during. With Redis,
   * every key of a session carries that lifetime and Redis removes them itself; only copies in
   * memory are dropped here. Returns the sessions removed from disk.
   */
  async sweepIdle(owns: (id: string) => boolean = () => true): Promise<string[]> {
    const backend = this.backend;
    if (!(backend instanceof FileBackend)) {
      const cutoff = this.now().getTime() - this.idleLimitMs;
      for (const [id, entry] of [...this.hot]) if (entry.lastUsed < cutoff && this.queue.pending(id) === 0) this.hot.delete(id);
      return [];
    }
    let names: string[];
    try {
      names = await fs.readdir(backend.root);
    } catch {
      return [];
    }
    const removed: string[] = [];
    // with worker threads (pool.ts) each sweeps the games it runs, under its own queue
    for (const name of names.filter((n) => KEY_DIR.test(n) && owns(n)).sort()) {
      const [application, scope, user] = name.split('.') as [string, string, string];
      const key = { application, scope, user };
      await this.queue.run(name, async () => {
        const dir = path.join(backend.root, name);
        const last = await this.lastActivity(key, dir);
        if (last === null || this.now().getTime() - last <= this.idleLimitMs) return;
        const entry = this.hot.get(name);
        this.hot.delete(name);
        if (entry) await entry.session.close();
        await fs.rm(dir, { recursive: true, force: true });
        removed.push(name);
      });
    }
    return removed;
  }

  private async lastActivity(key: SessionKey, dir: string): Promise<number | null> {
    const hot = this.hot.get(keyId(key));
    const latest = await this.storeFor(key).latest().catch(() => null);
    const times = [hot?.lastUsed, latest ? Date.parse(latest.savedAt) : undefined].filter((t): t is number => typeof t === 'number' && Number.isFinite(t));
    if (times.length > 0) return Math.max(...times);
    try {
      return (await fs.stat(dir)).mtimeMs;
    } catch {
      return null;
    }
  }
}
