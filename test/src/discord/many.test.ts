import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { registerChapter } from '../../../engine/chapters/registry';
import { SessionManager } from '../../../src/discord/sessions';
import { stubChapter } from '../../fixtures/stub-chapter';
import { APP, GUILD, cast, codeOf, slash, startBot } from './bot.helpers';

/**
 * A thousand players at once on one bot: each session is its own game, answered with its own
 * output, saved in its own folder, and memory holds at most the hot limit of them. The games are
 * the stub chapter's (test/fixtures), cheap to restore, so the test is about the bot, not the
 * simulation: one game is played through the endpoint and its save copied into the other 999
 * players' folders, as if each had played it.
 */
registerChapter(stubChapter);

const PLAYERS = 1000;
const HOT_LIMIT = 100;
/** interactions in flight at once, as a busy server's worth of players */
const CONCURRENCY = 32;

const userOf = (n: number) => String(800000000000000000n + BigInt(n));

async function inParallel<T>(n: number, width: number, f: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await f(i);
      }
    }),
  );
  return out;
}

describe('a thousand sessions', () => {
  it('each player gets their own game, saved in their own folder, with at most the hot limit in memory', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'grimoire-many-'));
    const sessions = new SessionManager({ root, seed: () => 42, hotLimit: HOT_LIMIT });
    const bot = await startBot({ sessions });
    try {
      const first = await bot.send(slash(userOf(0), 'play', [{ name: 'chapter', type: 4, value: 99 }]));
      expect(first.status).toBe(200);
      expect(first.body!.type).toBe(4);
      const dirOf = (n: number) => path.join(root, `${APP}.${GUILD}.${userOf(n)}`);
      for (let n = 1; n < PLAYERS; n++) {
        mkdirSync(dirOf(n));
        copyFileSync(path.join(dirOf(0), 'autosave.json'), path.join(dirOf(n), 'autosave.json'));
      }

      // round one: every player casts a line naming themselves
      const answers = await inParallel(PLAYERS, CONCURRENCY, (n) => bot.send(cast(userOf(n), `echo player-${n}`)));
      for (const [n, a] of answers.entries()) {
        expect(a.status).toBe(200);
        expect(a.body!.type).toBe(4);
        expect(codeOf(a.body!.data!.content as string).split('\n')[1]).toBe(`player-${n}`);
      }
      expect(sessions.hotCount()).toBeLessThanOrEqual(HOT_LIMIT);

      // round two, for every tenth player: most of these left memory long ago and come back from their saves
      const again = await inParallel(PLAYERS / 10, CONCURRENCY, (k) => bot.send(cast(userOf(k * 10), 'history')));
      for (const [k, a] of again.entries()) {
        expect(codeOf(a.body!.data!.content as string).split('\n').slice(1)).toEqual([`    1  echo player-${k * 10}`, '    2  history']);
      }
      expect(sessions.hotCount()).toBeLessThanOrEqual(HOT_LIMIT);

      // every folder holds one game, its own
      expect(readdirSync(root).length).toBe(PLAYERS);
      for (const n of [0, 1, 499, 998, 999]) {
        const saved = await sessions.storeFor({ application: APP, scope: GUILD, user: userOf(n) }).read('autosave');
        expect(saved.status).toBe('ok');
        expect(saved.status === 'ok' && saved.save.history).toEqual(n % 10 === 0 ? [`echo player-${n}`, 'history'] : [`echo player-${n}`]);
      }
      // nothing the bot logged went wrong
      expect(bot.logs).toEqual([]);
    } finally {
      await bot.close();
      rmSync(root, { recursive: true, force: true });
    }
  }, 180_000);
});
