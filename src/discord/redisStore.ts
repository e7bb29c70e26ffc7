import type { EngineCompat, SaveData } from '../saves/index';
import { assertSlotName } from '../saves/slotName';
import { continuesGame } from '../saves/lineage';
import { decodeSaveFile, encodeSlotFile } from '../saves/slotFile';
import { SaveWriteError } from '../saves/fsStore';
import {
  compareNewestFirst,
  saveInfoOf,
  type ArchivedSave,
  type ReadResult,
  type SaveInfo,
  type SaveInput,
  type SaveProblem,
  type SaveScan,
  type SaveStore,
  type WriteOptions,
  type WriteReport,
} from '../saves/store';
import type { RedisLink } from './redisLink';

/**
 * A SaveStore in Redis, for bot instances that share their games. Each slot holds the very bytes a
 * slot file holds on disk (slotFile.ts: the header line and the compressed body), so a save read
 * from Redis is checked exactly as one read from a folder, and the same rules hold: the previous
 * good save is kept as the slot's backup, a save of another game is moved to a dated slot of its
 * own instead of being replaced, and a value this grimoire cannot read is never replaced.
 *
 * One session's slots live in two hashes, `<prefix>:slots` and `<prefix>:baks`, both given the
 * session's idle lifetime again on every write (Redis removes a session left alone that long).
 * Writes to one session are serialised by the session's lock (sessions.ts); a write is a single
 * MULTI/EXEC, so a crash leaves the old save or the new one.
 */
export class RedisSaveStore implements SaveStore {
  constructor(
    private readonly link: RedisLink,
    /** the session's key prefix, e.g. 'grimoire:{1.2.3}' */
    private readonly prefix: string,
    private readonly opts: { engine: EngineCompat; now: () => Date; idleMs: number },
  ) {}

  private get slotsKey(): string {
    return `${this.prefix}:slots`;
  }

  private get baksKey(): string {
    return `${this.prefix}:baks`;
  }

  /** how a slot is named in messages: like the file it would be on disk */
  private show(slot: string, backup = false): string {
    return backup ? `${slot}.bak.json` : `${slot}.json`;
  }

  private decode(slot: string, bytes: Buffer | null, backup: boolean): { ok: true; save: SaveData; bytes: Buffer } | { ok: false; problem: SaveProblem } {
    const file = this.show(slot, backup);
    if (bytes === null) return { ok: false, problem: { slot, file, reason: 'missing', message: `${file} is missing.` } };
    const r = decodeSaveFile(bytes, file, { engine: this.opts.engine });
    if (!r.ok) return { ok: false, problem: { slot, file, reason: r.reason, message: r.message } };
    return { ok: true, save: r.save, bytes };
  }

  private async pair(slot: string): Promise<[Buffer | null, Buffer | null]> {
    const [main, bak] = await Promise.all([this.link.send('HGET', this.slotsKey, slot), this.link.send('HGET', this.baksKey, slot)]);
    return [(main as Buffer | null) ?? null, (bak as Buffer | null) ?? null];
  }

  async read(slot: string): Promise<ReadResult> {
    const name = assertSlotName(slot, { allowReserved: true });
    const [mainBytes, bakBytes] = await this.pair(name);
    const main = this.decode(name, mainBytes, false);
    if (main.ok) return { status: 'ok', slot: name, save: main.save, file: this.show(name) };
    const bak = this.decode(name, bakBytes, true);
    if (bak.ok) {
      const lead = main.problem.reason === 'missing' ? `${main.problem.file} is missing.` : `${main.problem.message} That save was left as it is.`;
      return { status: 'recovered', slot: name, save: bak.save, file: this.show(name, true), problem: main.problem, message: `${lead} Your previous good copy ${this.show(name, true)} (saved ${bak.save.savedAt}) was kept.` };
    }
    if (main.problem.reason === 'missing' && bak.problem.reason === 'missing') {
      return { status: 'missing', slot: name, message: `There is no save called ${JSON.stringify(name)}.` };
    }
    const problem = main.problem.reason === 'missing' ? bak.problem : main.problem;
    return { status: 'damaged', slot: name, problem, backupProblem: bak.problem.reason === 'missing' ? null : bak.problem, message: `${problem.message} There is no good copy of slot "${name}"; it was left as it is.` };
  }

