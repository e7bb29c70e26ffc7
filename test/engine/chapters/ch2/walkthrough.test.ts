/**
 * Chapter 2 played through the engine's public handle: the stall comes out of the TCP stack, each
 * working fix solves the chapter, each wrong one behaves as the mechanism says, and a saved game
 * carries on exactly as an unsaved one.
 */
import { blocksToPlainText } from '../../../../src/text/plain';
import { createGame, restoreGame, type GameHandle } from '../../../../engine/index';

function newGame(seed: number): GameHandle {
  const g = createGame('2', seed);
  g.start();
  return g;
}

const play = (g: GameHandle, lines: readonly string[]): string[] => lines.map((l) => blocksToPlainText(g.step(l)));

/** what `publish` measured, in ms */
function publishMs(g: GameHandle): number {
  const out = blocksToPlainText(g.step('publish'));
  const m = /published topic=\w+ bytes=\d+ in (\d+\.\d\d)ms/.exec(out);
  if (!m) throw new Error(`no measurement in: ${out}`);
  return Number(m[1]);
}

interface NetView {
  recent: Array<[number, number]>;
}
const net = (g: GameHandle): NetView => (g.snapshot().state as { world: { net: NetView } }).world.net;

/** catch the stall on the wire, whichever moment the capture starts at */
const DIAGNOSE = ['sudo tcpdump -i lo -n -c 40 port 4151'];
const RESTART_APP = 'sudo service publisher restart';

describe('chapter 2: the stall is the stack', () => {
  test.each([1, 7, 42])('seed %i: a keep-alive publish waits 36-41 ms, nsqd answers in a fraction of a millisecond', (seed) => {
    const g = newGame(seed);
    const ms = [publishMs(g), publishMs(g), publishMs(g)];
    for (const v of ms) {
      expect(v).toBeGreaterThan(30);
      expect(v).toBeLessThan(42);
    }
    // curl sends its request in one write: nsqd answers at once
    const curl = blocksToPlainText(g.step(`curl -s -w ' %{time_total}\\n' -d '{"id":1}' 'http://127.0.0.1:4151/pub?topic=events'`));
    const m = /^OK (\d+\.\d+)$/m.exec(curl);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeLessThan(0.005);
  });

  test('tcpdump shows the headers, a bare ACK a delayed-ACK timeout later, then the body; the objective notices', () => {
    const g = newGame(7);
    const out = play(g, DIAGNOSE)[0]!;
    const lines = out.split('\n').filter((l) => / IP 127\.0\.0\.1\.\d+ > 127\.0\.0\.1\.\d+: Flags/.test(l));
    const t = (l: string): number => {
      const [h, m, s] = l.slice(0, 15).split(':').map(Number);
      return h! * 3600 + m! * 60 + s!;
    };
    const ack = lines.findIndex((l, i) => i > 0 && /127\.0\.0\.1\.4151 > .*Flags \[\.\], ack \d+,.* length 0$/.test(l) && / > 127\.0\.0\.1\.4151: Flags \[P\.\]/.test(lines[i - 1]!) && t(l) - t(lines[i - 1]!) > 0.03);
    expect(ack).toBeGreaterThan(0);
    expect(lines[ack + 1]).toMatch(/ > 127\.0\.0\.1\.4151: Flags \[P\.\].*length \d+$/);
    expect(t(lines[ack + 1]!) - t(lines[ack]!)).toBeLessThan(0.001);
    expect(blocksToPlainText(g.step('status'))).toMatch(/\[x\] See where each publish spends its 40 ms/);
  });
});

