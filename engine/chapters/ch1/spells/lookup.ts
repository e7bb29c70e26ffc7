import { HOST_USAGE, chaseCname, formatHost, type HostLookup } from '../../../formats/host';
import { formatNslookup } from '../../../formats/nslookup';
import { defineCommand } from '../../../shell/commands/define';
import type { CommandResult, CommandSpec } from '../../../shell/types';
import { dnsQuery } from '../sim/dns';
import type { Ch1Context } from './context';

/**
 * host and nslookup: the same questions dig asks, put to the same servers (the NSD here, the
 * primary, the resolver of /etc/resolv.conf), with each tool's own retries and words. Neither
 * sends EDNS, and each waits out its tries when nothing answers, on the virtual clock.
 */

const res = (stdout: string, stderr = '', code = 0): CommandResult => ({ stdout, stderr, code });

/** 4.3.2.1.in-addr.arpa. for 1.2.3.4, as both tools turn an address into a PTR question */
function reverseOf(name: string): string | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(name);
  return m ? `${m.slice(1).reverse().join('.')}.in-addr.arpa.` : null;
}

const TYPES = new Set(['A', 'AAAA', 'ANY', 'CNAME', 'MX', 'NS', 'PTR', 'SOA', 'SRV', 'TXT']);

export function lookupSpells(c: Ch1Context): CommandSpec[] {
  const w = () => c.world();
  const ask = (server: string, qname: string, qtype: string, tries: number, timeSec: number) => {
    const q = dnsQuery(w(), c.streams.stream('dns'), { server, qname, qtype, tries, timeSec, edns: false });
    c.advance(q.elapsedMs);
    return q.view;
  };
  const lookupOf = (v: ReturnType<typeof ask>): HostLookup =>
    v.outcome === 'timeout' ? { kind: 'timeout' } : { kind: 'reply', rcode: v.rcode ?? (v.outcome === 'nxdomain' ? 'NXDOMAIN' : 'NOERROR'), answers: v.answers };
  return [
    defineCommand({
      name: 'host',
      path: '/usr/bin/host',
      summary: 'DNS lookup utility',
      category: 'network',
      synopsis: ['host [-t TYPE] [-W SECONDS] [-R RETRIES] NAME [SERVER]'],
      description: [
        'Looks a name up and says what it found in a sentence per record: its addresses, the name it is an alias for, where its mail goes. Without -t it asks for the A records, then the AAAA and MX records of the name at the end of any alias chain.',
        'With no server it asks the resolver in /etc/resolv.conf. When nothing answers it tries twice, 5 seconds each, and gives up.',
      ],
      examples: [
        ['host www.example.com 127.0.0.1', 'ask the NSD on this machine'],
        ['host -t soa example.com 127.0.0.1', 'the zone serial it answers with'],
      ],
      notes: ['-l (zone listing), -v, -a and -C are not simulated here.'],
      run: (ctx) => {
        const a = ctx.argv.slice(1);
        let qtype = '';
        let timeSec = 5;
        let tries = 2;
        const rest: string[] = [];
        for (let i = 0; i < a.length; i++) {
          const x = a[i]!;
          if (!x.startsWith('-') || x === '-') {
            rest.push(x);
            continue;
          }
          const flag = x[1]!;
          const value = (): string | undefined => (x.length > 2 ? x.slice(2) : a[++i]);
          if (flag === 't') {
            const v = value();
            if (v === undefined) return res('', HOST_USAGE, 1);
            if (!TYPES.has(v.toUpperCase())) return res('', `host: invalid type: ${v}\n`, 1);
            qtype = v.toUpperCase();
          } else if (flag === 'W') {
            const v = value();
            if (v === undefined) return res('', HOST_USAGE, 1);
            timeSec = Math.max(1, parseInt(v, 10) || 0);
          } else if (flag === 'R') {
            const v = value();
            if (v === undefined) return res('', HOST_USAGE, 1);
            tries = Math.max(2, (parseInt(v, 10) || 0) + 1);
          } else if ('46rsTi'.includes(flag) && x.length === 2) continue;
          else if ('lvadC'.includes(flag) && x.length === 2) return res('', `host: -${flag} is not simulated here; ask with host NAME [SERVER] or dig\n`, 1);
          else return res('', HOST_USAGE, 1);
        }
        if (rest.length === 0 || rest.length > 2) return res('', HOST_USAGE, 1);
        const typed = rest[0]!;
        const reverse = reverseOf(typed);
        const qname = reverse ?? (typed.endsWith('.') ? typed : `${typed}.`);
        const server = rest[1] ?? '';
        const first = ask(server, qname, qtype || (reverse ? 'PTR' : 'A'), tries, timeSec);
        const lookups: HostLookup[] = [lookupOf(first)];
        const l0 = lookups[0]!;
        if (!qtype && !reverse && l0.kind === 'reply' && l0.rcode === 'NOERROR') {
          const target = chaseCname(qname, l0.answers);
          for (const t of ['AAAA', 'MX']) lookups.push(lookupOf(ask(server, target, t, tries, timeSec)));
        }
        const out = formatHost({
          typed: reverse ? reverse.replace(/\.$/, '') : typed,
          qname,
          server: server ? { name: server, address: `${first.server}#53` } : undefined,
          lookups,
          explicitType: qtype || undefined,
        });
        return res(out.stdout, out.stderr, out.code);
      },
    }),
    defineCommand({
      name: 'nslookup',
      path: '/usr/bin/nslookup',
      summary: 'query Internet name servers',
      category: 'network',
      synopsis: ['nslookup [-type=TYPE] NAME [SERVER]'],
      description: [
        'Asks one name server about a name and prints which server answered and what it said. It says "Non-authoritative answer" when the reply came from a server that is not authoritative for the zone, such as a recursive resolver.',
        'With no server it asks the resolver in /etc/resolv.conf. When nothing answers it tries 3 times, 5 seconds each.',
      ],
      examples: [['nslookup www.example.com 127.0.0.1', 'ask the NSD on this machine']],
      notes: ['Interactive mode (nslookup with no name) is not simulated here.'],
      run: (ctx) => {
        const a = ctx.argv.slice(1);
        let qtype = 'A';
        let timeSec = 5;
        let tries = 3;
        const rest: string[] = [];
        for (const x of a) {
          const m = /^-(?:q|query|ty|type)=(.*)$/i.exec(x);
          const t = /^-(?:timeout|ti)=(\d+)$/i.exec(x);
          const r = /^-(?:retry|ret)=(\d+)$/i.exec(x);
          if (m) {
            if (!TYPES.has(m[1]!.toUpperCase())) return res(`unknown query type: ${m[1]}\n`, '', 1);
            qtype = m[1]!.toUpperCase();
          } else if (t) timeSec = Math.max(1, Number(t[1]));
          else if (r) tries = Math.max(1, Number(r[1]));
          else if (x.startsWith('-') && x !== '-') return res(`*** Invalid option: ${x.slice(1)}\n`, '', 1);
          else rest.push(x);
        }
        if (rest.length === 0) return res('', 'nslookup: interactive mode is not simulated here; give a name: nslookup NAME [SERVER]\n', 1);
        const typed = rest[0]!;
        const reverse = reverseOf(typed);
        const qname = reverse ?? (typed.endsWith('.') ? typed : `${typed}.`);
        const server = rest[1] ?? '';
        const v = ask(server, qname, reverse && qtype === 'A' ? 'PTR' : qtype, tries, timeSec);
        const out = formatNslookup({
          typed,
          qname,
          server: { name: server || v.server, address: `${v.server}#53` },
          reply: v.outcome === 'timeout' ? { kind: 'timeout' } : { kind: 'reply', rcode: v.rcode ?? (v.outcome === 'nxdomain' ? 'NXDOMAIN' : 'NOERROR'), aa: v.aa, answers: v.answers },
        });
        return res(out.stdout, out.stderr, out.code);
      },
    }),
  ];
}
