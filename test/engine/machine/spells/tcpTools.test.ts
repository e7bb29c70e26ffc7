import { registerChapter } from '../../../../engine/chapters/registry';
import { formatTcpdump, newTcpdumpSession } from '../../../../engine/formats/tcpdump';
import { optionsLength } from '../../../../engine/formats/packet';
import type { TcpStack } from '../../../../engine/kernel/tcp';
import { createGame, type GameHandle } from '../../../../engine/index';
import { blocksToPlainText } from '../../../../src/text/plain';
import { tcpChapter } from '../../../fixtures/tcp-chapter';

/**
 * tcpdump, curl, ss, ip and /proc/net/tcp on a test box (test/fixtures/tcp-chapter) whose kernel
 * has the loopback TCP stack: a daemon answers OK on 127.0.0.1:4151 and a client posts to it
 * every 2 s, headers and body in two writes, three requests per connection.
 */
registerChapter(tcpChapter);

/** what the spell printed, without the game's own lines (a spell learned) */
const say = (g: GameHandle, line: string): string => blocksToPlainText(g.step(line).filter((b) => b.kind === 'spell-output' || b.kind === 'error'));
const stackOf = (g: GameHandle): TcpStack => (g.snapshot().state as { world: { k: { subsys: { tcp: TcpStack } } } }).world.k.subsys.tcp;
const game = (seed = 5): GameHandle => {
  const g = createGame('tcp-test', seed);
  g.start();
  return g;
};

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
    expect(flags.slice(syn, syn + 4)).toEqual(['S', 'S.', '.', 'P.']);
    expect(pkts[syn]).toMatch(/Flags \[S\], seq \d+, win 43690, options \[mss 65495,sackOK,TS val \d+ ecr 0,nop,wscale 7\], length 0$/);
    expect(pkts[syn + 3]).toMatch(/Flags \[P\.\], seq 1:\d+, ack 1, win \d+, options \[nop,nop,TS val \d+ ecr \d+\], length \d+$/);
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

describe('curl', () => {
  it('-v: the whole conversation in curl 7.35.0\'s words, the body on stdout', () => {
    const g = game();
    expect(say(g, "curl -v -d hello 'http://127.0.0.1:4151/pub?topic=events'")).toBe(
      [
        '* Hostname was NOT found in DNS cache',
        '*   Trying 127.0.0.1...',
        '* Connected to 127.0.0.1 (127.0.0.1) port 4151 (#0)',
        '> POST /pub?topic=events HTTP/1.1',
        '> User-Agent: curl/7.35.0',
        '> Host: 127.0.0.1:4151',
        '> Accept: */*',
        '> Content-Length: 5',
        '> Content-Type: application/x-www-form-urlencoded',
        '> ',
        '* upload completely sent off: 5 out of 5 bytes',
        '< HTTP/1.1 200 OK',
        '< Content-Type: text/plain; charset=utf-8',
        '< Content-Length: 2',
        '< ',
        'OK',
        '* Connection #0 to host 127.0.0.1 left intact',
      ].join('\n'),
    );
  });

  it('sends the request in one segment, so it is fast; -w prints the virtual clock\'s time', () => {
    const g = game();
    const before = stackOf(g).logCount;
    expect(say(g, "curl -s -w '%{http_code} %{time_total}\\n' -d hello http://localhost:4151/pub")).toBe('OK200 0.000');
    const mine = stackOf(g).log.filter((p) => p.n > before && p.data.startsWith('POST /pub HTTP/1.1'));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.data.endsWith('\r\n\r\nhello')).toBe(true);
  });

  it('-i prints the headers; -o writes the body; refused and bad input in curl\'s words', () => {
    const g = game();
    expect(say(g, 'curl -s -i http://127.0.0.1:4151/ping')).toBe('HTTP/1.1 200 OK\nContent-Type: text/plain; charset=utf-8\nContent-Length: 2\n\nOK');
    expect(say(g, 'curl -s -o /tmp/body http://127.0.0.1:4151/ping; cat /tmp/body')).toBe('OK');
    expect(say(g, 'curl http://127.0.0.1:4152/; echo $?')).toBe('curl: (7) Failed to connect to 127.0.0.1 port 4152: Connection refused\n7');
    expect(say(g, 'curl -s http://127.0.0.1:4152/; echo $?')).toBe('7');
    expect(say(g, 'curl -sS http://127.0.0.1:4152/')).toBe('curl: (7) Failed to connect to 127.0.0.1 port 4152: Connection refused');
    expect(say(g, 'curl')).toBe("curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information");
    expect(say(g, 'curl --bogus http://127.0.0.1:4151/')).toBe("curl: option --bogus: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information");
    expect(say(g, 'curl ftp://127.0.0.1/')).toBe('curl: (1) Protocol ftp not supported or disabled in libcurl');
  });
});

