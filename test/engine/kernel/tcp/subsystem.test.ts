import { connect, createTcpStack, listen, runUntil, TCP_KNOBS, TCP_SUBSYSTEM, tcpOf, utf8Bytes } from '../../../../engine/kernel/tcp';
import type { TcpStack } from '../../../../engine/kernel/tcp';
import type { KernelState } from '../../../../engine/kernel/types';
import { Rng, seedRng } from '../../../../engine/rng';
import { formatTcpdumpLine, newTcpdumpSession } from '../../../../engine/formats/tcpdump';

/** only the part of a kernel the TCP knobs touch */
const kernelWith = (tcp: TcpStack): KernelState => ({ subsys: { tcp } }) as unknown as KernelState;

describe('TCP as a kernel subsystem', () => {
  it('boots a plain-JSON stack under the name tcp, with net.ipv4.tcp_* knobs at 3.16 defaults', () => {
    const st = TCP_SUBSYSTEM.boot();
    expect(TCP_SUBSYSTEM.name).toBe('tcp');
    expect(JSON.parse(JSON.stringify(st))).toEqual(st);
    const k = kernelWith(st as unknown as TcpStack);
    expect(Object.keys(TCP_SUBSYSTEM.knobs).sort()).toEqual([
      'net.ipv4.tcp_fin_timeout',
      'net.ipv4.tcp_sack',
      'net.ipv4.tcp_slow_start_after_idle',
      'net.ipv4.tcp_timestamps',
      'net.ipv4.tcp_window_scaling',
    ]);
    expect(Object.entries(TCP_KNOBS).map(([name, knob]) => [name, knob.get(k)])).toEqual([
      ['net.ipv4.tcp_timestamps', 1],
      ['net.ipv4.tcp_sack', 1],
      ['net.ipv4.tcp_window_scaling', 1],
      ['net.ipv4.tcp_fin_timeout', 60],
      ['net.ipv4.tcp_slow_start_after_idle', 1],
    ]);
    expect(() => tcpOf({ subsys: {} } as unknown as KernelState)).toThrow('this kernel has no TCP subsystem');
  });

  it('shapes the next handshake: without timestamps and SACK the SYN carries mss and wscale only, and the MSS keeps its 12 bytes', () => {
    const tcp = createTcpStack({ bootMs: 0, now: 1_000_000 });
    const k = kernelWith(tcp);
    TCP_KNOBS['net.ipv4.tcp_timestamps']!.set(k, 0, tcp.now);
    TCP_KNOBS['net.ipv4.tcp_sack']!.set(k, 0, tcp.now);
    const rng = new Rng(seedRng(1));
    listen(tcp, { addr: '127.0.0.1', port: 4151 });
    connect(tcp, rng, { rport: 4151, lport: 40000 });
    runUntil(tcp, tcp.now + 1, rng);
    const ses = newTcpdumpSession();
    const [syn, synack, ack] = tcp.log.map((p) => formatTcpdumpLine(p, ses, { tflag: 1 }));
    expect(syn).toBe(`IP 127.0.0.1.40000 > 127.0.0.1.4151: Flags [S], seq ${tcp.log[0]!.seq}, win 43690, options [mss 65495,nop,wscale 7], length 0`);
    expect(synack).toMatch(/Flags \[S\.\], seq \d+, ack \d+, win 43690, options \[mss 65495,nop,wscale 7\], length 0$/);
    expect(ack).toBe('IP 127.0.0.1.40000 > 127.0.0.1.4151: Flags [.], ack 1, win 342, length 0');
    expect(tcp.sockets.find((s) => s.lport === 40000)!.pathMss).toBe(65495);
  });
});

describe('utf8Bytes', () => {
  it('turns text into the byte string a program would write', () => {
    expect(utf8Bytes('ok')).toBe('ok');
    expect([...utf8Bytes('é€😀')].map((c) => c.charCodeAt(0))).toEqual([0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]);
  });
});
