/**
 * The secondary's own files on top of the base system's: nsd.conf and the zone files.
 */
import { baseFiles, file } from '../../../machine/files';
import type { FileStore } from '../../../vfs/store';
import type { Ch1Params } from './params';
import { zoneFileText } from './zones';
import type { ZoneState } from './world';

function nsdConf(p: Ch1Params): string {
  const zones = p.zones
    .map((z) => `zone:\n\tname: "${z.name}"\n\tzonefile: "${z.name}.zone"\n\tinclude-pattern: "from-primary"\n`)
    .join('\n');
  return `# nsd.conf for ${p.hostname}: secondary for the zones below, fed by the primary at ${p.primaryIp}.
# Changes here need a restart of nsd (reload only rereads zone files).

server:
\tip-address: 0.0.0.0
\tdo-ip6: no
\thide-version: yes
\tusername: nsd
\tzonesdir: "/var/lib/nsd"
\tpidfile: "/run/nsd/nsd.pid"
\tserver-count: ${p.serverCount}
\tverbosity: 1
\t# ask the main process for a reload at most once a second
\txfrd-reload-timeout: ${p.xfrdReloadTimeout}

remote-control:
\tcontrol-enable: yes
\tcontrol-interface: 127.0.0.1
\tcontrol-port: 8952

pattern:
\tname: "from-primary"
\tallow-notify: ${p.primaryIp} NOKEY
\trequest-xfr: AXFR ${p.primaryIp} NOKEY

${zones}`;
}

export function seedFiles(p: Ch1Params, zones: ZoneState[], t: number): FileStore {
  const store = baseFiles(p, t, [{ name: 'nsd', uid: p.nsdUid, gid: p.nsdUid + 7, home: '/var/lib/nsd' }]);
  const files = store.files;
  files['/etc/nsd/nsd.conf'] = file(nsdConf(p), t);
  files['/etc/default/nsd'] = file('# Extra options for the nsd init script.\nDAEMON_OPTS=""\n', t);
  for (const z of zones) files[`/var/lib/nsd/${z.name}.zone`] = file(zoneFileText(p, z), t, 0o644, 'nsd');
  store.dirs['/run/nsd'] = { mode: 0o755, owner: 'nsd', group: 'nsd' };
  return store;
}
