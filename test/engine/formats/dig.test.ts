import { digRecordLine, dnsMessageSize, formatDig, formatDigXfr, parseDigArgs } from '../../../engine/formats/dig';
import type { DigView } from '../../../engine/formats/types';

const WHEN = Date.UTC(2015, 2, 4, 3, 12, 1);

const answer: DigView = {
  commandLine: '@127.0.0.1 www.example.com',
  server: '127.0.0.1',
  port: 53,
  qname: 'www.example.com.',
  qtype: 'A',
  outcome: 'answer',
  id: 12345,
  answers: [{ name: 'www.example.com.', ttl: 3600, type: 'A', data: '93.184.216.34' }],
  authority: [],
  additional: [],
  queryTimeMs: 0,
  when: WHEN,
  msgSize: 60,
  short: false,
  aa: true,
  tries: 3,
};

describe('dig output (BIND 9.9.5)', () => {
  it('prints the full answer layout with tab-aligned records', () => {
    expect(formatDig(answer)).toEqual({
      stdout:
        '\n' +
        '; <<>> DiG 9.9.5-3ubuntu0.2-Ubuntu <<>> @127.0.0.1 www.example.com\n' +
        '; (1 server found)\n' +
        ';; global options: +cmd\n' +
        ';; Got answer:\n' +
        ';; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 12345\n' +
        ';; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n' +
        ';; WARNING: recursion requested but not available\n' +
        '\n' +
        ';; OPT PSEUDOSECTION:\n' +
        '; EDNS: version: 0, flags:; udp: 4096\n' +
        ';; QUESTION SECTION:\n' +
        ';www.example.com.\t\tIN\tA\n' +
        '\n' +
        ';; ANSWER SECTION:\n' +
        'www.example.com.\t3600\tIN\tA\t93.184.216.34\n' +
        '\n' +
        ';; Query time: 0 msec\n' +
        ';; SERVER: 127.0.0.1#53(127.0.0.1)\n' +
        ';; WHEN: Wed Mar 04 03:12:01 UTC 2015\n' +
        ';; MSG SIZE  rcvd: 60\n' +
        '\n',
      stderr: '',
      code: 0,
    });
  });

  it('indents with tabs to columns 24/32/40/48, or one blank past a long field', () => {
    expect(digRecordLine({ name: 'example.com.', ttl: 3600, type: 'SOA', data: 'ns1.example.com. hostmaster.example.com. 1 3600 900 604800 3600' })).toBe(
      'example.com.\t\t3600\tIN\tSOA\tns1.example.com. hostmaster.example.com. 1 3600 900 604800 3600',
    );
    expect(digRecordLine({ name: 'a-very-long-hostname.example.com.', ttl: 300, type: 'A', data: '10.0.0.1' })).toBe(
      'a-very-long-hostname.example.com. 300 IN A\t10.0.0.1',
    );
  });

  it('prints NXDOMAIN with the SOA in the authority section', () => {
    const out = formatDig({
      ...answer,
      outcome: 'nxdomain',
      qname: 'nope.example.com.',
      answers: [],
      authority: [{ name: 'example.com.', ttl: 3600, type: 'SOA', data: 'ns1.example.com. hostmaster.example.com. 1 3600 900 604800 3600' }],
    }).stdout;
    expect(out).toContain(';; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 12345\n');
    expect(out).toContain(';; flags: qr aa rd; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1\n');
    expect(out).toContain(';nope.example.com.\t\tIN\tA\n\n;; AUTHORITY SECTION:\nexample.com.\t\t3600\tIN\tSOA\t');
    expect(out).not.toContain('ANSWER SECTION');
  });

  it('prints only the data with +short', () => {
    expect(formatDig({ ...answer, short: true })).toEqual({ stdout: '93.184.216.34\n', stderr: '', code: 0 });
  });

  it('gives up after its tries whether the server is silent or not listening', () => {
    const timedOut =
      '\n; <<>> DiG 9.9.5-3ubuntu0.2-Ubuntu <<>> @127.0.0.1 www.example.com\n' +
      '; (1 server found)\n;; global options: +cmd\n' +
      ';; connection timed out; no servers could be reached\n';
    expect(formatDig({ ...answer, outcome: 'timeout' })).toEqual({ stdout: timedOut, stderr: '', code: 9 });
    expect(formatDig({ ...answer, outcome: 'refused' })).toEqual({ stdout: timedOut, stderr: '', code: 9 });
    expect(formatDig({ ...answer, outcome: 'timeout', short: true }).stdout).toBe(';; connection timed out; no servers could be reached\n');
  });

  it('reports a REFUSED rcode from a server that does not serve the zone', () => {
    const out = formatDig({ ...answer, answers: [], aa: false }, { rcode: 'REFUSED' }).stdout;
    expect(out).toContain('status: REFUSED');
    expect(out).toContain(';; flags: qr rd; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 1\n');
  });

  it('omits "(1 server found)" when no @server was given', () => {
    expect(formatDig({ ...answer, commandLine: 'www.example.com' }).stdout.split('\n').slice(1, 3)).toEqual([
      '; <<>> DiG 9.9.5-3ubuntu0.2-Ubuntu <<>> www.example.com',
      ';; global options: +cmd',
    ]);
  });
});

