import { setRouteQuickack } from '../../kernel/tcp';
import { defineCommand } from '../../shell/commands/define';
import type { CommandContext, CommandResult, CommandSpec } from '../../shell/types';
import { stackOf, tcpAt } from '../tcp';
import type { MachineWorld } from '../world';
import type { MachineContext } from './context';

/**
 * `ip route` of iproute2 3.12 on a trusty VM with eth0 and lo: the main and local tables as the
 * 3.16 kernel builds them from the two interfaces' addresses, and `ip route change|replace` of
 * one of those routes with the quickack metric (RTAX_QUICKACK), which the loopback TCP stack
 * obeys for the connections whose route carries it.
 */

interface Route {
  table: 'main' | 'local';
  type: 'unicast' | 'local' | 'broadcast';
  dst: string;
  /** prefix length; 32 for a host route (printed without /32) */
  len: number;
  via?: string;
  dev: string;
  proto: 'kernel' | 'boot';
  scope: 'link' | 'host' | 'universe';
  src?: string;
}

/** the metrics the player set on routes, by route key (plain JSON in the world) */
type RouteWorld = MachineWorld & { routeMetrics?: Record<string, { quickack: number }>; routeMetricsBoot?: number };

const keyOf = (r: Pick<Route, 'table' | 'type' | 'dst' | 'len'>): string => `${r.table} ${r.type} ${r.dst}/${r.len}`;

const ipNum = (a: string): number => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
const ipStr = (n: number): string => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

/** eth0's prefix: the /24 its gateway shares with it, as the VPC's DHCP hands out here */
function eth0Net(w: MachineWorld): { net: string; bcast: string; len: number } {
  const len = 24;
  const base = ipNum(w.p.ip) - (ipNum(w.p.ip) % 2 ** (32 - len));
  return { net: ipStr(base), bcast: ipStr(base + 2 ** (32 - len) - 1), len };
}

function routes(w: MachineWorld): Route[] {
  const e = eth0Net(w);
  const ip = w.p.ip;
  const out: Route[] = [];
  if (w.p.gateway) out.push({ table: 'main', type: 'unicast', dst: '0.0.0.0', len: 0, via: w.p.gateway, dev: 'eth0', proto: 'boot', scope: 'universe' });
  out.push({ table: 'main', type: 'unicast', dst: e.net, len: e.len, dev: 'eth0', proto: 'kernel', scope: 'link', src: ip });
  // the local table in the order fib_trie walks it: by address, the longer prefix first at one address
  out.push(
    { table: 'local', type: 'broadcast', dst: e.net, len: 32, dev: 'eth0', proto: 'kernel', scope: 'link', src: ip },
    { table: 'local', type: 'local', dst: ip, len: 32, dev: 'eth0', proto: 'kernel', scope: 'host', src: ip },
    { table: 'local', type: 'broadcast', dst: e.bcast, len: 32, dev: 'eth0', proto: 'kernel', scope: 'link', src: ip },
    { table: 'local', type: 'broadcast', dst: '127.0.0.0', len: 32, dev: 'lo', proto: 'kernel', scope: 'link', src: '127.0.0.1' },
    { table: 'local', type: 'local', dst: '127.0.0.0', len: 8, dev: 'lo', proto: 'kernel', scope: 'host', src: '127.0.0.1' },
    { table: 'local', type: 'local', dst: '127.0.0.1', len: 32, dev: 'lo', proto: 'kernel', scope: 'host', src: '127.0.0.1' },
    { table: 'local', type: 'broadcast', dst: '127.255.255.255', len: 32, dev: 'lo', proto: 'kernel', scope: 'link', src: '127.0.0.1' },
  );
  return out;
}

/** what `ip route change` set lasts until the next boot, when the kernel builds its routes afresh */
function quickackOf(w: MachineWorld, r: Route): number {
  const rw = w as RouteWorld;
  return rw.routeMetricsBoot === w.k.bootTime ? (rw.routeMetrics?.[keyOf(r)]?.quickack ?? -1) : -1;
}

/** print_route(): type unless unicast, dst, via, dev, table unless main (or asked), proto unless boot, scope unless universe, src, metrics */
function routeLine(w: MachineWorld, r: Route, tableAsked: boolean): string {
  let s = r.type !== 'unicast' ? `${r.type} ` : '';
  s += r.len === 0 ? 'default ' : r.len === 32 ? `${r.dst} ` : `${r.dst}/${r.len} `;
  if (r.via) s += `via ${r.via} `;
  s += `dev ${r.dev} `;
  if (r.table !== 'main' && !tableAsked) s += ` table ${r.table} `;
  if (r.proto !== 'boot') s += ` proto ${r.proto} `;
  if (r.scope !== 'universe') s += ` scope ${r.scope} `;
  if (r.src) s += ` src ${r.src} `;
  const q = quickackOf(w, r);
  if (q >= 0) s += ` quickack ${q}`;
  return `${s}\n`;
}

