import { formatDig, formatDigXfr, parseDigArgs } from '../../../formats/dig';
import { zoneTransfer } from '../sim/dns';
import { lookupSpells } from './lookup';
import { defineCommand } from '../../../shell/commands/define';
import type { CommandResult, CommandSpec } from '../../../shell/types';
import * as sim from '../sim/index';
import type { Ch1Context } from './context';

/**
 * Chapter 1's own spells: dig against the name server, and NSD's controls. Each one hands the
 * request to the simulation and prints what the real tool prints about the outcome.
 */

const res = (stdout: string, stderr = '', code = 0): CommandResult => ({ stdout, stderr, code });

export function nsdSpells(c: Ch1Context): CommandSpec[] {
  const w = () => c.world();
  return [
    ...lookupSpells(c),
    defineCommand({
      name: 'dig',
      summary: 'ask a DNS server a question',
      category: 'network',
      synopsis: ['dig [@SERVER] NAME [TYPE] [+short] [+tries=N] [+time=N]'],
      description: [
        'Sends a DNS query and prints the reply section by section: the header with its status and flags, the question, the answer, and how long it took. With no server named it asks the resolver in /etc/resolv.conf.',
        'When nothing answers, dig waits for each try to time out (3 tries of 5 seconds by default) and says no servers could be reached.',
      ],
      examples: [
        ['dig @127.0.0.1 www.example.com', 'ask the NSD on this machine directly'],
        ['dig @127.0.0.1 example.com SOA +short', 'the zone serial this server is answering with'],
        ['dig @127.0.0.1 example.com axfr', 'ask for the whole zone (NSD refuses clients provide-xfr does not list)'],
      ],
      run: (ctx) => {
        const p = parseDigArgs(ctx.argv.slice(1));
        if (!p.ok) return res(p.stdout, p.stderr, p.code);
        const o = p.options;
        if (o.qtype === 'AXFR') {
          const world = w();
          const server = o.server ?? world.p.resolver;
          const x = zoneTransfer(world, c.streams.stream('dns'), server, o.qname, o.port);
          c.advance(x.elapsedMs);
          const zone = o.qname.replace(/\.$/, '') || '.';
          const out = formatDigXfr(
            o.commandLine,
            x.kind === 'ok'
              ? { kind: 'ok', records: x.records, queryTimeMs: x.queryTimeMs, server, port: o.port, when: world.now, messages: x.messages, bytes: x.bytes }
              : x.kind === 'refused-connection'
                ? { kind: x.kind, server, port: o.port, zone }
                : { kind: x.kind },
          );
          return res(out.stdout, out.stderr, out.code);
        }
        const q = sim.dnsQuery(w(), c.streams.stream('dns'), {
          server: o.server ?? '',
          qname: o.qname,
          qtype: o.qtype,
          port: o.port,
          commandLine: o.commandLine,
          short: o.short,
          tries: o.tries,
          timeSec: o.timeSec,
        });
        c.advance(q.elapsedMs);
        const out = formatDig(q.view);
        return res(out.stdout, out.stderr, out.code);
      },
    }),
    defineCommand({
      name: 'nsd',
      path: '/usr/sbin/nsd',
      summary: 'the NSD name server daemon (nsd -v shows its version)',
      category: 'network',
      synopsis: ['nsd -v'],
      description: [
        'NSD is an authoritative-only name server from NLnet Labs. This machine runs it as a secondary: it receives zones from a primary by zone transfer and answers queries for them.',
        'It is started and stopped with `service nsd ...`; `nsd -v` prints the version of the installed binary.',
      ],
      run: (ctx) => {
        const a = ctx.argv.slice(1);
        if (a.length === 1 && (a[0] === '-v' || a[0] === '-h')) {
          const out = sim.nsdVersion(w());
          return res(out.stdout, out.stderr, out.code);
        }
        return res('', 'nsd: to start or stop the server here, use: sudo service nsd start|stop|restart\n', 1);
      },
    }),
    defineCommand({
      name: 'nsd-control',
      path: '/usr/sbin/nsd-control',
      summary: 'control the running NSD (reload, status...)',
      category: 'network',
      synopsis: ['sudo nsd-control reload [ZONE]', 'sudo nsd-control status', 'sudo nsd-control zonestatus [ZONE]'],
      description: [
        'Talks to NSD over its control channel. `reload` makes NSD re-read its zones: in NSD 4.0 that forks a new process which takes over as the main one. `status` prints the version and whether it runs.',
        'Repeat it to see what many reloads do: `repeat 500 sudo nsd-control reload`.',
      ],
      completions: ['reload', 'status', 'stats_noreset', 'reconfig', 'write', 'notify', 'transfer', 'force_transfer', 'zonestatus', 'log_reopen', 'stop'],
      run: (ctx) => {
        const a = ctx.argv.slice(1);
        const out = sim.nsdControl(w(), a, ctx.user);
        if (a[0] === 'reload' && out.code === 0) c.manualReloads(1);
        if (a[0] === 'stop' && out.code === 0) c.beforeRestart();
        return res(out.stdout, out.stderr, out.code);
      },
    }),
  ];
}