describe('dig arguments', () => {
  it('reads @server, name, type and query options', () => {
    const p = parseDigArgs(['@127.0.0.1', 'example.com', 'mx', '+short', '+tries=1', '+time=2', '-p', '5353']);
    expect(p.ok && p.options).toEqual({
      commandLine: '@127.0.0.1 example.com mx +short +tries=1 +time=2 -p 5353',
      server: '127.0.0.1',
      port: 5353,
      qname: 'example.com.',
      qtype: 'MX',
      qclass: 'IN',
      short: true,
      tries: 1,
      timeSec: 2,
      recurse: true,
      tcp: false,
    });
  });
  it('builds reverse names with -x and queries the root NS with no name', () => {
    const x = parseDigArgs(['-x', '192.0.2.53']);
    expect(x.ok && [x.options.qname, x.options.qtype]).toEqual(['53.2.0.192.in-addr.arpa.', 'PTR']);
    const none = parseDigArgs([]);
    expect(none.ok && [none.options.qname, none.options.qtype]).toEqual(['.', 'NS']);
    const retry = parseDigArgs(['+retry=0', 'a.example']);
    expect(retry.ok && retry.options.tries).toBe(1);
  });
  it('rejects unknown query options with the short usage', () => {
    const bad = parseDigArgs(['+bogus', 'example.com']);
    expect(!bad.ok && bad.code).toBe(1);
    expect(!bad.ok && bad.stderr).toBe(
      'Invalid option: +bogus\n' +
        'Usage:  dig [@global-server] [domain] [q-type] [q-class] {q-opt}\n' +
        '            {global-d-opt} host [@local-server] {local-d-opt}\n' +
        '            [ host [@local-server] {local-d-opt} [...]]\n' +
        'Use "dig -h" (or "dig -h | more") for complete list of options\n',
    );
  });
});

describe('dig: flags a recursive resolver sets', () => {
  it('prints ra and no recursion warning when the server offers recursion, no aa when it is not authoritative', () => {
    const out = formatDig({ ...answer, aa: false, ra: true, commandLine: 'www.example.com', server: '10.0.0.2' }).stdout;
    expect(out).toContain(';; flags: qr rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n\n;; OPT PSEUDOSECTION:\n');
    expect(out).not.toContain('WARNING');
    expect(out).toContain(';; SERVER: 10.0.0.2#53(10.0.0.2)\n');
  });
  it('prints the rcode the server gave (SERVFAIL from NSD 4.0.1 for a zone it does not host)', () => {
    const out = formatDig({ ...answer, answers: [], aa: false, rcode: 'SERVFAIL' }).stdout;
    expect(out).toContain(';; ->>HEADER<<- opcode: QUERY, status: SERVFAIL, id: 12345\n;; flags: qr rd; QUERY: 1, ANSWER: 0,');
  });
});