describe('ss, netstat and /proc/net/tcp', () => {
  it('ss -tin: tcp_info under each connection of the stack', () => {
    const g = game();
    const out = say(g, 'ss -tin').split('\n');
    expect(out[0]).toBe('State      Recv-Q Send-Q        Local Address:Port          Peer Address:Port ');
    expect(out[1]).toMatch(/^ESTAB      0      0 {17}127\.0\.0\.1:\d{5} {12}127\.0\.0\.1:4151  $/);
    expect(out[2]).toMatch(/^\t cubic wscale:7,7 rto:\d+ rtt:[\d.]+\/[\d.]+ ato:40 mss:\d+ cwnd:10 send [\d.]+[MK]?bps rcv_space:\d+$/);
    expect(out[3]).toMatch(/^ESTAB      0      0 {17}127\.0\.0\.1:4151 {13}127\.0\.0\.1:\d{5} $/);
    expect(say(g, 'ss -tim')).toMatch(/^ss: with -i this machine shows its TCP connections only/);
  });

  it('ss -tnp and netstat -tnp name the processes a scenario says hold each socket', () => {
    const g = game();
    const ss = say(g, 'sudo ss -tnp');
    expect(ss).toMatch(/^0      0                      127\.0\.0\.1:4151                  127\.0\.0\.1:\d{5}  users:\(\("okhttpd",\d+,\d+\)\)$/m);
    expect(ss).toMatch(/^0      0                      127\.0\.0\.1:\d{5}                 127\.0\.0\.1:4151   users:\(\("poster",\d+,3\)\)$/m);
    const ns = say(g, 'sudo netstat -tnp');
    expect(ns).toMatch(/^tcp        0      0 127\.0\.0\.1:4151 {10}127\.0\.0\.1:\d{5} {9}ESTABLISHED \d+\/okhttpd {9}$/m);
    // the other users' processes are hidden without root
    expect(say(g, 'ss -tnp')).not.toContain('okhttpd');
    const lsof = say(g, 'sudo lsof -n -P -i :4151');
    expect(lsof).toMatch(/^okhttpd +\d+ +daemon +3u +IPv4 +\d+ +0t0 +TCP 127\.0\.0\.1:4151 \(LISTEN\)$/m);
    expect(lsof).toMatch(/^okhttpd +\d+ +daemon +\d+u +IPv4 +\d+ +0t0 +TCP 127\.0\.0\.1:4151->127\.0\.0\.1:\d{5} \(ESTABLISHED\)$/m);
    expect(lsof).toMatch(/^poster +\d+ +ops +3u +IPv4 +\d+ +0t0 +TCP 127\.0\.0\.1:\d{5}->127\.0\.0\.1:4151 \(ESTABLISHED\)$/m);
    // ss -a names the state as ss does
    expect(say(g, 'ss -tan')).toMatch(/^ESTAB      0      0 {6}/m);
  });

  it('/proc/net/tcp: 3.16\'s header and rows, padded to 149 columns; socket addresses for root only', () => {
    const g = game();
    const lines = say(g, 'cat /proc/net/tcp').split('\n');
    expect(lines[0]).toBe('  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode'.padEnd(149));
    expect(lines[1]).toMatch(/^ {3}0: 0100007F:1037 00000000:0000 0A 00000000:00000000 00:00000000 00000000 {3}110 {8}0 \d+ 1 0{16} 100 0 0 10 0 +$/);
    for (const l of lines) expect(l).toHaveLength(149);
    expect(lines.some((l) => / 0100007F:1037 01 /.test(l) || / 01 00000000:00000000/.test(l))).toBe(true);
    expect(say(g, 'sudo cat /proc/net/tcp').split('\n')[1]).toMatch(/ 1 ffff8800[0-9a-f]{8} 100 0 0 10 0/);
    expect(say(g, 'cat /proc/net/tcp6')).toBe('  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode');
    expect(say(g, 'ls /proc/net')).toBe('tcp  tcp6');
  });
});

