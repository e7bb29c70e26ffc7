/**
 * The machine's open internet sockets, for netstat, ss and lsof: the base system's daemons
 * (sshd, ntpd, dhclient) by what they are, the scenario's services by what they say they hold,
 * and the player's ssh connection. A socket exists while a process holds it.
 */
import type { InetSocket, ProcessView } from '../formats/types';
import { processes, sessionShell } from './index';
import { scenarioOf } from './scenario';
import { sshClientPort } from './authlog';
import { recvQ, sendQ } from '../kernel/tcp';
import { socketFds, stackOf } from './tcp';
import type { MachineWorld } from './world';

export interface SocketHolder {
  pid: number;
  comm: string;
  args: string;
  user: string;
  fd: number;
}

export interface SocketView extends InetSocket {
  holders: SocketHolder[];
}

function stable(seed: string, mod: number): number {
  let h = 2_166_136_261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16_777_619) >>> 0;
  return h % mod;
}

interface Spec {
  proto: 'tcp' | 'udp';
  v6: boolean;
  local: string;
  port: number;
  fd: number;
}

/** what the base system's daemons bind on trusty (sshd_config, ntp.conf's interface listing, dhclient 4.2.4) */
function daemonSockets(p: ProcessView, ip: string): Spec[] {
  if (p.comm === 'sshd' && p.ppid === 1)
    return [
      { proto: 'tcp', v6: false, local: '0.0.0.0', port: 22, fd: 3 },
      { proto: 'tcp', v6: true, local: '::', port: 22, fd: 4 },
    ];
  if (p.comm === 'ntpd')
    return [
      { proto: 'udp', v6: false, local: '0.0.0.0', port: 123, fd: 16 },
      { proto: 'udp', v6: true, local: '::', port: 123, fd: 17 },
      { proto: 'udp', v6: false, local: '127.0.0.1', port: 123, fd: 18 },
      { proto: 'udp', v6: false, local: ip, port: 123, fd: 19 },
      { proto: 'udp', v6: true, local: '::1', port: 123, fd: 20 },
    ];
  if (p.comm === 'dhclient')
    return [
      { proto: 'udp', v6: false, local: '0.0.0.0', port: 68, fd: 6 },
      // the fallback sockets on ports picked at random when it started
      { proto: 'udp', v6: false, local: '0.0.0.0', port: 1_024 + stable(`dhcp4:${p.pid}:${p.startTime}`, 64_000), fd: 20 },
      { proto: 'udp', v6: true, local: '::', port: 1_024 + stable(`dhcp6:${p.pid}:${p.startTime}`, 64_000), fd: 21 },
    ];
  return [];
}

const holder = (p: ProcessView, fd: number): SocketHolder => ({ pid: p.pid, comm: p.comm, args: p.args, user: p.user, fd });

export function socketsOf(w: MachineWorld): SocketView[] {
  if (!w.machine.up) return [];
  const procs = processes(w);
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const out: SocketView[] = [];
  const listen = (s: Spec, holders: SocketHolder[], owner: number): void => {
    if (!holders.length) return;
    out.push({
      proto: s.proto,
      v6: s.v6,
      local: s.local,
      lport: s.port,
      remote: s.v6 ? '::' : '0.0.0.0',
      rport: 0,
      state: s.proto === 'tcp' ? 'LISTEN' : 'UNCONN',
      inode: 8_000 + stable(`${owner}:${s.proto}:${s.local}:${s.port}:${byPid.get(owner)?.startTime ?? 0}`, 60_000),
      holders,
    });
  };
  for (const p of procs) for (const s of daemonSockets(p, w.p.ip)) listen(s, [holder(p, s.fd)], p.pid);
  for (const svc of scenarioOf(w).services) {
    for (const s of svc.sockets?.(w) ?? []) {
      const holders = s.holders.map((h) => (byPid.has(h.pid) ? holder(byPid.get(h.pid)!, h.fd) : null)).filter((h): h is SocketHolder => h !== null);
      listen({ proto: s.proto, v6: s.local.includes(':'), local: s.local, port: s.port, fd: 0 }, holders, s.holders[0]?.pid ?? 0);
    }
  }
  // the loopback TCP stack's connections, held by whoever a scenario said opened them (machine/tcp.ts)
  const tcp = stackOf(w);
  for (const c of tcp ? tcp.sockets.filter((x) => x.state === 'ESTABLISHED') : []) {
    out.push({
      proto: 'tcp',
      v6: false,
      local: c.laddr,
      lport: c.lport,
      remote: c.raddr,
      rport: c.rport,
      state: 'ESTABLISHED',
      inode: c.inode,
      recvQ: recvQ(c),
      sendQ: sendQ(c),
      holders: socketFds(w, c.id).flatMap((f) => (byPid.has(f.pid) ? [holder(byPid.get(f.pid)!, f.fd)] : [])),
    });
  }
  // the player's ssh connection: the privileged monitor and its unprivileged child both hold it
  const shell = sessionShell(w);
  const bash = shell ? byPid.get(shell) : undefined;
  const net = bash ? byPid.get(bash.ppid) : undefined;
  const priv = net ? byPid.get(net.ppid) : undefined;
  if (bash && net && priv) {
    out.push({
      proto: 'tcp',
      v6: false,
      local: w.p.ip,
      lport: 22,
      remote: w.p.sshClientIp,
      rport: sshClientPort(priv.pid, priv.startTime),
      state: 'ESTABLISHED',
      inode: 8_000 + stable(`ssh-conn:${priv.pid}`, 60_000),
      holders: [holder(priv, 3), holder(net, 3)],
    });
  }
  return out;
}