describe('DNS message size on the wire', () => {
  // header 12; question www.example.com. = 1+3 +1+7 +1+3 +1 = 17, type and class 4: 33
  const q = 'www.example.com.';
  it('counts header, question, a compressed owner, RDATA and the OPT record', () => {
    // answer: owner is a pointer (2) + type, class, TTL, rdlength (10) + 4 address bytes = 16 → 49; OPT 11 → 60
    const a = [{ name: q, type: 'A', data: '192.0.2.1' }];
    expect(dnsMessageSize({ qname: q, answers: a, authority: [], additional: [], edns: true })).toBe(60);
    expect(dnsMessageSize({ qname: q, answers: a, authority: [], additional: [], edns: false })).toBe(49);
  });
  it('compresses names inside NS, CNAME, MX and SOA data against what was written before', () => {
    const ns = [
      // example.com. is a suffix of the question: pointer 2 + 10 + "ns1" label (4) and a pointer (2) = 18
      { name: 'example.com.', type: 'NS', data: 'ns1.example.com.' },
      // a name under another TLD: 2 + 10 + ns1 (4) + other (6) + net (4) + root (1) = 27
      { name: 'example.com.', type: 'NS', data: 'ns1.other.net.' },
    ];
    // glue: ns1.example.com. was written inside the first NS: pointer 2 + 10 + 4 = 16
    const glue = [{ name: 'ns1.example.com.', type: 'A', data: '192.0.2.53' }];
    expect(dnsMessageSize({ qname: q, answers: [], authority: ns, additional: glue, edns: true })).toBe(33 + 18 + 27 + 16 + 11);
    // CNAME to www.example.com.: owner ftp (4) + pointer (2) = 6, + 10, data a pointer (2) = 18
    const cname = [{ name: 'ftp.example.com.', type: 'CNAME', data: 'www.example.com.' }];
    expect(dnsMessageSize({ qname: 'ftp.example.com.', answers: cname, authority: [], additional: [], edns: false })).toBe(33 + 18);
    // MX: pointer 2 + 10 + preference 2 + mail (5) + pointer (2) = 21
    const mx = [{ name: 'example.com.', type: 'MX', data: '10 mail.example.com.' }];
    expect(dnsMessageSize({ qname: 'example.com.', answers: mx, authority: [], additional: [], edns: false })).toBe(12 + 13 + 4 + 21);
    // SOA: pointer 2 + 10 + mname ns1+ptr (6) + rname hostmaster+ptr (13) + five 32-bit numbers (20) = 51
    const soa = [{ name: 'example.com.', type: 'SOA', data: 'ns1.example.com. hostmaster.example.com. 1 3600 900 604800 3600' }];
    expect(dnsMessageSize({ qname: 'example.com.', answers: soa, authority: [], additional: [], edns: false })).toBe(12 + 13 + 4 + 51);
  });
  it('counts each TXT character-string with its length byte', () => {
    const txt = [{ name: 'example.com.', type: 'TXT', data: '"v=spf1 -all"' }];
    // 2 + 10 + 1 + 11
    expect(dnsMessageSize({ qname: 'example.com.', answers: txt, authority: [], additional: [], edns: false })).toBe(29 + 24);
  });
});

describe('dig axfr (zone transfer over TCP)', () => {
  const head = '\n; <<>> DiG 9.9.5-3ubuntu0.2-Ubuntu <<>> @127.0.0.1 example.com axfr\n; (1 server found)\n;; global options: +cmd\n';
  it('says the transfer failed when the server refuses it', () => {
    expect(formatDigXfr('@127.0.0.1 example.com axfr', { kind: 'failed' })).toEqual({ stdout: `${head}; Transfer failed.\n`, stderr: '', code: 0 });
  });
  it('names the server when nothing listens on its TCP port 53', () => {
    expect(formatDigXfr('@127.0.0.1 example.com axfr', { kind: 'refused-connection', server: '127.0.0.1', port: 53, zone: 'example.com' })).toEqual({
      stdout: `${head};; Connection to 127.0.0.1#53(127.0.0.1) for example.com failed: connection refused.\n`,
      stderr: '',
      code: 9,
    });
  });
  it('prints the records bare, SOA first and last, and the XFR size line', () => {
    const soa = { name: 'example.com.', ttl: 86400, type: 'SOA', data: 'ns1.example.com. hostmaster.example.com. 7 3600 900 604800 3600' };
    const out = formatDigXfr('@127.0.0.1 example.com axfr', {
      kind: 'ok',
      records: [soa, { name: 'www.example.com.', ttl: 3600, type: 'A', data: '192.0.2.80' }, soa],
      queryTimeMs: 2,
      server: '127.0.0.1',
      port: 53,
      when: WHEN,
      messages: 1,
      bytes: 180,
    });
    expect(out.stdout).toBe(
      head +
        'example.com.\t\t86400\tIN\tSOA\tns1.example.com. hostmaster.example.com. 7 3600 900 604800 3600\n' +
        'www.example.com.\t3600\tIN\tA\t192.0.2.80\n' +
        'example.com.\t\t86400\tIN\tSOA\tns1.example.com. hostmaster.example.com. 7 3600 900 604800 3600\n' +
        ';; Query time: 2 msec\n' +
        ';; SERVER: 127.0.0.1#53(127.0.0.1)\n' +
        ';; WHEN: Wed Mar 04 03:12:01 UTC 2015\n' +
        ';; XFR size: 3 records (messages 1, bytes 180)\n' +
        '\n',
    );
  });
});