  async write(slot: string, input: SaveInput, opts: WriteOptions = {}): Promise<WriteReport> {
    const name = assertSlotName(slot, { allowReserved: true });
    const data: SaveData = { slot: name, savedAt: input.savedAt ?? this.opts.now().toISOString(), meta: input.meta, history: input.history, payload: input.payload };
    const bytes = await encodeSlotFile(data);
    const [mainBytes, bakBytes] = await this.pair(name);
    const main = this.decode(name, mainBytes, false);
    const bak = this.decode(name, bakBytes, true);
    const unusable = [main, bak].find((l): l is { ok: false; problem: SaveProblem } => !l.ok && l.problem.reason !== 'missing');
    if (unusable) {
      if (opts.ifUnusable !== 'divert') {
        throw new SaveWriteError(`${unusable.problem.message} Nothing was saved to slot "${name}": the game never replaces or moves a save it cannot read. Save under another name.`);
      }
      const to = await this.freeSlotName(name, data.savedAt);
      const moved: SaveData = { ...data, slot: to };
      await this.commit([['HSET', this.slotsKey, to, await encodeSlotFile(moved)]]);
      return { save: moved, archived: [], diverted: { from: name, problem: unusable.problem } };
    }
    const ops: (string | Buffer)[][] = [];
    const archived: ArchivedSave[] = [];
    let mainStays = main.ok;
    if (main.ok && !continuesGame(main.save, data)) {
      const to = await this.freeSlotName(name, main.save.savedAt);
      ops.push(['HSET', this.slotsKey, to, main.bytes]);
      if (bak.ok) ops.push(['HSET', this.baksKey, to, bak.bytes], ['HDEL', this.baksKey, name]);
      archived.push({ from: name, slot: to, savedAt: main.save.savedAt, meta: main.save.meta });
      mainStays = false;
    } else if (bak.ok && !continuesGame(bak.save, data)) {
      const to = await this.freeSlotName(name, bak.save.savedAt);
      ops.push(['HSET', this.slotsKey, to, bak.bytes], ['HDEL', this.baksKey, name]);
      archived.push({ from: name, slot: to, savedAt: bak.save.savedAt, meta: bak.save.meta });
    }
    if (mainStays && main.ok) ops.push(['HSET', this.baksKey, name, main.bytes]);
    ops.push(['HSET', this.slotsKey, name, bytes]);
    await this.commit(ops);
    return { save: data, archived, diverted: null };
  }

  /** the writes in one transaction, and the session's idle lifetime started again */
  private async commit(ops: (string | Buffer)[][]): Promise<void> {
    const result = await this.link.transaction([...ops, ['PEXPIRE', this.slotsKey, this.opts.idleMs], ['PEXPIRE', this.baksKey, this.opts.idleMs]]);
    if (!Array.isArray(result)) throw new SaveWriteError('The save could not be written to Redis (the transaction was aborted); the previous save was kept.');
  }

  private async freeSlotName(slot: string, iso: string): Promise<string> {
    for (let n = 1; n <= 100; n++) {
      const name = datedSlotName(slot, iso, n);
      if (name === slot) continue;
      const taken = await Promise.all([this.link.send('HEXISTS', this.slotsKey, name), this.link.send('HEXISTS', this.baksKey, name)]);
      if (taken.every((t) => Number(t) === 0)) return name;
    }
    throw new SaveWriteError(`There is no free slot name left for "${slot}" at ${iso}, so nothing was saved.`);
  }

  async remove(slot: string): Promise<void> {
    const name = assertSlotName(slot, { allowReserved: true });
    await this.link.send('HDEL', this.slotsKey, name);
    await this.link.send('HDEL', this.baksKey, name);
  }

  async scan(): Promise<SaveScan> {
    const [mains, baks] = await Promise.all([this.hash(this.slotsKey), this.hash(this.baksKey)]);
    const saves: SaveInfo[] = [];
    const damaged: SaveProblem[] = [];
    for (const slot of [...new Set([...mains.keys(), ...baks.keys()])].sort()) {
      const main = this.decode(slot, mains.get(slot) ?? null, false);
      if (main.ok) {
        saves.push(saveInfoOf(main.save, slot, this.show(slot)));
        continue;
      }
      const bak = this.decode(slot, baks.get(slot) ?? null, true);
      if (bak.ok) saves.push(saveInfoOf(bak.save, slot, this.show(slot, true), main.problem));
      else damaged.push(main.problem.reason === 'missing' ? bak.problem : main.problem);
    }
    saves.sort(compareNewestFirst);
    return { saves, damaged };
  }

  private async hash(key: string): Promise<Map<string, Buffer>> {
    const flat = ((await this.link.send('HGETALL', key)) ?? []) as Buffer[] | Map<Buffer, Buffer> | Record<string, Buffer>;
    const out = new Map<string, Buffer>();
    if (Array.isArray(flat)) for (let i = 0; i + 1 < flat.length; i += 2) out.set(flat[i]!.toString('utf8'), flat[i + 1]!);
    else if (flat instanceof Map) for (const [k, v] of flat) out.set(Buffer.isBuffer(k) ? k.toString('utf8') : String(k), v);
    else for (const [k, v] of Object.entries(flat)) out.set(k, v);
    return out;
  }

  async list(): Promise<SaveInfo[]> {
    return (await this.scan()).saves;
  }

  async latest(): Promise<SaveInfo | null> {
    return (await this.list())[0] ?? null;
  }
}

/** 2025-01-02T03:04:05.678Z → 20250102-030405 (UTC), as the file store names archived slots */
function stampOf(iso: string): string {
  const t = Date.parse(iso);
  const d = new Date(Number.isNaN(t) ? 0 : t);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

function datedSlotName(slot: string, iso: string, n: number): string {
  const suffix = `-${stampOf(iso)}${n > 1 ? `-${n}` : ''}`;
  return assertSlotName(slot.slice(0, 64 - suffix.length).replace(/\.+$/, '') + suffix, { allowReserved: true });
}
