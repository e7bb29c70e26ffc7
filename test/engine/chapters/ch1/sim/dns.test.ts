import * as sim from '../../../../../engine/chapters/ch1/sim';
import { zoneTransfer } from '../../../../../engine/chapters/ch1/sim/dns';
import { fresh } from './helpers';

const SEED = 11;

describe('what the servers answer', () => {
  it('NSD 4.0.1 answers SERVFAIL for a zone it does not host; from 4.0.2 on it is REFUSED', () => {
    const g = fresh(SEED);
    const q = () => sim.dnsQuery(g.w, g.streams.stream('dns'), { server: '127.0.0.1', qname: 'www.example.invalid', qtype: 'A' }).view;
    expect(q()).toMatchObject({ outcome: 'answer', rcode: 'SERVFAIL', aa: false, ra: false, answers: [] });
    // the version the running daemon was started from decides (ChangeLog of 4.0.2, 27 January 2014)
    g.w.nsd.running!.version = '4.0.2';
    expect(q()).toMatchObject({ rcode: 'REFUSED', aa: false });
    g.w.nsd.running!.version = '4.1.7';
    expect(q()).toMatchObject({ rcode: 'REFUSED', aa: false });
  });

  it('a name without the asked type is NODATA: the SOA in authority with its TTL capped at the minimum', () => {
    const g = fresh(SEED);
    const v = sim.dnsQuery(g.w, g.streams.stream('dns'), { server: '127.0.0.1', qname: 'mail.example.com', qtype: 'TXT' }).view;
    const minimum = g.w.p.zones.find((z) => z.name === 'example.com')!.minimum;
    expect(v).toMatchObject({ outcome: 'answer', rcode: 'NOERROR', aa: true, answers: [] });
    expect(v.authority).toEqual([expect.objectContaining({ name: 'example.com.', type: 'SOA', ttl: Math.min(86400, minimum) })]);
  });

  it('the resolver sets ra and never aa, and gives the answer alone', () => {
    const g = fresh(SEED);
    const v = sim.dnsQuery(g.w, g.streams.stream('dns'), { server: '', qname: 'www.example.com', qtype: 'A' }).view;
    expect(v).toMatchObject({ aa: false, ra: true, authority: [], additional: [] });
    expect(v.answers.map((r) => r.type)).toEqual(['A']);
  });

  it('AXFR: refused without provide-xfr, the whole zone between two SOAs once nsd.conf allows this client', () => {
    const g = fresh(SEED);
    expect(zoneTransfer(g.w, g.streams.stream('dns'), '127.0.0.1', 'example.com.').kind).toBe('failed');
    const conf = g.w.files.files['/etc/nsd/nsd.conf']!;
    conf.content = conf.content.replace(/(\trequest-xfr: .*\n)/, '$1\tprovide-xfr: 127.0.0.1 NOKEY\n');
    const x = zoneTransfer(g.w, g.streams.stream('dns'), '127.0.0.1', 'example.com.');
    if (x.kind !== 'ok') throw new Error(`transfer ${x.kind}`);
    expect(x.records[0]!.type).toBe('SOA');
    expect(x.records[x.records.length - 1]).toEqual(x.records[0]);
    expect(x.records.filter((r) => r.type === 'SOA')).toHaveLength(2);
    // from another address the same pattern still refuses
    expect(zoneTransfer(g.w, g.streams.stream('dns'), g.w.p.ip, 'example.com.').kind).toBe('failed');
    sim.serviceNsd(g.w, 'stop', 'root');
    expect(zoneTransfer(g.w, g.streams.stream('dns'), '127.0.0.1', 'example.com.').kind).toBe('refused-connection');
  });
});
