/** The `time` keyword in the shell: what it times, where it prints, and how it parses. */
import { parse } from '../../../engine/shell/parse';
import { newGame, play } from '../chapters/ch1/walkthrough.helpers';
import { harness } from './fake-env';

describe('time (bash 4.3 keyword)', () => {
  it('times the whole pipeline on the virtual clock and prints to the shell stderr, past the pipeline`s own redirections', () => {
    const h = harness();
    const r = h.run('time sleep 2 2>/dev/null | cat');
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("\nreal\t0m2.000s\nuser\t0m0.000s\nsys\t0m0.000s\nbash: time: a spell's own CPU time is not simulated: user and sys count the simulated processes on your terminal\n");
    expect(r.code).toBe(0);
  });

  it("the CPU the session's simulated processes used while it ran, as user time; no note when there is some", () => {
    const h = harness();
    let cpu = 100;
    h.env.cpuUsed = () => ({ userMs: cpu, sysMs: 0 });
    const advance = h.env.advance;
    h.env.advance = (ms) => {
      advance(ms);
      cpu += ms / 100;
    };
    expect(h.run('time -p sleep 3').stderr).toBe('real 3.00\nuser 0.03\nsys 0.00\n');
  });

  it("the spell's moment is billed before the clock starts; the status is the pipeline's", () => {
    const h = harness();
    let billed = 0;
    h.env.startClock = () => {
      billed++;
      h.clock.now += 1_700;
    };
    const r = h.run('TIMEFORMAT=%3R; time ! sleep 0.25');
    expect(r.stderr.split('\n')[0]).toBe('0.250');
    expect(billed).toBe(1);
    expect(r.code).toBe(1);
  });

  it('a bare time prints too; in sh -c (dash) time is no keyword and trusty has no /usr/bin/time', () => {
    const h = harness();
    expect(h.run('time').stderr).toBe('\nreal\t0m0.000s\nuser\t0m0.000s\nsys\t0m0.000s\n');
    const r = h.run("sh -c 'time true'");
    expect(r.stderr).toBe('sh: 1: time: not found\n');
    expect(r.code).toBe(127);
  });

  it('parses as a prefix of the pipeline only: a quoted or later "time" is a word', () => {
    const p = (src: string) => {
      const r = parse(src);
      if (!r.ok) throw new Error('parse');
      return r.script.items[0]!.first;
    };
    expect(p('time -p ls | wc').timed).toBe('posix');
    expect(p('time ls').commands).toHaveLength(1);
    expect(p("'time' ls").timed).toBeUndefined();
    expect(p('echo time').timed).toBeUndefined();
    expect(p('time; ls')).toEqual({ timed: 'bash', negate: false, commands: [], pipeStderr: [] });
  });
});

describe('time in a game', () => {
  it('real is what the pipeline took on the world clock, without the moment the spell costs', () => {
    const g = newGame(3);
    const [out] = play(g, ['time sleep 2']);
    expect(out!.startsWith('\nreal\t0m2.000s\nuser\t0m0.000s\nsys\t0m0.000s\n')).toBe(true);
  });
});
