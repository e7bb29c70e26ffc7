import { createBot } from './app';
import { ConfigError, loadConfig } from './config';
import { createInteractionServer, INTERACTIONS_PATH, listen } from './server';
import { SessionManager } from './sessions';

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
  const sessions = new SessionManager({ root: config.storeDir });
  const log = (m: string): void => void process.stderr.write(`grimoire discord: ${m}\n`);
  const server = createInteractionServer({ publicKey: config.publicKey, handler: createBot({ applicationId: config.applicationId, apiBase: config.apiBase, sessions, log }), log });
  const port = await listen(server, config.port);
  process.stdout.write(`grimoire discord: listening on port ${port}, POST ${INTERACTIONS_PATH}; saves in ${config.storeDir}\n`);
  const sweep = (): void => {
    sessions.sweepIdle().then(
      (removed) => removed.length > 0 && log(`removed ${removed.length} sessions idle for 30 days`),
      (e: unknown) => log(`idle sweep failed: ${e instanceof Error ? e.message : String(e)}`),
    );
  };
  sweep();
  const timer = setInterval(sweep, SWEEP_EVERY_MS);
  timer.unref();
  return new Promise((resolve) => {
    const stop = (): void => {
      clearInterval(timer);
      // every answered step is already on disk; stop taking new ones and let running ones finish
      server.close(() => resolve(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

if (require.main === module) {
  main().then((code) => process.exit(code));
}
