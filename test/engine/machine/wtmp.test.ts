/**
 * /var/log/wtmp kept by the machine: what `last` reads after the player's own reboot, after a
 * kernel panic, across a save, and in a save from before the machine kept it.
 */
import { restoreGame, validateSavedGame, type SavedGame } from '../../../engine/index';
import { monthTurn } from '../../../engine/machine/wtmp';
import { newGame, play, roundTrip } from '../chapters/ch1/walkthrough.helpers';

type Obj = Record<string, unknown>;

/** `last`'s lines without the trailer: the name and line columns, and what ended it ("-" for a time) */
const rows = (out: string): string[] =>
  out
    .split('\n')
    .filter((l) => /^(ops|reboot|shutdown|runlevel) /.test(l))
    .map((l) => `${l.slice(0, 21).trimEnd()}|${l.slice(56, 64).trimEnd().replace(/^- \d\d:\d\d$/, '-')}`);

describe('wtmp', () => {
  it('a fresh game: the boot, the runlevel, and the login still open; the file begins with the boot', () => {
    const g = newGame(3);
    const [x] = play(g, ['last -x']);
    expect(rows(x!)).toEqual(['ops      pts/0|  still', 'runlevel (to lvl 2)|-', 'reboot   system boot|-']);
    const boot = /^reboot   system boot  (.{16}) (.{16})/m.exec(x!)!;
    expect(boot[1]).toBe('3.16.0-30-generi');
    expect(x).toContain(`\nwtmp begins ${boot[2]}:`);
  });

  it("the player's reboot: runlevel 6 and a shutdown record, the old login ends \"down\", a new boot and login follow", () => {
    const g = newGame(3);
    play(g, ['sudo reboot']);
    const [x, plain, boots] = play(g, ['last -x', 'last', 'last reboot']);
    expect(rows(x!)).toEqual([
      'ops      pts/0|  still',
      'runlevel (to lvl 2)|-',
      'reboot   system boot|-',
      'shutdown system down|-',
      'runlevel (to lvl 6)|-',
      'ops      pts/0|- down',
      'runlevel (to lvl 2)|-',
      'reboot   system boot|-',
    ]);
    expect(rows(plain!)).toEqual(['ops      pts/0|  still', 'reboot   system boot|-', 'ops      pts/0|- down', 'reboot   system boot|-']);
    expect(rows(boots!)).toEqual(['reboot   system boot|-', 'reboot   system boot|-']);
  });

  it('a kernel panic writes nothing: the login of that boot ends "crash" and there is no shutdown record', () => {
    const g = newGame(3);
    play(g, ['sudo sysctl -w vm.panic_on_oom=1', 'sleep 2h']);
    const [x] = play(g, ['last -x ops reboot shutdown']);
    expect(rows(x!)).toEqual(['ops      pts/0|  still', 'reboot   system boot|-', 'ops      pts/0|- crash', 'reboot   system boot|-']);
  });

  it('round-trips through JSON, and the state check accepts it', () => {
    const g = newGame(5);
    play(g, ['sudo reboot']);
    const again = roundTrip(g);
    expect(play(again, ['last -x'])).toEqual(play(g, ['last -x']));
    expect(() => validateSavedGame(g.snapshot())).not.toThrow();
    const wtmp = ((g.snapshot().state as Obj).world as { stats: { wtmp: { records: Array<{ type: string }> } } }).stats.wtmp;
    expect(wtmp.records.map((r) => r.type)).toEqual(['boot', 'runlevel', 'login', 'runlevel', 'shutdown', 'boot', 'runlevel', 'login']);
  });

  it('a save from before wtmp was kept gets one from its history: its boots, its clean shutdowns, the open login', () => {
    const g = newGame(5);
    play(g, ['sudo reboot']);
    const saved = JSON.parse(JSON.stringify(g.snapshot())) as SavedGame;
    delete (((saved.state as Obj).world as Obj).stats as Obj).wtmp;
    expect(() => validateSavedGame(saved)).not.toThrow();
    const old = restoreGame(saved);
    const [out] = play(old, ['last']);
    expect(rows(out!)).toEqual(['ops      pts/0|  still', 'reboot   system boot|-', 'reboot   system boot|-']);
    const [x] = play(old, ['last -x shutdown']);
    expect(rows(x!)).toEqual(['shutdown system down|-']);
  });

  it("logrotate's month: the turn is cron.daily's run on the 1st", () => {
    expect(new Date(monthTurn(Date.UTC(2015, 2, 13, 3))).toISOString()).toBe('2015-03-01T06:25:01.000Z');
    expect(new Date(monthTurn(Date.UTC(2015, 3, 1, 6, 0))).toISOString()).toBe('2015-03-01T06:25:01.000Z');
  });
});

describe('wtmp across a month', () => {
  it('on April 1st after cron.daily, last shows an empty file begun at the turn', () => {
    const g = newGame(3);
    const [date] = play(g, ['date +%s']);
    const days = Math.ceil((Date.UTC(2015, 3, 1, 7) - Number(/^\d+$/m.exec(date!)![0]) * 1000) / 86_400_000);
    play(g, [`sleep ${days}d`]);
    const [out] = play(g, ['last -x']);
    expect(out).toMatch(/wtmp begins Wed Apr  1 06:25:01 2015\n/);
  });
});
