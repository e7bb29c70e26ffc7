import { harness, type Harness } from '../fake-env';

/** sleep and the shell's share of the line's limits (the game gives timeLeft and interrupted; here the test does) */
const DAY = 86_400_000;
let h: Harness;
let deadline: number;
beforeEach(() => {
  h = harness();
  deadline = h.clock.now + 30 * DAY;
  h.env.timeLeft = () => deadline - h.clock.now;
});

describe('sleep within the line limit', () => {
  test('thirty days in one line, in one sleep or in many', () => {
    const t0 = h.clock.now;
    expect(h.run('sleep 30d; echo ok')).toMatchObject({ stdout: 'ok\n', stderr: '', code: 0 });
    expect(h.clock.now - t0).toBe(30 * DAY);
    deadline = h.clock.now + 30 * DAY;
    const r = h.run('repeat 40 sleep 1d; echo after');
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('sleep: 1d would take this line past 30 days of virtual time, the most one line may let pass; nothing after it ran\n');
    expect(h.clock.now - t0).toBe(60 * DAY);
  });

  test('sums and units as coreutils reads them; nothing moves for a refused sleep', () => {
    const t0 = h.clock.now;
    expect(h.run('sleep 1 2m 1.5h 0.5d 1e3 .25').code).toBe(0);
    expect(h.clock.now - t0).toBe(1000 + 120_000 + 5_400_000 + 43_200_000 + 1_000_000 + 250);
    const t1 = h.clock.now;
    for (const bad of ['sleep 30d 1s', 'sleep 100000000000000000000000000000000000000000d', 'sleep infinity', 'sleep 1e309']) {
      expect(h.run(bad)).toMatchObject({ code: 1, stdout: '' });
      expect(h.clock.now).toBe(t1);
    }
    expect(h.run('sleep -1').stderr).toBe("sleep: invalid time interval '-1'\nTry 'sleep --help' for more information.\n");
    expect(h.run('sleep').stderr).toBe("sleep: missing operand\nTry 'sleep --help' for more information.\n");
  });
});

describe('Ctrl-C in the shell', () => {
  test('stops a loop between two commands: status 130, nothing printed about it', () => {
    let asked = 0;
    h.env.interrupted = () => ++asked > 20;
    const r = h.run('for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do echo $i; done; echo after');
    expect(r.code).toBe(130);
    expect(r.stderr).toBe('');
    const printed = r.stdout.split('\n').filter(Boolean);
    expect(printed.length).toBeGreaterThan(3);
    expect(printed.length).toBeLessThan(20);
    expect(printed).not.toContain('after');
    h.env.interrupted = () => false;
    expect(h.run('echo $?').stdout).toBe('130\n');
  });

  test('a while loop with nothing but builtins, and a pipeline, stop too', () => {
    let asked = 0;
    h.env.interrupted = () => ++asked > 100;
    expect(h.run('while true; do :; done').code).toBe(130);
    asked = 0;
    const r = h.run('seq 5 | while true; do cat > /dev/null; done');
    expect(r.code).toBe(130);
  });
});
