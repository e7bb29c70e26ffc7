import { game, say, stackOf } from './tcpBox';

/** ip route of iproute2 3.12 on the test box (test/fixtures/tcp-chapter). */
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
