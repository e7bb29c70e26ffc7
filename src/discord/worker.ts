import { parentPort, workerData } from 'node:worker_threads';
import type { APIInteraction } from 'discord-api-types/v10';
import { createBot } from './app';
import { RedisBackend, type SessionBackend } from './backends';
import { RedisLink } from './redisLink';
import { workerOf } from './route';
import type { HttpReply } from './server';
import { IDLE_LIMIT_MS, SessionManager } from './sessions';

/**
 * One worker thread of the bot (pool.ts): it runs the games routed to it, with its own sessions
 * in memory and its own connection to the store, and answers through the main thread, which owns
 * the HTTP connections. An engine step that computes for seconds holds up this thread only: the
 * main thread keeps verifying and routing, and the other workers keep playing.
 */
export interface WorkerSpec {
  index: number;
  count: number;
  applicationId: string;
  apiBase: string;
  storeDir: string;
  redisUrl: string | null;
  facilitatorRole: string | null;
  deferAfterMs?: number;
}

/** main → worker */
export type ToWorker = { type: 'interaction'; seq: number; interaction: APIInteraction } | { type: 'answered'; seq: number } | { type: 'sweep' } | { type: 'close' };
/** worker → main */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'respond'; seq: number; reply: HttpReply }
  | { type: 'done'; seq: number }
  | { type: 'log'; message: string }
  | { type: 'swept'; removed: number }
  | { type: 'closed' }
  | { type: 'failed'; message: string };

async function run(spec: WorkerSpec): Promise<void> {
  const port = parentPort!;
  const send = (m: FromWorker): void => port.postMessage(m);
  const log = (message: string): void => send({ type: 'log', message });
  let backend: SessionBackend | undefined;
  if (spec.redisUrl) backend = new RedisBackend(await RedisLink.connect(spec.redisUrl), { now: () => new Date(), idleMs: IDLE_LIMIT_MS });
  const sessions = new SessionManager({ root: spec.storeDir, backend });
  const bot = createBot({ applicationId: spec.applicationId, apiBase: spec.apiBase, sessions, facilitatorRole: spec.facilitatorRole, deferAfterMs: spec.deferAfterMs, log });
  // an answer is written by the main thread; webhook calls for the interaction wait until it is
  const answered = new Map<number, () => void>();
  const inFlight = new Set<Promise<void>>();
  port.on('message', (m: ToWorker) => {
    switch (m.type) {
      case 'interaction': {
        const respond = (reply: HttpReply): Promise<void> =>
          new Promise((resolve) => {
            answered.set(m.seq, resolve);
            send({ type: 'respond', seq: m.seq, reply });
          });
        const work = bot(m.interaction, respond)
          .catch((e: unknown) => log(`interaction ${m.interaction.id} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`))
          .finally(() => {
            inFlight.delete(work);
            send({ type: 'done', seq: m.seq });
          });
        inFlight.add(work);
        break;
      }
      case 'answered':
        answered.get(m.seq)?.();
        answered.delete(m.seq);
        break;
      case 'sweep':
        sessions.sweepIdle((id) => workerOf(id, spec.count) === spec.index).then(
          (removed) => send({ type: 'swept', removed: removed.length }),
          (e: unknown) => log(`idle sweep failed: ${e instanceof Error ? e.message : String(e)}`),
        );
        break;
      case 'close':
        void Promise.allSettled([...inFlight])
          .then(() => sessions.backend.close())
          .finally(() => {
            send({ type: 'closed' });
            port.close();
          });
        break;
    }
  });
  send({ type: 'ready' });
}

if (parentPort) {
  run(workerData as WorkerSpec).catch((e: unknown) => parentPort!.postMessage({ type: 'failed', message: e instanceof Error ? e.message : String(e) } satisfies FromWorker));
}
