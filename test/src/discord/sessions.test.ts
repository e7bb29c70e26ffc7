import { workerOf } from '../../../src/discord/route';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { KeyedQueue } from '../../../src/discord/queue';
import { IDLE_LIMIT_MS, SessionManager, keyId } from '../../../src/discord/sessions';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('KeyedQueue', () => {
  it('runs the tasks of one key one at a time, in the order they were queued', async () => {
    const q = new KeyedQueue();
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const delays = [30, 5, 20, 0, 10, 25, 1, 15];
    await Promise.all(
      delays.map((d, i) =>
        q.run('k', async () => {
          running++;
          most = Math.max(most, running);
          log.push(`start ${i}`);
          await sleep(d);
          log.push(`end ${i}`);
          running--;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(log).toEqual(delays.flatMap((_, i) => [`start ${i}`, `end ${i}`]));
    expect(q.pending('k')).toBe(0);
  });

  it('lets different keys run side by side, and a failed task does not stop the next', async () => {
    const q = new KeyedQueue();
    const log: string[] = [];
    const a = q.run('a', async () => {
      await sleep(30);
      log.push('a');
    });
    const b = q.run('b', async () => {
      log.push('b');
    });
    const failing = q.run('a', async () => {
      throw new Error('boom');
    });
    const after = q.run('a', async () => 'still runs');
    expect(q.pending('a')).toBe(3);
    await Promise.all([a, b]);
    await expect(failing).rejects.toThrow('boom');
    await expect(after).resolves.toBe('still runs');
    expect(log).toEqual(['b', 'a']);
  });
});

describe('SessionManager', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'grimoire-sessions-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('names a session by application, guild (or dm) and user, with nothing else in the name', () => {
    expect(keyId({ application: '1', scope: '2', user: '3' })).toBe('1.2.3');
    expect(keyId({ application: '1', scope: 'dm', user: '3' })).toBe('1.dm.3');
    for (const bad of [{ application: '1', scope: '..', user: '3' }, { application: '1/2', scope: 'dm', user: '3' }, { application: '1', scope: '2', user: '' }]) {
      expect(() => keyId(bad)).toThrow(RangeError);
    }
  });

  it('removes sessions idle for 30 days, saves and all, and keeps the others', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const sessions = new SessionManager({ root, now: () => new Date(now), seed: () => 7 });
    const old = { application: '1', scope: '2', user: '10' };
    const recent = { application: '1', scope: 'dm', user: '11' };
    await sessions.withSession(old, async (s) => {
      await s.play('1');
    });
    now += 2 * 24 * 3600 * 1000;
    await sessions.withSession(recent, async (s) => {
      const { session } = await s.play('1');
      await session.handle('uptime');
    });
    expect(readdirSync(root).sort()).toEqual(['1.2.10', '1.dm.11']);

    // 30 days after the old one's last step: not yet
    now = Date.parse('2026-01-31T00:00:00Z');
    expect(await sessions.sweepIdle()).toEqual([]);
    now += 1000;
    expect(await sessions.sweepIdle()).toEqual(['1.2.10']);
    expect(existsSync(path.join(root, '1.2.10'))).toBe(false);
    expect(existsSync(path.join(root, '1.dm.11', 'autosave.json'))).toBe(true);

    // a step keeps a session alive; the old player's next /play is a new game
    await sessions.withSession(recent, async (s) => {
      await (await s.current()).session!.handle('uptime');
    });
    now += IDLE_LIMIT_MS;
    expect(await sessions.sweepIdle()).toEqual([]);
    now += 1;
    expect(await sessions.sweepIdle()).toEqual(['1.dm.11']);
    const fresh = await sessions.withSession(old, async (s) => (await s.current()).session);
    expect(fresh).toBeNull();
  });

  it('with worker threads, each sweeps only the sessions it runs', async () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    const sessions = new SessionManager({ root, now: () => new Date(now) });
    // empty and old enough by their folder times (the clock is years ahead)
    for (const id of ['1.2.3', '1.2.4', '1.2.5', '1.2.6']) mkdirSync(path.join(root, id));
    const mine = (id: string) => workerOf(id, 2) === workerOf('1.2.3', 2);
    const expected = ['1.2.3', '1.2.4', '1.2.5', '1.2.6'].filter(mine);
    expect(expected.length).toBeLessThan(4);
    expect(await sessions.sweepIdle(mine)).toEqual(expected);
    expect(readdirSync(root).sort()).toEqual(['1.2.3', '1.2.4', '1.2.5', '1.2.6'].filter((id) => !mine(id)));
  });

  it('leaves folders that are not sessions alone', async () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    const sessions = new SessionManager({ root, now: () => new Date(now) });
    mkdirSync(path.join(root, 'not-a-session'));
    mkdirSync(path.join(root, '1.2.3')); // empty and old enough by its folder time (the clock is years ahead)
    expect(await sessions.sweepIdle()).toEqual(['1.2.3']);
    expect(readdirSync(root)).toEqual(['not-a-session']);
  });

  it('keeps at most hotLimit sessions in memory; a dropped one comes back from its save', async () => {
    const sessions = new SessionManager({ root, hotLimit: 1, seed: () => 3 });
    const a = { application: '1', scope: '2', user: '20' };
    const b = { application: '1', scope: '2', user: '21' };
    await sessions.withSession(a, async (s) => {
      const { session } = await s.play('1');
      await session.handle('echo kept');
    });
    await sessions.withSession(b, async (s) => {
      await s.play('1');
    });
    expect(sessions.hotCount()).toBe(1);
    const history = await sessions.withSession(a, async (s) => (await s.current()).session!.history());
    expect(history).toEqual(['echo kept']);
  });

  it('never drops a session from memory while one of its steps runs', async () => {
    const sessions = new SessionManager({ root, hotLimit: 1, seed: () => 5 });
    const a = { application: '1', scope: '2', user: '30' };
    const b = { application: '1', scope: '2', user: '31' };
    let openGate: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    let played: () => void = () => undefined;
    const aPlayed = new Promise<void>((resolve) => (played = resolve));
    const aRun = sessions.withSession(a, async (s) => {
      const { session } = await s.play('1');
      played();
      await gate;
      return session;
    });
    await aPlayed;
    // b ends while a's step is still running: b, not a, leaves memory
    await sessions.withSession(b, async (s) => {
      await s.play('1');
    });
    openGate();
    const aSession = await aRun;
    const again = await sessions.withSession(a, async (s) => (await s.current()).session);
    expect(again).toBe(aSession);
    expect(sessions.hotCount()).toBe(1);
  });
});
