import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { InteractionResponseType, MessageFlags, type APIInteraction } from 'discord-api-types/v10';
import { routeOf, workerOf } from './route';
import type { HttpReply, InteractionHandler } from './server';
import type { FromWorker, ToWorker, WorkerSpec } from './worker';

/**
 * The bot's games on worker threads. The main thread keeps the HTTP endpoint (signatures, PING,
 * routing); each game is played on one worker, chosen from the game's id (route.ts), so its steps
 * stay in order on one thread while a step that computes for seconds (a long `sleep`, a loop of
 * reloads) holds up only the games of its worker. Discord still gets its answer within three
 * seconds: a worker busy in a step cannot run its own timer, so the main thread defers for it, and
 * an answer that comes after that goes to Discord as the edit of the deferred one.
 */
export interface PoolOptions {
  workers: number;
  spec: Omit<WorkerSpec, 'index' | 'count'>;
  /** the main thread defers an interaction its worker has not answered by then */
  fallbackDeferMs?: number;
  log: (message: string) => void;
  /** the compiled worker entry (default: worker.js beside this file) */
  workerFile?: string;
}

export const FALLBACK_DEFER_MS = 2000;

interface Pending {
  interaction: APIInteraction;
  worker: number;
  respond: (r: HttpReply) => Promise<void>;
  public: boolean;
  state: 'waiting' | 'answered' | 'deferred';
  deferral: Promise<void> | null;
  timer: NodeJS.Timeout;
  done: () => void;
}

export interface WorkerPool {
  handler: InteractionHandler;
  /** asks each worker to remove its games idle for 30 days */
  sweep(): void;
  close(): Promise<void>;
}

export async function startPool(opts: PoolOptions): Promise<WorkerPool> {
  const file = opts.workerFile ?? path.join(__dirname, 'worker.js');
  const count = Math.max(1, opts.workers);
  const fallback = opts.fallbackDeferMs ?? FALLBACK_DEFER_MS;
  const pending = new Map<number, Pending>();
  const workers: Worker[] = [];
  let seq = 0;
  let closing = false;

  const post = (n: number, m: ToWorker): void => workers[n]!.postMessage(m);

  /** Discord's answer to an interaction the main thread had already deferred: the edit of that answer */
  const editOriginal = async (p: Pending, reply: HttpReply): Promise<void> => {
    const json = reply.json as { type?: number; data?: Record<string, unknown> };
    // its own deferral: the worker edits the answer itself
    if (json.type === InteractionResponseType.DeferredChannelMessageWithSource) return;
    // a form (the Cast button's) cannot follow a deferred answer: say so instead of leaving it "thinking"
    const late: Record<string, unknown> = { content: 'The bot was busy with another game just then; press Cast again.', allowed_mentions: { parse: [] } };
    const { flags: _flags, ...data } = json.type === InteractionResponseType.ChannelMessageWithSource ? (json.data ?? {}) : late;
    const url = `${opts.spec.apiBase}/webhooks/${opts.spec.applicationId}/${encodeURIComponent(p.interaction.token)}/messages/@original`;
    try {
      const res = await fetch(url, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data) });
      await res.arrayBuffer();
      if (!res.ok) opts.log(`PATCH webhook answered ${res.status}`);
    } catch (e) {
      opts.log(`PATCH webhook failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  const onMessage = (n: number, m: FromWorker): void => {
    switch (m.type) {
      case 'log':
        opts.log(m.message);
        return;
      case 'swept':
        if (m.removed > 0) opts.log(`removed ${m.removed} sessions idle for 30 days`);
        return;
      case 'respond': {
        const p = pending.get(m.seq);
        if (!p) return;
        void (async () => {
          if (p.state === 'waiting') {
            p.state = 'answered';
            clearTimeout(p.timer);
            await p.respond(m.reply).catch((e: unknown) => opts.log(`answer failed: ${e instanceof Error ? e.message : String(e)}`));
          } else {
            await p.deferral;
            // the worker's own deferral needs nothing more: it edits the answer itself
            await editOriginal(p, m.reply);
          }
          post(n, { type: 'answered', seq: m.seq });
        })();
        return;
      }
      case 'done': {
        const p = pending.get(m.seq);
        if (!p) return;
        clearTimeout(p.timer);
        pending.delete(m.seq);
        p.done();
        return;
      }
      default:
        return;
    }
  };

  const spawn = (n: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const w = new Worker(file, { workerData: { ...opts.spec, index: n, count } satisfies WorkerSpec });
      workers[n] = w;
      w.on('message', (m: FromWorker) => {
        if (m.type === 'ready') resolve();
        else if (m.type === 'failed') reject(new Error(m.message));
        else onMessage(n, m);
      });
      w.once('error', (e) => {
        opts.log(`worker ${n} failed: ${e.stack ?? e.message}`);
        reject(e);
      });
      w.once('exit', (code) => {
        if (closing) return;
        opts.log(`worker ${n} exited (${code}); its unanswered interactions are told so, and a new worker takes its games`);
        // what it had saved is on disk: a new worker reads those games from their saves
        for (const [s, p] of pending) {
          if (p.worker !== n) continue;
          clearTimeout(p.timer);
          pending.delete(s);
          const sorry = { content: "Something went wrong on the bot's side; the game is as it was after your last answered step.", allowed_mentions: { parse: [] }, ...(p.public ? {} : { flags: MessageFlags.Ephemeral }) };
          const finish = p.state === 'waiting' ? p.respond({ json: { type: InteractionResponseType.ChannelMessageWithSource, data: sorry } }) : (p.deferral ?? Promise.resolve()).then(() => editOriginal(p, { json: { type: 4, data: sorry } }));
          p.state = 'answered';
          void finish.catch(() => undefined).finally(p.done);
        }
        spawn(n).catch((e: unknown) => opts.log(`worker ${n} could not be restarted: ${e instanceof Error ? e.message : String(e)}`));
      });
    });

  try {
    await Promise.all(Array.from({ length: count }, (_, n) => spawn(n)));
  } catch (e) {
    closing = true;
    await Promise.all(workers.map((w) => w?.terminate()));
    throw e;
  }

  const handler: InteractionHandler = (interaction, respond) =>
    new Promise<void>((done) => {
      const route = routeOf(interaction);
      const n = workerOf(route.game, count);
      const s = ++seq;
      const p: Pending = {
        interaction,
        worker: n,
        respond,
        public: route.public,
        state: 'waiting',
        deferral: null,
        done,
        timer: setTimeout(() => {
          if (p.state !== 'waiting') return;
          p.state = 'deferred';
          p.deferral = respond({ json: { type: InteractionResponseType.DeferredChannelMessageWithSource, data: p.public ? {} : { flags: MessageFlags.Ephemeral } } }).catch(() => undefined);
        }, fallback),
      };
      pending.set(s, p);
      post(n, { type: 'interaction', seq: s, interaction });
    });

  return {
    handler,
    sweep: () => workers.forEach((_, n) => post(n, { type: 'sweep' })),
    close: async () => {
      closing = true;
      await Promise.all(
        workers.map(
          (w, n) =>
            new Promise<void>((resolve) => {
              w.once('exit', () => resolve());
              w.on('message', (m: FromWorker) => m.type === 'closed' && void w.terminate());
              post(n, { type: 'close' });
            }),
        ),
      );
    },
  };
}
