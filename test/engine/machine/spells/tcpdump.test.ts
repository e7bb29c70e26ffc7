import { formatTcpdump, newTcpdumpSession } from '../../../../engine/formats/tcpdump';
import { optionsLength } from '../../../../engine/formats/packet';
import { game, say, stackOf } from './tcpBox';

/** tcpdump 4.5.1 on the test box's lo (test/fixtures/tcp-chapter). */
const LINE = /^\d\d:\d\d:\d\d\.\d{6} IP 127\.0\.0\.1\.\d+ > 127\.0\.0\.1\.\d+: Flags \[(S|S\.|\.|P\.|F\.|R)\], (seq \d+(:\d+)?, )?(ack \d+, )?win \d+, options \[[^\]]+\], length \d+$/;

describe('tcpdump', () => {
  it('needs root, in libpcap\'s words, and names the interface', () => {
    const g = game();
    expect(say(g, 'tcpdump -i lo -n')).toBe("tcpdump: lo: You don't have permission to capture on that device\n(socket: Operation not permitted)");
    expect(say(g, 'tcpdump -n')).toBe("tcpdump: eth0: You don't have permission to capture on that device\n(socket: Operation not permitted)");
    expect(say(g, 'tcpdump -n; echo $?')).toMatch(/\n1$/);
  });

  it('answers bad options and counts as 4.5.1 does', () => {
    const g = game();
    const bad = say(g, 'sudo tcpdump -k');
    expect(bad).toBe(
      "tcpdump: invalid option -- 'k'\n" +
        'tcpdump version 4.5.1\nlibpcap version 1.5.3\n' +
        'Usage: tcpdump [-aAbdDefhHIJKlLnNOpqRStuUvxX] [ -B size ] [ -c count ]\n' +
        '\t\t[ -C file_size ] [ -E algo:secret ] [ -F file ] [ -G seconds ]\n' +
        '\t\t[ -i interface ] [ -j tstamptype ] [ -M secret ]\n' +
        '\t\t[ -P in|out|inout ]\n' +
        '\t\t[ -r file ] [ -s snaplen ] [ -T type ] [ -V file ] [ -w file ]\n' +
        '\t\t[ -W filecount ] [ -y datalinktype ] [ -z command ]\n' +
        '\t\t[ -Z user ] [ expression ]',
    );
    expect(say(g, 'sudo tcpdump -i lo -c 0')).toBe('tcpdump: invalid packet count 0');
    expect(say(g, 'sudo tcpdump -i lo -c many')).toBe('tcpdump: invalid packet count many');
    expect(say(g, 'sudo tcpdump -i lo -n port 70000')).toBe('tcpdump: illegal port number 70000 > 65535');
    expect(say(g, 'sudo tcpdump -i lo -n port')).toBe('tcpdump: syntax error');
    expect(say(g, 'sudo tcpdump -i eth0 -n')).toMatch(/^tcpdump: only the loopback interface's traffic is simulated on this machine/);
  });

  it('captures -c packets live: the handshake, the request in two segments with the delayed ACK between them, the close', () => {
    const g = game();
    const out = say(g, 'sudo tcpdump -i lo -nn -c 30 port 4151');
    const lines = out.split('\n');
    expect(lines.slice(0, 2)).toEqual(['tcpdump: verbose output suppressed, use -v or -vv for full protocol decode', 'listening on lo, link-type EN10MB (Ethernet), capture size 65535 bytes']);
    const pkts = lines.slice(2, 32);
    for (const l of pkts) expect(l).toMatch(LINE);
    // lo hands the capture each packet twice (out and in): the kernel counts both, libpcap keeps one
    expect(lines.slice(32)).toEqual(['30 packets captured', '60 packets received by filter', '0 packets dropped by kernel']);
    const flags = pkts.map((l) => /Flags \[([^\]]+)\]/.exec(l)![1]);
    // a new connection somewhere in 30 packets (three requests per connection, six packets each)
    const syn = flags.indexOf('S');
    expect(syn).toBeGreaterThanOrEqual(0);
    // the new connection's own packets (the old one's FIN may cross between them)
    const port = / IP 127\.0\.0\.1\.(\d+) > /.exec(pkts[syn]!)![1];
    const conn = pkts.slice(syn).filter((l) => l.includes(`.${port} `) || l.includes(`.${port}:`));
    expect(conn.slice(0, 4).map((l) => /Flags \[([^\]]+)\]/.exec(l)![1])).toEqual(['S', 'S.', '.', 'P.']);
    expect(conn[0]).toMatch(/Flags \[S\], seq \d+, win 43690, options \[mss 65495,sackOK,TS val \d+ ecr 0,nop,wscale 7\], length 0$/);
    expect(conn[3]).toMatch(/Flags \[P\.\], seq 1:\d+, ack 1, win \d+, options \[nop,nop,TS val \d+ ecr \d+\], length \d+$/);
    expect(flags).toContain('F.');
    // the capture let the machine's time run: every line is later than the one before
    const stamps = pkts.map((l) => l.slice(0, 15));
    expect([...stamps].sort()).toEqual(stamps);
  });

  it('-ttt shows the delayed ACK\'s 40 ms on a kept-alive connection, -tt epoch seconds, -S absolute numbers', () => {
    const g = game();
    const ttt = say(g, 'sudo tcpdump -i lo -n -ttt -c 40 dst port 4151 or src port 4151').split('\n').slice(2, 42);
    const gaps = ttt.filter((l) => / > 127\.0\.0\.1\.\d+: Flags \[\.\], ack \d+, win/.test(l) && /\.4151 >/.test(l)).map((l) => Number(l.slice(6, 15)));
    expect(gaps.some((s) => s >= 0.036 && s <= 0.044)).toBe(true);
    expect(ttt[0]!.startsWith('00:00:00.000000 IP ')).toBe(true);
    const tt = say(g, 'sudo tcpdump -i lo -n -tt -S -c 2 port 4151').split('\n')[2]!;
    expect(tt).toMatch(/^14\d{8}\.\d{6} IP 127\.0\.0\.1\./);
    expect(tt).not.toMatch(/seq 1:|ack 1,/);
  });

  it('names 127.0.0.1 localhost without -n', () => {
    const g = game();
    const l = say(g, 'sudo tcpdump -i lo -c 1').split('\n')[2]!;
    expect(l).toMatch(/ IP localhost\.\d+ > localhost\.\d+: Flags /);
  });

  it('-w writes a pcap that -r reads back into the same lines, its size in ls -l', () => {
    const g = game();
    const w = say(g, 'sudo tcpdump -i lo -w /tmp/lo.pcap -c 12 port 4151').split('\n');
    expect([w[0], w[1], w[3]]).toEqual(['tcpdump: listening on lo, link-type EN10MB (Ethernet), capture size 65535 bytes', '12 packets captured', '0 packets dropped by kernel']);
    // both copies of every packet the kernel queued by then: the twelve, and any that crossed at the same instant
    const received = Number(/^(\d+) packets received by filter$/.exec(w[2]!)![1]);
    expect(received % 2 === 0 && received >= 24).toBe(true);
    const read = say(g, 'tcpdump -n -tt -r /tmp/lo.pcap');
    // the stack's own record of those packets, from the first one the file holds
    const first = Math.round(Number(/\n(\d+\.\d{6}) IP/.exec(read)![1]) * 1e6);
    const log = stackOf(g).log.filter((p) => p.us >= first).slice(0, 12);
    expect(log).toHaveLength(12);
    expect(read).toBe(`reading from file /tmp/lo.pcap, link-type EN10MB (Ethernet)\n${formatTcpdump(log, newTcpdumpSession(), { tflag: 2 }).trimEnd()}`);
    // 24-byte file header; per packet a 16-byte record header, 14 Ethernet, 20 IP, 20 TCP, options, payload
    const size = 24 + log.reduce((n, p) => n + 16 + 54 + optionsLength(p.options) + p.data.length, 0);
    expect(say(g, 'ls -l /tmp/lo.pcap')).toMatch(new RegExp(`^-rw-r--r-- 1 root root ${size} `));
    expect(say(g, 'cat /tmp/lo.pcap | head -c 0')).toBe('');
    expect(say(g, 'tcpdump -r /etc/hostname')).toBe('tcpdump: unknown file format');
    expect(say(g, 'printf abc > /tmp/t; tcpdump -r /tmp/t')).toBe('tcpdump: truncated dump file; tried to read 4 file header bytes, only got 3');
    // a file cut inside its third record: the first two, then libpcap's complaint
    const cut = say(g, 'head -c 200 /tmp/lo.pcap > /tmp/cut.pcap; tcpdump -n -r /tmp/cut.pcap').split('\n');
    expect(cut[0]).toBe('reading from file /tmp/cut.pcap, link-type EN10MB (Ethernet)');
    expect(cut[cut.length - 1]).toMatch(/^tcpdump: pcap_loop: truncated dump file; tried to read \d+ (captured )?(header )?bytes, only got \d+$/);
    expect(say(g, 'tcpdump -r /tmp/nothing.pcap')).toBe('tcpdump: /tmp/nothing.pcap: No such file or directory');
  });
});
