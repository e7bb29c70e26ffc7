import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FsSaveStore } from '../../../src/saves/index';
import { ENGINE_COMPAT } from '../../../src/session';
import { APP, GUILD, cast, slash } from './bot.helpers';
import { makeKeys, postSigned, startStub } from './helpers';

/**
 * The real bot process (dist/src/discord/main.js, as `npm run discord` runs it) SIGKILLed while a
 * step runs: every step it had answered is in the save the next process opens.
 */
const REPO = path.join(__dirname, '..', '..', '..');
const MAIN = path.join(REPO, 'dist', 'src', 'discord', 'main.js');

function requireFreshBuild(): void {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: this test runs the compiled bot. Run \`npm run build\` (npm test does it first).`);
  const newest = (dir: string, ext: string) => Math.max(...readdirSync(dir).filter((n) => n.endsWith(ext)).map((n) => statSync(path.join(dir, n)).mtimeMs));
  if (Math.min(...readdirSync(path.dirname(MAIN)).filter((n) => n.endsWith('.js')).map((n) => statSync(path.join(path.dirname(MAIN), n)).mtimeMs)) < newest(path.join(REPO, 'src', 'discord'), '.ts')) {
    throw new Error('dist/src/discord is older than src/discord: run `npm run build` (npm test does it first).');
  }
}

describe('a bot process killed mid-step', () => {
  const keys = makeKeys();
  const PLAYER = '660000000000000001';
  let root: string;
  let stub: Awaited<ReturnType<typeof startStub>>;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    requireFreshBuild();
    root = mkdtempSync(path.join(tmpdir(), 'grimoire-kill-'));
    stub = await startStub();
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await stub.close();
    rmSync(root, { recursive: true, force: true });
  });

  /** starts `npm run discord`'s process on a free port; resolves once it listens */
  function startBot(): Promise<{ child: ChildProcess; port: number }> {
    const child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, DISCORD_PUBLIC_KEY: keys.publicKeyHex, DISCORD_APPLICATION_ID: APP, PORT: '0', DISCORD_API_BASE: stub.base, GRIMOIRE_STORE: root },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    return new Promise((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on port (\d+)/.exec(out);
        if (m) resolve({ child, port: Number(m[1]) });
      });
      child.once('exit', (code) => reject(new Error(`the bot exited (${code}) before listening: ${out}`)));
    });
  }

  const killed = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

  it('loses nothing it answered', async () => {
    const first = await startBot();
    const send = (port: number, i: unknown) => postSigned(port, keys.privateKey, i);
    // deferred or not, every one of these is answered before the next is sent
    expect((await send(first.port, slash(PLAYER, 'play', [{ name: 'chapter', type: 4, value: 1 }]))).status).toBe(200);
    await stub.waitFor(1, 60_000).catch(() => undefined);
    for (const line of ['echo one', 'echo two', 'echo three']) expect((await send(first.port, cast(PLAYER, line))).status).toBe(200);

    // a long step, and the process killed while it runs
    const slow = send(first.port, cast(PLAYER, 'sleep 30d')).then(
      (r) => r,
      (e: Error) => e,
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    first.child.kill('SIGKILL');
    await killed(first.child);
    const answer = await slow;

    const second = await startBot();
    const before = stub.requests.length;
    const four = await send(second.port, cast(PLAYER, 'echo four'));
    expect(four.status).toBe(200);
    // a deferred answer is complete when its edit reaches Discord
    if (JSON.parse(four.text).type === 5) await stub.waitFor(before + 1, 60_000);
    second.child.kill('SIGTERM');
    await killed(second.child);
    expect(second.child.exitCode).toBe(0);

    const store = new FsSaveStore({ dir: path.join(root, `${APP}.${GUILD}.${PLAYER}`), engine: ENGINE_COMPAT });
    const saved = await store.read('autosave');
    expect(saved.status).toBe('ok');
    const history = saved.status === 'ok' ? saved.save.history : [];
    // the slow step is there only if it was saved before the kill; everything answered is there, in order
    const expected = answer instanceof Error || answer.status !== 200 ? ['echo one', 'echo two', 'echo three'] : ['echo one', 'echo two', 'echo three', 'sleep 30d'];
    expect(history.filter((l) => l !== 'sleep 30d')).toEqual(['echo one', 'echo two', 'echo three', 'echo four']);
    expect(history.slice(0, 3)).toEqual(expected.slice(0, 3));
    if (expected.length === 4) expect(history).toContain('sleep 30d');
  });

  it('refuses to start without its settings, naming each missing variable, exit status 2', async () => {
    const env = { ...process.env };
    for (const k of ['DISCORD_PUBLIC_KEY', 'DISCORD_APPLICATION_ID', 'DISCORD_TOKEN', 'GRIMOIRE_STORE', 'DISCORD_FACILITATOR_ROLE']) delete env[k];
    const child = spawn(process.execPath, [MAIN], { env: { ...env, PORT: 'eighty' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(err.split('\n').filter(Boolean).map((l) => l.replace(/^grimoire discord: /, '').split(' ')[0])).toEqual(['DISCORD_PUBLIC_KEY', 'DISCORD_APPLICATION_ID', 'PORT']);
  });
});
