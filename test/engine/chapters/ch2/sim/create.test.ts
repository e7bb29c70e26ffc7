import { advance } from '../../../../../engine/machine/advance';
import { createCh2World } from '../../../../../engine/chapters/ch2/sim/create';
import { CONFIG_PATH, nsqdMetadataPath } from '../../../../../engine/chapters/ch2/sim/files';
import { readConfig } from '../../../../../engine/chapters/ch2/sim/config';
import { parseYaml } from '../../../../../engine/chapters/ch2/sim/yaml';
import type { Ch2World } from '../../../../../engine/chapters/ch2/sim/world';
import { RngStreams } from '../../../../../engine/rng';

const SEEDS = [1, 2, 3, 42, 1234];

function built(seed: number): { w: Ch2World; streams: RngStreams } {
  const streams = new RngStreams(seed);
  return { w: createCh2World(streams), streams };
}

describe.each(SEEDS)('seed %i: the web box as the player finds it', (seed) => {
  const { w } = built(seed);
  const procs = w.k.procs;

  it('is a night in mid-November 2015, the box up for hours or days, the player logged in', () => {
    expect(new Date(w.now).toISOString()).toMatch(/^2015-11-(1[3-9]|20)T0[1-4]:/);
    const up = w.now - w.k.bootTime;
    expect(up).toBeGreaterThanOrEqual(6 * 3_600_000 - 1_000);
    expect(up).toBeLessThan(61 * 3_600_000);
    expect(w.sessionPid).toBeGreaterThan(0);
    expect(w.k.release).toBe('3.13.0-61-generic');
    expect(w.k.cpus).toBe(2);
  });

  it('runs nsqd as nsq and the publisher as publisher, each with its upstart exec line', () => {
    const nsqd = procs.find((p) => p.pid === w.nsqd.pid)!;
    const app = procs.find((p) => p.pid === w.app.pid)!;
    expect([nsqd.user, nsqd.uid, nsqd.ppid, nsqd.comm]).toEqual(['nsq', w.p.nsqUid, 1, 'nsqd']);
    expect(nsqd.args).toBe('/usr/local/bin/nsqd --http-address=127.0.0.1:4151 --tcp-address=127.0.0.1:4150 --data-path=/var/lib/nsq');
    expect([app.user, app.uid, app.ppid, app.comm]).toEqual(['publisher', w.p.publisherUid, 1, 'ruby']);
    expect(app.args).toBe('ruby /srv/publisher/bin/publisher -c /etc/publisher/publisher.yml');
    // Go's runtime runs several threads; ruby 1.9.3 a main thread and its timer thread
    expect(nsqd.threads).toBeGreaterThanOrEqual(6);
    expect(app.threads).toBe(2);
    const rssMb = (p: typeof app) => (p.mm!.shareKb + p.mm!.privKb + p.mm!.fileKb) / 1024;
    expect(rssMb(app)).toBeGreaterThanOrEqual(60);
    expect(rssMb(app)).toBeLessThanOrEqual(90);
    expect(rssMb(nsqd)).toBeGreaterThanOrEqual(10);
    expect(rssMb(nsqd)).toBeLessThanOrEqual(20);
    // nsqd first, the publisher after it: both from upstart on runlevel 2, up since boot
    expect(nsqd.start).toBeLessThan(app.start);
    expect(app.start - w.k.bootTime).toBeLessThan(7_000);
    expect(procs.filter((p) => p.comm === 'ruby' || p.comm === 'nsqd')).toHaveLength(2);
  });

  it('has the accounts in /etc/passwd and /etc/group that the processes and files name', () => {
    const passwd = w.files.files['/etc/passwd']!.content;
    const group = w.files.files['/etc/group']!.content;
    expect(passwd).toContain(`\npublisher:x:${w.p.publisherUid}:${w.p.publisherUid + 7}::/srv/publisher:/bin/false\n`);
    expect(passwd).toContain(`\nnsq:x:${w.p.nsqUid}:${w.p.nsqUid + 7}::/var/lib/nsq:/bin/false\n`);
    expect(group).toContain(`\npublisher:x:${w.p.publisherUid + 7}:\n`);
    expect(group).toContain(`\nnsq:x:${w.p.nsqUid + 7}:\n`);
    const uids = passwd.trim().split('\n').map((l) => l.split(':')[2]);
    expect(new Set(uids).size).toBe(uids.length);
    const gids = group.trim().split('\n').map((l) => l.split(':')[2]);
    expect(new Set(gids).size).toBe(gids.length);
  });

  it('has files that parse: the config as the app read it, nsqd metadata as JSON, two upstart jobs', () => {
    const conf = w.files.files[CONFIG_PATH]!;
    expect([conf.owner, conf.group, conf.mode]).toEqual(['root', 'publisher', 0o640]);
    expect(parseYaml(conf.content)).toMatchObject({ ok: true, value: { t: 'map' } });
    expect(conf.content).not.toMatch(/tcp_nodelay|single_write/);
    const read = readConfig(conf, w.app.pid, 'publisher', ['publisher']);
    expect(read).toEqual({ ok: true, config: { nsqdUrl: 'http://127.0.0.1:4151', topic: 'events', poolSize: 1, tcpNodelay: false, singleWrite: false } });
    expect(w.app.config).toEqual((read as { config: unknown }).config);
    const meta = w.files.files[nsqdMetadataPath(w.p)]!;
    expect(nsqdMetadataPath(w.p)).toMatch(/^\/var\/lib\/nsq\/nsqd\.\d{1,4}\.dat$/);
    expect(JSON.parse(meta.content)).toEqual({ topics: [{ channels: [], name: 'events', paused: false }], version: '0.3.6' });
    expect([meta.owner, meta.mode]).toEqual(['nsq', 0o600]);
    expect(w.files.files['/etc/init/publisher.conf']!.content).toMatch(/^respawn\nsetuid publisher\n/m);
    expect(w.files.files['/etc/init/publisher.conf']!.content).toContain('\nexec ruby /srv/publisher/bin/publisher -c /etc/publisher/publisher.yml\n');
    expect(w.files.files['/etc/init/nsqd.conf']!.content).toContain('\nsetuid nsq\n');
    expect(w.files.files['/srv/publisher/README']!.content).toMatch(/tcp_nodelay .*\n(.*\n)*?.*default: false/);
    expect(w.files.files['/srv/publisher/README']!.content).toMatch(/single_write .*\n(.*\n)*?.*default: false/);
    // the app's source: one POST through Net::HTTP#request on a started (kept-alive) connection
    expect(w.files.files['/srv/publisher/lib/publisher/nsq_client.rb']!.content).toContain('res = http.request(req)');
    expect(w.files.files['/usr/local/bin/nsqd']!.bytes).toBeGreaterThan(1_000_000);
  });

  it('logged the start of both daemons in their own formats', () => {
    // its start, then the minute summaries of the traffic since (App#report)
    const app = w.files.files['/var/log/publisher/publisher.log']!.content.split('\n').filter(Boolean);
    expect(app.length).toBeGreaterThan(1);
    for (const l of app.slice(1)) expect(l).toMatch(/ INFO -- : published \d+ events to events in the last 60s: median \d+\.\d\dms, p99 \d+\.\d\dms, max \d+\.\d\dms$/);
    expect(app[0]).toMatch(
      new RegExp(`^I, \\[2015-11-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6} #${w.app.pid}\\]  INFO -- : starting: nsqd_url=http://127\\.0\\.0\\.1:4151 topic=events pool_size=1 tcp_nodelay=false single_write=false$`),
    );
    const nsqd = w.files.files['/var/log/upstart/nsqd.log']!.content.split('\n').filter(Boolean);
    expect(nsqd.map((l) => l.replace(/^\[nsqd\] 2015\/\d\d\/\d\d \d\d:\d\d:\d\d\.\d{6} /, ''))).toEqual([
      'nsqd v0.3.6 (built w/go1.5.1)',
      `ID: ${w.p.nsqdId}`,
      'TOPIC(events): created',
      `NSQ: persisting topic/channel metadata to ${nsqdMetadataPath(w.p)}`,
      'TCP: listening on 127.0.0.1:4150',
      'HTTP: listening on 127.0.0.1:4151',
    ]);
  });

  it('draws what may vary within its ranges', () => {
    expect(w.p.publishRate).toBeGreaterThanOrEqual(3);
    expect(w.p.publishRate).toBeLessThanOrEqual(8);
    expect(w.p.clientPort).toBeGreaterThanOrEqual(32_768);
    expect(w.p.clientPort).toBeLessThanOrEqual(61_000);
    expect(w.p.bodyMinBytes).toBeLessThan(w.p.bodyMaxBytes);
  });
});

describe('the world is plain JSON', () => {
  it('round-trips, and a restored copy lives on exactly as the original', () => {
    const a = built(7);
    const text = JSON.stringify(a.w);
    expect(JSON.parse(text)).toEqual(a.w);
    const b = { w: JSON.parse(text) as Ch2World, streams: new RngStreams(7, a.streams.getState()) };
    // twenty minutes: every publish runs packet by packet, and a few thousand of them are enough to differ if anything were lost
    for (const g of [a, b]) advance(g.w, g.streams, g.w.now + 20 * 60_000);
    expect(JSON.stringify(b.w)).toBe(JSON.stringify(a.w));
  });

  it('differs from seed to seed only where variety is harmless', () => {
    const [x, y] = [built(1).w, built(2).w];
    expect(x.p.arrivalAt === y.p.arrivalAt && x.p.clientPort === y.p.clientPort).toBe(false);
    expect(built(1).w).toEqual(x);
  });
});