describe('chapter 2: fixes', () => {
  test.each([
    ['tcp_nodelay in the config', ['echo "tcp_nodelay: true" | sudo tee -a /etc/publisher/publisher.yml', RESTART_APP]],
    ['one write per request', ['echo "single_write: true" | sudo tee -a /etc/publisher/publisher.yml', RESTART_APP]],
    ['quick ACKs on the loopback route, then an app restart', ['sudo ip route change local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1 table local quickack 1', RESTART_APP]],
  ])('%s: fast, holds across the restart, solved', (_name, fix) => {
    const g = newGame(1);
    play(g, [...DIAGNOSE, ...fix, 'sleep 6m']);
    expect(publishMs(g)).toBeLessThan(1);
    const status = blocksToPlainText(g.step('status'));
    expect(status).toMatch(/\[x\] p99 publish latency under 1 ms/);
    expect(status).toMatch(/\[x\] The fix survives a restart of the app/);
    expect(g.solved()).toBe(true);
  });

  test('the incantation on the live app: fast until the app restarts, then the stall is back', () => {
    const g = newGame(7);
    const set = blocksToPlainText(g.step('sudo setsockopt NODELAY'));
    expect(set).toMatch(/-> 127\.0\.0\.1:4151: setsockopt\(IPPROTO_TCP, TCP_NODELAY, \[1\], 4\) = 0/);
    play(g, ['sleep 5m']);
    expect(publishMs(g)).toBeLessThan(1);
    expect(blocksToPlainText(g.step('status'))).toMatch(/\[x\] p99 publish latency under 1 ms/);
    play(g, [RESTART_APP, 'sleep 1m']);
    expect(publishMs(g)).toBeGreaterThan(30);
    expect(g.solved()).toBe(false);
  });

  test('the incantation needs root for another user\'s process, and a process with sockets', () => {
    const g = newGame(1);
    const [asOps, noSockets, badOpt] = play(g, ['setsockopt NODELAY', 'sudo setsockopt -p 1 TCP_NODELAY 1', 'sudo setsockopt -p 1 SO_LINGER']);
    expect(asOps).toMatch(/Operation not permitted/);
    expect(noSockets).toMatch(/holds no TCP connections/);
    expect(badOpt).toMatch(/unknown option 'SO_LINGER'/);
  });
});

describe('chapter 2: experiments that do not fix it', () => {
  test('restarting nsqd: the fresh connection answers its first request at once, then delays again', () => {
    const g = newGame(42);
    type Row = [number, number, number, number, number, number, number, number];
    const timeline = (): Row[] => (g.snapshot().state as { world: { net: { timeline: Row[] } } }).world.net.timeline;
    const before = new Set(timeline().map((r) => r[7]));
    play(g, ['sudo service nsqd restart', 'sleep 3s']);
    // each publish on the new connection: from its write to the whole answer read
    const waits = timeline()
      .filter((r) => !before.has(r[7]))
      .map((r) => r[5] - r[2]);
    expect(waits.length).toBeGreaterThan(2);
    expect(waits[0]).toBeLessThan(1);
    expect(waits.slice(1).every((ms) => ms > 30)).toBe(true);
    expect(publishMs(g)).toBeGreaterThan(30);
  });

  test('NODELAY on nsqd changes nothing; QUICKACK on it does not last', () => {
    const g = newGame(1);
    const pid = blocksToPlainText(g.step('pidof nsqd')).trim();
    play(g, [`sudo setsockopt -p ${pid} TCP_NODELAY 1`]);
    expect(publishMs(g)).toBeGreaterThan(30);
    play(g, [`sudo setsockopt -p ${pid} TCP_QUICKACK 1`]);
    play(g, ['sleep 5s']);
    expect(publishMs(g)).toBeGreaterThan(30);
    expect(g.solved()).toBe(false);
  });
});

describe('chapter 2: determinism and saves', () => {
  const SCRIPT = ['publish', 'ss -tin', 'sleep 20s', 'publish', 'graph publish-latency'];

  test('the same seed and lines print the same thing', () => {
    expect(play(newGame(3), SCRIPT)).toEqual(play(newGame(3), SCRIPT));
  });

  test('a game saved mid-stall carries on exactly as one that was not saved', () => {
    const a = newGame(5);
    const b = newGame(5);
    play(a, ['publish']);
    play(b, ['publish']);
    const restored = restoreGame(JSON.parse(JSON.stringify(b.snapshot())));
    expect(play(restored, SCRIPT)).toEqual(play(a, SCRIPT));
  });
});
