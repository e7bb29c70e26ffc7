/**
 * The network as the box sees it, beyond the Ubuntu archive apt talks to: the hosts its scenario
 * declares, with the files they serve. Nothing else resolves, so a URL outside the story fails the
 * way wget fails on a name it cannot look up. A file exists on its server from the day it was made;
 * a download writes it into the filesystem with its real size (its bytes are not kept, see
 * StoredFile.bytes) and takes the time its size needs at the link's speed.
 */
import type { Rng } from '../rng';
import type { Download, NetworkView } from './downloads';
import { scenarioOf } from './scenario';
import type { MachineWorld } from './world';

export type { DebPackage, Download, NetworkView } from './downloads';

const NONE: NetworkView = { hosts: [], files: [] };

export function networkOf(w: MachineWorld): NetworkView {
  return scenarioOf(w).network ?? NONE;
}

export const dayMs = (date: string): number => Date.parse(`${date}T00:00:00Z`);

export interface ParsedUrl {
  scheme: 'http' | 'https' | 'ftp';
  host: string;
  port: number;
  /** path and query, from the first '/' */
  path: string;
  /** the URL as wget prints it (a missing scheme becomes http://, an empty path '/') */
  canonical: string;
}

/** wget's url_parse() for the URLs a player types: a scheme is optional and http by default. */
export function parseUrl(raw: string): ParsedUrl | { error: string } {
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):\/\/)?([^/?#:]*)(?::(\d*))?([/?#].*)?$/.exec(raw);
  const scheme = (m?.[1] ?? 'http').toLowerCase();
  if (m && m[1] && scheme !== 'http' && scheme !== 'https' && scheme !== 'ftp') return { error: `Unsupported scheme \u2018${m[1]}\u2019` };
  if (!m || m[2] === '') return { error: 'Invalid host name' };
  const host = m[2]!.toLowerCase();
  const defaultPort = scheme === 'https' ? 443 : scheme === 'ftp' ? 21 : 80;
  const port = m[3] ? parseInt(m[3], 10) : defaultPort;
  if (m[3] !== undefined && (m[3] === '' || port < 1 || port > 65535)) return { error: 'Bad port number' };
  let path = m[4] ?? '/';
  if (path.startsWith('?')) path = `/${path}`;
  path = path.replace(/#.*$/, '') || '/';
  const canonical = `${scheme}://${host}${port !== defaultPort ? `:${port}` : ''}${path}`;
  return { scheme: scheme as ParsedUrl['scheme'], host, port, path, canonical };
}

export type Fetch =
  | { kind: 'unresolved'; host: string }
  /** a directory the server would list: its index page is not simulated */
  | { kind: 'listing'; host: string }
  | { kind: 'not-found'; host: string; ip: string; port: number }
  | { kind: 'ok'; host: string; ip: string; port: number; file: Download };

/** What asking the network for `url` gets at the box's current time. */
export function fetchUrl(w: MachineWorld, url: ParsedUrl): Fetch {
  const net = networkOf(w);
  const host = net.hosts.find((h) => h.name === url.host);
  if (!host) return { kind: 'unresolved', host: url.host };
  const file = net.files.find((f) => {
    const p = parseUrl(f.url);
    return !('error' in p) && p.host === url.host && p.path === url.path && dayMs(f.date) <= w.now;
  });
  if (!file) {
    const dir = url.path.endsWith('/') ? url.path : `${url.path}/`;
    const listed = net.files.some((f) => {
      const p = parseUrl(f.url);
      return !('error' in p) && p.host === url.host && p.path.startsWith(dir);
    });
    if (listed) return { kind: 'listing', host: url.host };
    return { kind: 'not-found', host: url.host, ip: host.ip, port: url.port };
  }
  return { kind: 'ok', host: url.host, ip: host.ip, port: url.port, file };
}

/** The file name wget saves a URL under: the last part of its path, index.html for a directory. */
export function localName(url: ParsedUrl): string {
  const path = url.path.replace(/[?#].*$/, '');
  const base = path.slice(path.lastIndexOf('/') + 1);
  return decodeURIComponent(base) || 'index.html';
}

/** Seconds one download takes: the EC2 box's link to the outside world, a few MB/s, varying per transfer. */
export function transferSeconds(bytes: number, rng: Rng): number {
  const bytesPerSec = rng.range(3.2, 7.8) * 1024 * 1024;
  return Math.max(0.05, bytes / bytesPerSec);
}

/** The download a stored file came from, known by its size (a .deb's control data is inside it). */
export function downloadOfSize(w: MachineWorld, bytes: number | undefined): Download | undefined {
  if (bytes === undefined) return undefined;
  return networkOf(w).files.find((f) => f.bytes === bytes);
}