/** the route the kernel's lookup gives a destination: local table first, then main, longest prefix */
function lookup(w: MachineWorld, dst: string): Route | undefined {
  const n = ipNum(dst);
  for (const table of ['local', 'main'] as const) {
    const hits = routes(w)
      .filter((r) => r.table === table && r.type !== 'broadcast' && Math.floor(n / 2 ** (32 - r.len)) === Math.floor(ipNum(r.dst) / 2 ** (32 - r.len)))
      .sort((a, b) => b.len - a.len);
    if (hits[0]) return hits[0];
  }
  return undefined;
}

/** the loopback stack's connections run over 127.0.0.1's route: it carries the quickack metric or not */
export function syncRouteQuickack(w: MachineWorld): void {
  const tcp = stackOf(w);
  const r = lookup(w, '127.0.0.1');
  if (tcp && r) setRouteQuickack(tcp, quickackOf(w, r) === 1);
}

const res = (stdout: string, stderr = '', code = 0): CommandResult => ({ stdout, stderr, code });

const ROUTE_USAGE =
  'Usage: ip route { list | flush } SELECTOR\n' +
  '       ip route save SELECTOR\n' +
  '       ip route restore\n' +
  '       ip route showdump\n' +
  '       ip route get ADDRESS [ from ADDRESS iif STRING ]\n' +
  '                            [ oif STRING ]  [ tos TOS ]\n' +
  '                            [ mark NUMBER ]\n' +
  '       ip route { add | del | change | append | replace } ROUTE\n';

const TYPES = new Set(['unicast', 'local', 'broadcast', 'multicast', 'throw', 'unreachable', 'prohibit', 'blackhole', 'nat']);

function matches(word: string, full: string): boolean {
  return word.length > 0 && full.startsWith(word);
}

function show(w: MachineWorld, args: string[]): CommandResult {
  let table: 'main' | 'local' | 'all' = 'main';
  let asked = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === 'table') {
      const t = args[++i];
      if (t === 'local' || t === '255') table = 'local';
      else if (t === 'main' || t === '254') table = 'main';
      else if (t === 'all' || t === '0') table = 'all';
      else return res('', `Error: argument "${t ?? ''}" is wrong: table id value is invalid\n\n`, 255);
      asked = table !== 'all';
    } else return res('', `ip route ${a}: selectors other than table are not simulated here\n`, 255);
  }
  const rows = routes(w).filter((r) => table === 'all' || r.table === table);
  return res(rows.map((r) => routeLine(w, r, asked)).join(''));
}

function change(c: MachineContext, ctx: CommandContext, verb: string, args: string[]): CommandResult {
  const w = c.world();
  const spec: Partial<Route> & { quickack?: number } = {};
  let i = 0;
  if (args[i] && TYPES.has(args[i]!)) spec.type = args[i++] as Route['type'];
  const dst = args[i++];
  if (!dst) return res('', ROUTE_USAGE, 255);
  const m = /^(\d+\.\d+\.\d+\.\d+)(?:\/(\d+))?$/.exec(dst === 'default' ? '0.0.0.0/0' : dst);
  if (!m || m[1]!.split('.').some((o) => Number(o) > 255) || Number(m[2] ?? 32) > 32) return res('', `Error: an inet prefix is expected rather than "${dst}".\n`, 255);
  spec.dst = m[1]!;
  spec.len = Number(m[2] ?? 32);
  for (; i < args.length; i++) {
    const k = args[i]!;
    const v = args[i + 1];
    if (['dev', 'proto', 'scope', 'src', 'table', 'via', 'quickack'].includes(k) && v === undefined) return res('', 'Command line is not complete. Try option "help"\n', 255);
    if (k === 'dev' || k === 'oif') spec.dev = args[++i]!;
    else if (k === 'proto') spec.proto = args[++i] as Route['proto'];
    else if (k === 'scope') spec.scope = args[++i] as Route['scope'];
    else if (k === 'src') spec.src = args[++i]!;
    else if (k === 'via') spec.via = args[++i]!;
    else if (k === 'table') {
      const t = args[++i]!;
      if (t !== 'local' && t !== 'main') return res('', `Error: argument "${t}" is wrong: "table" value is invalid\n\n`, 255);
      spec.table = t;
    } else if (k === 'quickack') {
      const q = args[++i]!;
      if (!/^\d+$/.test(q)) return res('', `Error: argument "${q}" is wrong: "quickack" value is invalid\n\n`, 255);
      if (q !== '0' && q !== '1') return res('', `Error: argument "${q}" is wrong: "quickack" value should be 0 or 1\n\n`, 255);
      spec.quickack = Number(q);
    } else return res('', `ip route ${verb}: "${k}" is not simulated here (dev, proto, scope, src, via, table and quickack are)\n`, 255);
  }
  // rtnetlink needs CAP_NET_ADMIN
  if (ctx.user !== 'root') return res('', 'RTNETLINK answers: Operation not permitted\n', 2);
  const type = spec.type ?? 'unicast';
  // iproute2 puts a local or nat route in the local table when no table is named
  const table = spec.table ?? (type === 'local' ? 'local' : 'main');
  const target = routes(w).find((r) => r.table === table && r.type === type && r.dst === spec.dst && r.len === spec.len);
  if (!target) {
    if (verb === 'replace') return res('', `ip route replace: adding routes is not simulated here; change one of those ip route show lists\n`, 2);
    return res('', 'RTNETLINK answers: No such file or directory\n', 2);
  }
  if ((spec.dev && spec.dev !== target.dev) || (spec.src && spec.src !== target.src) || (spec.via && spec.via !== target.via)) {
    return res('', `ip route ${verb}: moving a route to another device, source or gateway is not simulated here; only its metrics (quickack) change\n`, 2);
  }
  tcpAt(w, c.streams);
  const rw = w as RouteWorld;
  if (rw.routeMetricsBoot !== w.k.bootTime) rw.routeMetrics = {};
  rw.routeMetricsBoot = w.k.bootTime;
  const metrics = (rw.routeMetrics ??= {});
  // a replace without the metric drops it, as the new route has none
  if (spec.quickack !== undefined) metrics[keyOf(target)] = { quickack: spec.quickack };
  else delete metrics[keyOf(target)];
  syncRouteQuickack(w);
  return res('');
}

