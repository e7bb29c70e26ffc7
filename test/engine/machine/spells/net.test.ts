import { game, say } from './tcpBox';

/** ss, netstat, lsof and /proc/net/tcp on the test box's loopback connections (test/fixtures/tcp-chapter). */
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
