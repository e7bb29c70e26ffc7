import { createBot } from './app';
import { startPool, type WorkerPool } from './pool';
import { RedisBackend, type SessionBackend } from './backends';
import { ConfigError, loadConfig } from './config';
import { RedisLink } from './redisLink';
import { createInteractionServer, INTERACTIONS_PATH, listen } from './server';
import { IDLE_LIMIT_MS, SessionManager } from './sessions';

/** how often idle sessions are looked for (they are removed after 30 days without a step) */
const SWEEP_EVERY_MS = 60 * 60 * 1000;

/** `npm run discord`: the interactions endpoint on PORT, until SIGINT or SIGTERM. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let config;
  try {
    config = loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`grimoire discord: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const log = (m: string): void => void process.stderr.write(`grimoire discord: ${m}\n`);
  let backend: SessionBackend | undefined;
  let pool: WorkerPool | undefined;
  if (config.redisUrl) {
    try {
      backend = new RedisBackend(await RedisLink.connect(config.redisUrl), { now: () => new Date(), idleMs: IDLE_LIMIT_MS });
    } catch (e) {
      const shown = new URL(config.redisUrl);
      if (shown.password) shown.password = '***';
      process.stderr.write(`grimoire discord: GRIMOIRE_STORE: could not connect to ${shown.href}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 2;
    }
  }
  let bot: ReturnType<typeof createBot>;
  let sweepIdle: () => void;
  let closeGames: () => Promise<void>;
  if (config.workers > 0) {
    // the games on worker threads, each with its own connection to the store (this one only showed that the store answers)
    await backend?.close();
    try {
      pool = await startPool({ workers: config.workers, spec: { applicationId: config.applicationId, apiBase: config.apiBase, storeDir: config.storeDir, redisUrl: config.redisUrl, facilitatorRole: config.facilitatorRole }, log });
    } catch (e) {
      process.stderr.write(`grimoire discord: the worker threads did not start: ${e instanceof Error ? e.message : String(e)}\n`);
      return 2;
    }
    bot = pool.handler;
    sweepIdle = pool.sweep;
    closeGames = pool.close;
  } else {
    const sessions = new SessionManager({ root: config.storeDir, backend });
    bot = createBot({ applicationId: config.applicationId, apiBase: config.apiBase, sessions, facilitatorRole: config.facilitatorRole, log });
    sweepIdle = () =>
      void sessions.sweepIdle().then(
        (removed) => removed.length > 0 && log(`removed ${removed.length} sessions idle for 30 days`),
        (e: unknown) => log(`idle sweep failed: ${e instanceof Error ? e.message : String(e)}`),
      );
    closeGames = () => sessions.backend.close();
  }
  // interactions still being worked on (a deferred one goes on after its HTTP answer): a stop waits for them
  const inFlight = new Set<Promise<void>>();
  const handler: typeof bot = (i, respond) => {
    const work = bot(i, respond);
    inFlight.add(work);
    void work.then(
      () => inFlight.delete(work),
      () => inFlight.delete(work),
    );
    return work;
  };
  const server = createInteractionServer({ publicKey: config.publicKey, handler, log });
  const port = await listen(server, config.port);
  process.stdout.write(
    `grimoire discord: listening on port ${port}, POST ${INTERACTIONS_PATH}; saves in ${config.redisUrl ? 'Redis' : config.storeDir}; games on ${config.workers > 0 ? `${config.workers} worker threads` : 'the main thread'}\n`,
  );
  sweepIdle();
  const timer = setInterval(sweepIdle, SWEEP_EVERY_MS);
  timer.unref();
  return new Promise((resolve) => {
    const stop = (): void => {
      clearInterval(timer);
      // take no new interactions; let those under way finish (their steps saved, their answers sent)
      server.close();
      void Promise.allSettled([...inFlight])
        .then(() => closeGames())
        .finally(() => resolve(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

if (require.main === module) {
  main().then((code) => process.exit(code));
}