export function ipSpells(c: MachineContext): CommandSpec[] {
  return [
    defineCommand({
      name: 'ip',
      path: '/sbin/ip',
      summary: 'show and change the routing tables',
      category: 'network',
      synopsis: ['ip route [show] [table local|main|all]', 'sudo ip route change [TYPE] PREFIX dev DEV [proto P] [scope S] [src ADDR] quickack 0|1'],
      description: [
        'ip route shows the main routing table: the default route through the gateway and the network eth0 is on. ip route show table local shows the routes the kernel makes for the box\'s own addresses: every 127.x.x.x goes to lo, and so does the box\'s own address.',
        'ip route change (or replace) rewrites a route, here its metrics: quickack 1 tells TCP to acknowledge at once, never delaying an ACK, for every connection whose route it is. The kernel picks the most specific route for an address, so the route that counts for 127.0.0.1 is the one listed for 127.0.0.1 itself. Changing routes needs root.',
      ],
      options: [
        ['route show [table T]', 'list a routing table (main by default, local, all)'],
        ['route change|replace ROUTE quickack 1', 'set the quickack metric on an existing route'],
      ],
      examples: [
        ['ip route show table local', "the box's own addresses"],
        ['sudo ip route change local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1 quickack 1', 'no delayed ACKs to 127.0.0.1'],
      ],
      notes: ['ip addr, ip link, ip neigh, and adding or deleting routes are not simulated on this machine; only ip route show and change.'],
      run: (ctx) => {
        const args = ctx.argv.slice(1);
        while (args[0] === '-4' || args[0] === '-f' || args[0] === '-family') {
          if (args[0] !== '-4') args.splice(0, 1);
          args.splice(0, 1);
        }
        const obj = args.shift();
        if (obj === undefined) return res('', 'Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n       ip [ -force ] -batch filename\nwhere  OBJECT := { link | addr | addrlabel | route | rule | neigh | ntable |\n                   tunnel | tuntap | maddr | mroute | mrule | monitor | xfrm |\n                   netns | l2tp | tcp_metrics | token }\n       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |\n                    -f[amily] { inet | inet6 | ipx | dnet | bridge | link } |\n                    -4 | -6 | -I | -D | -B | -0 |\n                    -l[oops] { maximum-addr-flush-attempts } |\n                    -o[neline] | -t[imestamp] | -b[atch] [filename] |\n                    -rc[vbuf] [size]}\n', 255);
        if (obj === '-V' || obj === '-Version') return res('ip utility, iproute2-ss131122\n');
        if (!matches(obj, 'route')) {
          if (['link', 'addr', 'address', 'neigh', 'rule', 'monitor', 'tcp_metrics'].some((o) => matches(obj, o))) return res('', `ip ${obj}: not simulated on this machine; ip route is\n`, 255);
          return res('', `Object "${obj}" is unknown, try "ip help".\n`, 255);
        }
        const verb = args.shift() ?? 'show';
        if (matches(verb, 'show') || matches(verb, 'list')) return show(c.world(), args);
        if (verb === 'change' || verb === 'replace' || verb === 'chg') return change(c, ctx, verb === 'chg' ? 'change' : verb, args);
        if (verb === 'help') return res('', ROUTE_USAGE, 255);
        if (['add', 'del', 'delete', 'append', 'prepend', 'flush', 'get', 'save', 'restore'].includes(verb)) return res('', `ip route ${verb}: not simulated on this machine; ip route show and ip route change are\n`, 255);
        return res('', `Command "${verb}" is unknown, try "ip route help".\n`, 255);
      },
    }),
  ];
}