describe('ip route', () => {
  it('shows the main and local tables of a box with eth0 and lo as iproute2 3.12 prints them', () => {
    const g = game();
    expect(say(g, 'ip route')).toBe('default via 10.1.2.1 dev eth0 \n10.1.2.0/24 dev eth0  proto kernel  scope link  src 10.1.2.3 ');
    expect(say(g, 'ip route show table local')).toBe(
      [
        'broadcast 10.1.2.0 dev eth0  proto kernel  scope link  src 10.1.2.3 ',
        'local 10.1.2.3 dev eth0  proto kernel  scope host  src 10.1.2.3 ',
        'broadcast 10.1.2.255 dev eth0  proto kernel  scope link  src 10.1.2.3 ',
        'broadcast 127.0.0.0 dev lo  proto kernel  scope link  src 127.0.0.1 ',
        'local 127.0.0.0/8 dev lo  proto kernel  scope host  src 127.0.0.1 ',
        'local 127.0.0.1 dev lo  proto kernel  scope host  src 127.0.0.1 ',
        'broadcast 127.255.255.255 dev lo  proto kernel  scope link  src 127.0.0.1 ',
      ].join('\n'),
    );
    expect(say(g, 'ip route show table all')).toContain('local 127.0.0.1 dev lo  table local  proto kernel  scope host  src 127.0.0.1 ');
  });

  it('change ... quickack 1 needs root, shows the metric, and turns quick ACKs on for the route 127.0.0.1 uses', () => {
    const g = game();
    const cmd = 'ip route change local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1 quickack 1';
    expect(say(g, cmd)).toBe('RTNETLINK answers: Operation not permitted');
    expect(stackOf(g).routeQuickack).toBe(false);
    // the /8 route is not the one 127.0.0.1 takes: the kernel picks the longest prefix
    expect(say(g, 'sudo ip route change local 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.1 quickack 1')).toBe('');
    expect(say(g, 'ip route show table local')).toContain('local 127.0.0.0/8 dev lo  proto kernel  scope host  src 127.0.0.1  quickack 1\n');
    expect(stackOf(g).routeQuickack).toBe(false);
    expect(say(g, `sudo ${cmd}`)).toBe('');
    expect(say(g, 'ip route show table local')).toContain('local 127.0.0.1 dev lo  proto kernel  scope host  src 127.0.0.1  quickack 1\n');
    expect(stackOf(g).routeQuickack).toBe(true);
    // with quick ACKs the kept-alive requests no longer wait 40 ms for the ACK that releases their body
    const ttt = say(g, 'sudo tcpdump -i lo -n -ttt -c 30 port 4151').split('\n').slice(2, 32);
    expect(ttt.every((l) => Number(l.slice(6, 15)) < 0.03 || Number(l.slice(6, 15)) > 1)).toBe(true);
    expect(say(g, 'sudo ip route change local 127.0.0.9 dev lo quickack 1')).toBe('RTNETLINK answers: No such file or directory');
    expect(say(g, 'sudo ip route change local 127.0.0.1 dev lo quickack 2')).toBe('Error: argument "2" is wrong: "quickack" value should be 0 or 1\n');
    expect(say(g, 'ip addr')).toBe('ip addr: not simulated on this machine; ip route is');
  });
});
