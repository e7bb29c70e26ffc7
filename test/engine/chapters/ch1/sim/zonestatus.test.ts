import * as sim from '../../../../../engine/chapters/ch1/sim';
import { fresh } from './helpers';

const T = (s: string) => Date.parse(`${s}Z`);

describe('nsd-control zonestatus (NSD 4.0.1 remote.c)', () => {
  function world() {
    const g = fresh(5);
    const names = ['internal.example.com', 'example.com', 'example.net', 'example.org', 'svc.example.com'];
    g.w.nsd.zones = names.map((name, i) => ({ name, loaded: 2015030100 + i, disk: 2015030100 + i, primary: 2015030100 + i, weight: 1 }));
    const z = (n: string) => g.w.nsd.zones.find((x) => x.name === n)!;
    z('example.com').diskAt = T('2015-03-02T03:10:00');
    z('internal.example.com').diskAt = T('2015-03-02T03:12:07');
    // a newer serial waits on disk: the served one keeps the time it was committed
    Object.assign(z('svc.example.com'), { loaded: 2015030104, disk: 2015030105, diskAt: T('2015-03-02T03:14:59'), servedDiskAt: T('2015-03-02T03:01:30') });
    return g;
  }

  it('lists every zone in canonical order with its served and committed serials and since when', () => {
    const g = world();
    expect(sim.nsdControl(g.w, ['zonestatus'], 'root')).toEqual({
      stdout:
        'zone:\texample.com\n\tstate: ok\n\tserved-serial: "2015030101 since 2015-03-02T03:10:00"\n\tcommit-serial: "2015030101 since 2015-03-02T03:10:00"\n' +
        'zone:\tinternal.example.com\n\tstate: ok\n\tserved-serial: "2015030100 since 2015-03-02T03:12:07"\n\tcommit-serial: "2015030100 since 2015-03-02T03:12:07"\n' +
        'zone:\tsvc.example.com\n\tstate: ok\n\tserved-serial: "2015030104 since 2015-03-02T03:01:30"\n\tcommit-serial: "2015030105 since 2015-03-02T03:14:59"\n' +
        'zone:\texample.net\n\tstate: ok\n\tserved-serial: none\n\tcommit-serial: none\n' +
        'zone:\texample.org\n\tstate: ok\n\tserved-serial: none\n\tcommit-serial: none\n',
      stderr: '',
      code: 0,
    });
  });

  it('shows one zone when named, and says so when it is not configured', () => {
    const g = world();
    expect(sim.nsdControl(g.w, ['zonestatus', 'example.com.'], 'root').stdout).toBe(
      'zone:\texample.com\n\tstate: ok\n\tserved-serial: "2015030101 since 2015-03-02T03:10:00"\n\tcommit-serial: "2015030101 since 2015-03-02T03:10:00"\n',
    );
    expect(sim.nsdControl(g.w, ['zonestatus', 'example.invalid'], 'root')).toEqual({ stdout: 'error zone example.invalid not configured\n', stderr: '', code: 1 });
  });

  it('records the commit time of each transfer as it lands', () => {
    const g = fresh(5);
    const before = g.w.nsd.zones.map((z) => z.disk);
    sim.advance(g.w, g.streams, g.w.now + 60_000, { runCommand: () => ({ stdout: '', stderr: '', code: 0 }) });
    const moved = g.w.nsd.zones.filter((z, i) => z.disk !== before[i]);
    expect(moved.length).toBeGreaterThan(0);
    for (const z of moved) expect(z.diskAt).toBeGreaterThan(g.w.now - 60_001);
  });
});
