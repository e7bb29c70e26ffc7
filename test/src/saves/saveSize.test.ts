/**
 * A chapter 1 save stays small however long the game runs (issue 8): written through the real
 * save path (src/saves FsSaveStore: header line, brotli body, durable write), the file is at most
 * 64 KiB after every step of a long game, and what it holds loads back into the same game.
 */
import { statSync } from 'node:fs';
import { createGame, restoreGame, type GameHandle } from '../../../engine/index';
import { FsSaveStore } from '../../../src/saves/fsStore';
import { QUICK_BODY_BYTES } from '../../../src/saves/slotFile';
import { ENGINE_COMPAT } from '../../../src/session';
import { blocksToPlainText } from '../../../src/text/plain';
import { INSTALL_FIXED_KERNEL } from '../../engine/chapters/ch1/walkthrough.helpers';
import { cleanupTempDirs, tempDir } from './helpers';

/** 64 KB as the bench counts it (KiB) */
const LIMIT = 64 * 1024;

function content(g: GameHandle) {
  const r = g.result();
  return {
    meta: { chapter: g.chapter, chapterTitle: 'chapter 1', progress: `${g.progress().done}/${g.progress().total} objectives done`, virtualTime: r.virtualTime, hints: r.hints, spells: r.spells },
    history: g.history(),
    payload: g.snapshot(),
  };
}

afterAll(cleanupTempDirs);

describe('a long chapter 1 game, saved after every step', () => {
  const store = new FsSaveStore({ dir: tempDir(), engine: ENGINE_COMPAT });
  const g = createGame('1', 42);
  g.start();
  const STEPS = [
    'free -m',
    'sudo slabtop -o',
    'sleep 1d',
    'sleep 7d',
    'repeat 500 sudo nsd-control reload',
    'sleep 7d',
    'sleep 7d',
    'repeat 500 sudo nsd-control reload',
    'repeat 500 sudo nsd-control reload',
    ...INSTALL_FIXED_KERNEL,
    'sudo reboot',
    'sleep 7d',
    'sleep 1d',
  ];
  const sizes: Array<[string, number]> = [];

  it('is at most 64 KiB on disk at every point, young saves compressed the quick way and old ones the small way', async () => {
    const bodies: number[] = [];
    for (const step of ['(start)', ...STEPS]) {
      if (step !== '(start)') g.step(step);
      const c = content(g);
      bodies.push(Buffer.byteLength(JSON.stringify({ history: c.history, payload: c.payload })));
      await store.write('long', c);
      sizes.push([step, statSync(store.fileOf('long')).size]);
    }
    const over = sizes.filter(([, n]) => n > LIMIT);
    expect(over).toEqual([]);
    // both brotli qualities were held to the limit: bodies on either side of the quick one's bound
    expect(bodies.some((n) => n < QUICK_BODY_BYTES)).toBe(true);
    expect(bodies.some((n) => n >= QUICK_BODY_BYTES)).toBe(true);
    // the game did get long: weeks of bulk reloads and 1500 of the player's own
    expect(blocksToPlainText(g.step('uname -r'))).toMatch(/^3\.19\.0-031900-generic/m);
  });

  it('loads back from the file into the same game', async () => {
    await store.write('long', content(g));
    const r = await store.read('long');
    if (r.status !== 'ok') throw new Error(`${r.status}: ${'message' in r ? r.message : ''}`);
    const back = restoreGame(r.save.payload);
    expect(JSON.stringify(back.snapshot())).toBe(JSON.stringify(g.snapshot()));
    for (const spell of ['dmesg | tail -n 3', 'tail -n 5 /var/log/syslog', 'uptime']) expect(blocksToPlainText(back.step(spell))).toBe(blocksToPlainText(g.step(spell)));
  });
});

describe('a chapter 2 game, saved after every step', () => {
  const store = new FsSaveStore({ dir: tempDir(), engine: ENGINE_COMPAT });
  const g = createGame('2', 42);
  g.start();
  // an hour of traffic at every step (each packet simulated), a capture, and a fix
  const STEPS = ['publish', 'sudo tcpdump -i lo -n -c 200 port 4151', 'sleep 1h', 'echo "tcp_nodelay: true" | sudo tee -a /etc/publisher/publisher.yml', 'sudo service publisher restart', 'sleep 1h'];

  it('is at most 64 KiB on disk at every point, and loads back into the same game', async () => {
    const sizes: Array<[string, number]> = [];
    for (const step of ['(start)', ...STEPS]) {
      if (step !== '(start)') expect(blocksToPlainText(g.step(step))).not.toMatch(/nothing after it ran/);
      await store.write('ch2', content(g));
      sizes.push([step, statSync(store.fileOf('ch2')).size]);
    }
    expect(sizes.filter(([, n]) => n > LIMIT)).toEqual([]);
    const r = await store.read('ch2');
    if (r.status !== 'ok') throw new Error(`${r.status}: ${'message' in r ? r.message : ''}`);
    const again = restoreGame(r.save.payload);
    expect(blocksToPlainText(again.step('publish'))).toBe(blocksToPlainText(g.step('publish')));
  });
});
