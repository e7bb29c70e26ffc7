import { chaseCname, formatHost } from '../../../engine/formats/host';

const A = { name: 'www.example.com.', type: 'A', data: '192.0.2.80' };
const CNAME = { name: 'ftp.example.com.', type: 'CNAME', data: 'www.example.com.' };

describe('host (bind9-host 9.9.5)', () => {
  it('says each record in a sentence, names without their final dot, data as dig shows it', () => {
    const out = formatHost({
      typed: 'ftp.example.com',
      qname: 'ftp.example.com.',
      lookups: [
        { kind: 'reply', rcode: 'NOERROR', answers: [CNAME, A] },
        { kind: 'reply', rcode: 'NOERROR', answers: [{ name: 'www.example.com.', type: 'AAAA', data: '2001:db8::1' }] },
        { kind: 'reply', rcode: 'NOERROR', answers: [] },
      ],
    });
    expect(out).toEqual({
      stdout:
        'ftp.example.com is an alias for www.example.com.\n' +
        'www.example.com has address 192.0.2.80\n' +
        'www.example.com has IPv6 address 2001:db8::1\n',
      stderr: '',
      code: 0,
    });
  });
  it('announces a server named on the command line once, before the first answer', () => {
    const out = formatHost({
      typed: 'example.com',
      qname: 'example.com.',
      server: { name: '127.0.0.1', address: '127.0.0.1#53' },
      lookups: [
        { kind: 'reply', rcode: 'NOERROR', answers: [{ name: 'example.com.', type: 'A', data: '192.0.2.1' }] },
        { kind: 'reply', rcode: 'NOERROR', answers: [] },
        { kind: 'reply', rcode: 'NOERROR', answers: [{ name: 'example.com.', type: 'MX', data: '10 mail.example.com.' }] },
      ],
    });
    expect(out.stdout).toBe(
      'Using domain server:\nName: 127.0.0.1\nAddress: 127.0.0.1#53\nAliases: \n\n' +
        'example.com has address 192.0.2.1\n' +
        'example.com mail is handled by 10 mail.example.com.\n',
    );
  });
  it('reports NXDOMAIN with the name as typed and exits 1', () => {
    expect(formatHost({ typed: 'nope.example.com', qname: 'nope.example.com.', lookups: [{ kind: 'reply', rcode: 'NXDOMAIN', answers: [] }] })).toEqual({
      stdout: 'Host nope.example.com not found: 3(NXDOMAIN)\n',
      stderr: '',
      code: 1,
    });
    expect(formatHost({ typed: 'x.test', qname: 'x.test.', lookups: [{ kind: 'reply', rcode: 'SERVFAIL', answers: [] }] }).stdout).toBe('Host x.test not found: 2(SERVFAIL)\n');
  });
  it('times out like dighost.c and exits 1', () => {
    expect(formatHost({ typed: 'www.example.com', qname: 'www.example.com.', lookups: [{ kind: 'timeout' }] })).toEqual({
      stdout: ';; connection timed out; no servers could be reached\n',
      stderr: '',
      code: 1,
    });
  });
  it('with -t says when the type has no record, and words a type it has no phrase for', () => {
    expect(formatHost({ typed: 'www.example.com', qname: 'www.example.com.', explicitType: 'MX', lookups: [{ kind: 'reply', rcode: 'NOERROR', answers: [] }] }).stdout).toBe(
      'www.example.com has no MX record\n',
    );
    const soa = { name: 'example.com.', type: 'SOA', data: 'ns1.example.com. hostmaster.example.com. 7 3600 900 604800 3600' };
    expect(formatHost({ typed: 'example.com', qname: 'example.com.', explicitType: 'SOA', lookups: [{ kind: 'reply', rcode: 'NOERROR', answers: [soa] }] }).stdout).toBe(
      'example.com has SOA record ns1.example.com. hostmaster.example.com. 7 3600 900 604800 3600\n',
    );
  });
  it('follows a CNAME chain to the name the AAAA and MX lookups ask about', () => {
    expect(chaseCname('ftp.example.com.', [CNAME, A])).toBe('www.example.com.');
    expect(chaseCname('www.example.com.', [A])).toBe('www.example.com.');
  });
});
