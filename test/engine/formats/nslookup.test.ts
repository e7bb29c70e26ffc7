import { formatNslookup } from '../../../engine/formats/nslookup';

const server = { name: '127.0.0.1', address: '127.0.0.1#53' };

describe('nslookup (dnsutils 9.9.5)', () => {
  it('prints the server, then Name/Address, then the blank line main() ends with', () => {
    expect(
      formatNslookup({
        typed: 'www.example.com',
        qname: 'www.example.com.',
        server,
        reply: { kind: 'reply', rcode: 'NOERROR', aa: true, answers: [{ name: 'www.example.com.', type: 'A', data: '192.0.2.80' }] },
      }),
    ).toEqual({ stdout: 'Server:\t\t127.0.0.1\nAddress:\t127.0.0.1#53\n\nName:\twww.example.com\nAddress: 192.0.2.80\n\n', stderr: '', code: 0 });
  });
  it('says "Non-authoritative answer:" for a resolver and "canonical name =" for a CNAME', () => {
    const out = formatNslookup({
      typed: 'ftp.example.com',
      qname: 'ftp.example.com.',
      server: { name: '10.0.0.2', address: '10.0.0.2#53' },
      reply: {
        kind: 'reply',
        rcode: 'NOERROR',
        aa: false,
        answers: [
          { name: 'ftp.example.com.', type: 'CNAME', data: 'www.example.com.' },
          { name: 'www.example.com.', type: 'A', data: '192.0.2.80' },
        ],
      },
    });
    expect(out.stdout).toBe(
      'Server:\t\t10.0.0.2\nAddress:\t10.0.0.2#53\n\nNon-authoritative answer:\nftp.example.com\tcanonical name = www.example.com.\nName:\twww.example.com\nAddress: 192.0.2.80\n\n',
    );
  });
  it("reports an error rcode as the server's and exits 1", () => {
    expect(formatNslookup({ typed: 'nope.example.com', qname: 'nope.example.com.', server, reply: { kind: 'reply', rcode: 'NXDOMAIN', aa: true, answers: [] } })).toEqual({
      stdout: "Server:\t\t127.0.0.1\nAddress:\t127.0.0.1#53\n\n** server can't find nope.example.com: NXDOMAIN\n\n",
      stderr: '',
      code: 1,
    });
  });
  it("says there is no answer when the name exists without that type", () => {
    expect(formatNslookup({ typed: 'example.com', qname: 'example.com.', server, reply: { kind: 'reply', rcode: 'NOERROR', aa: true, answers: [] } }).stdout).toBe(
      "Server:\t\t127.0.0.1\nAddress:\t127.0.0.1#53\n\n*** Can't find example.com: No answer\n\n",
    );
  });
  it('times out with no server lines and exits 1', () => {
    expect(formatNslookup({ typed: 'www.example.com', qname: 'www.example.com.', server, reply: { kind: 'timeout' } })).toEqual({
      stdout: ';; connection timed out; no servers could be reached\n\n',
      stderr: '',
      code: 1,
    });
  });
});
