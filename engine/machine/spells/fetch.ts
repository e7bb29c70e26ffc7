import { DPKG_NO_ARCHIVE, DPKG_NOT_ROOT, formatDpkgInstall } from '../../formats/dpkg';
import { formatFinished, formatRetrieval, WGET_TRY, WGET_USAGE, type WgetRetrieval } from '../../formats/wget';
import { defineCommand } from '../../shell/commands/define';
import type { CommandContext, CommandResult, CommandSpec } from '../../shell/types';
import { normalizePath } from '../../vfs/path';
import * as sim from '../index';
import { downloadOfSize, fetchUrl, localName, parseUrl, transferSeconds } from '../network';
import type { MachineContext } from './context';
import { runDpkgList } from './dpkgList';

/**
 * wget and dpkg -i: files from the few servers the box's story reaches (the scenario declares
 * them), and packages installed from those files rather than from apt's archive.
 */

const res = (stdout: string, stderr = '', code = 0): CommandResult => ({ stdout, stderr, code });

interface WgetArgs {
  urls: string[];
  quiet: boolean;
  output?: string;
}

/** wget's getopt_long for the options a player uses here; anything else is refused as wget does. */
function parseWgetArgs(argv: readonly string[]): WgetArgs | CommandResult {
  const a: WgetArgs = { urls: [], quiet: false };
  const usage = (msg: string): CommandResult => res('', `${msg}${WGET_USAGE}${WGET_TRY}`, 1);
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i]!;
    if (x === '--') {
      a.urls.push(...argv.slice(i + 1));
      break;
    }
    if (x === '-q' || x === '--quiet') a.quiet = true;
    else if (x === '-O' || x === '--output-document') {
      const v = argv[++i];
      if (v === undefined) return usage(x === '-O' ? "wget: option requires an argument -- 'O'\n" : "wget: option '--output-document' requires an argument\n");
      a.output = v;
    } else if (x.startsWith('--output-document=')) a.output = x.slice('--output-document='.length);
    else if (x.startsWith('-O') && x.length > 2) a.output = x.slice(2);
    else if (x.startsWith('--')) return usage(`wget: unrecognized option '${x}'\n`);
    else if (x.startsWith('-') && x.length > 1) return usage(`wget: invalid option -- '${x[1]}'\n`);
    else a.urls.push(x);
  }
  return a;
}

/** wget's unique_name(): FILE, else FILE.1, FILE.2, ... */
function uniqueName(ctx: CommandContext, name: string): string {
  const exists = (n: string) => ctx.env.fs.stat(normalizePath(n, ctx.cwd)).ok;
  if (!exists(name)) return name;
  for (let i = 1; ; i++) if (!exists(`${name}.${i}`)) return `${name}.${i}`;
}

const ERRNO_TEXT: Record<string, string> = {
  EACCES: 'Permission denied',
  ENOENT: 'No such file or directory',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  ENOSPC: 'No space left on device',
  EDQUOT: 'Disk quota exceeded',
};

function runWget(c: MachineContext, ctx: CommandContext): CommandResult {
  const parsed = parseWgetArgs(ctx.argv.slice(1));
  if ('code' in parsed) return parsed;
  if (parsed.urls.length === 0) return res('', `wget: missing URL\n${WGET_USAGE}${WGET_TRY}`, 1);
  const rng = c.streams.stream('net');
  const startAt = c.world().now;
  let log = '';
  let code = 0;
  let files = 0;
  let bytesDown = 0;
  let secsDown = 0;
  // the host whose connection the last retrieval left open (wget keeps HTTP connections alive)
  let open = '';
  // wget's exit status is that of the worst failure: 1 generic, 3 file I/O, 4 network, 8 server error
  const fail = (n: number) => (code = code === 0 ? n : Math.min(code, n));
  for (const raw of parsed.urls) {
    const url = parseUrl(raw);
    const at = c.world().now;
    let r: WgetRetrieval;
    let reused = false;
    if ('error' in url) {
      r = { kind: 'bad-url', url: raw, error: url.error };
      fail(1);
    } else {
      const f = fetchUrl(c.world(), url);
      if (f.kind === 'listing') {
        // said in our words, not wget's: the server's index page is not part of the simulation
        log += `wget: the grimoire does not simulate the directory listing at ${url.canonical}; fetch a file there by its full name\n`;
        fail(1);
        continue;
      }
      if (f.kind === 'unresolved') {
        r = { kind: 'unresolved', url: url.canonical, at, host: f.host };
        open = '';
        fail(4);
      } else {
        const host = { name: f.host, ip: f.ip, port: f.port };
        reused = open === `${f.host}:${f.port}`;
        open = `${f.host}:${f.port}`;
        if (f.kind === 'not-found') {
          r = { kind: 'http-error', url: url.canonical, at, host, status: 404, reason: 'Not Found' };
          fail(8);
        } else {
          const name = parsed.output ?? uniqueName(ctx, localName(url));
          const path = normalizePath(name, ctx.cwd);
          const fsys = c.filesystems().find((x) => x.target === sim.mountOf(path));
          const room = fsys ? (ctx.user === 'root' ? fsys.totalKb - fsys.usedKb : fsys.availKb) : Infinity;
          const base = { url: url.canonical, at, host, bytes: f.file.bytes, contentType: f.file.contentType, file: name };
          const opened = ctx.env.fs.write(path, '', ctx.user);
          if (!opened.ok) {
            r = { kind: 'open-failed', ...base, error: ERRNO_TEXT[opened.errno] ?? opened.errno };
            fail(3);
          } else if (Math.ceil(f.file.bytes / 4096) * 4 > room) {
            r = { kind: 'write-failed', ...base, error: 'No space left on device' };
            fail(3);
          } else {
            const secs = transferSeconds(f.file.bytes, rng);
            c.advance(Math.round(secs * 1000));
            const stored = c.world().files.files[path];
            if (stored) {
              stored.bytes = f.file.bytes;
              // wget gives the file the server's Last-Modified time
              stored.mtime = f.file.modified;
            }
            r = { kind: 'saved', ...base, secs };
            files += 1;
            bytesDown += f.file.bytes;
            secsDown += secs;
          }
        }
      }
    }
    log += formatRetrieval(r, reused, parsed.quiet);
  }
  if (parsed.urls.length > 1 && bytesDown > 0 && !parsed.quiet) {
    log += formatFinished(c.world().now, (c.world().now - startAt) / 1000, files, bytesDown, secsDown);
  }
  return res('', log, code);
}

function runDpkg(c: MachineContext, ctx: CommandContext): CommandResult {
  const argv = ctx.argv.slice(1);
  const action = argv[0];
  if (action === '-l' || action === '--list') return runDpkgList(c, ctx);
  if (action !== '-i' && action !== '--install') {
    return res('', `dpkg: the grimoire's dpkg installs package files (dpkg -i FILE.deb); it does not do '${argv.join(' ') || '(nothing)'}' here\n`, 2);
  }
  if (ctx.user !== 'root') return res('', DPKG_NOT_ROOT, 2);
  const names = argv.slice(1);
  if (names.length === 0) return res('', DPKG_NO_ARCHIVE, 2);
  const w = c.world();
  const files: sim.ArchiveFile[] = names.map((arg) => {
    const path = normalizePath(arg, ctx.cwd);
    const st = ctx.env.fs.stat(path);
    if (!st.ok) return { arg, error: 'missing' as const };
    if (st.value.type === 'dir') return { arg, error: 'directory' as const };
    const deb = downloadOfSize(w, w.files.files[path]?.bytes)?.deb;
    return deb ? { arg, deb } : { arg, error: 'not-deb' as const };
  });
  const r = sim.dpkgInstall(w, c.streams, files);
  c.advance(r.durationMs);
  return formatDpkgInstall(r.run);
}

export function fetchSpells(c: MachineContext): CommandSpec[] {
  return [
    defineCommand({
      name: 'wget',
      summary: 'download files from the web',
      category: 'network',
      synopsis: ['wget URL...', 'wget -O FILE URL', 'wget -q URL'],
      description: [
        'Fetches each URL over HTTP into the current directory, under the last part of its path (FILE.1, FILE.2... when that name is taken), and prints its log on stderr: the lookup, the connection, the size, a progress bar and the rate.',
        'This box reaches only the servers its story needs; any other name does not resolve.',
      ],
      options: [
        ['-O FILE', 'save under FILE instead'],
        ['-q', 'print nothing'],
      ],
      examples: [
        ['wget URL', 'save the file at URL in the current directory'],
        ['wget -O name URL', 'save it as name'],
      ],
      notes: ['The grimoire keeps the name and size of what wget downloads, not its bytes.'],
      completions: ['-O', '-q'],
      run: (ctx) => runWget(c, ctx),
    }),
    defineCommand({
      name: 'dpkg',
      summary: 'install a package from a .deb file',
      category: 'packages',
      synopsis: ['sudo dpkg -i FILE.deb...', 'dpkg -l [PATTERN]...'],
      description: [
        'Unpacks and sets up the packages in the given .deb files, without apt: nothing is fetched, and a package whose dependencies are not installed (or among the files given) is left unconfigured.',
        'A kernel image joins the boot menu and is booted at the next reboot.',
      ],
      examples: [['sudo dpkg -i *.deb', 'install every package file in this directory']],
      completions: ['-i', '--install', '-l', '--list'],
      argKind: 'path',
      run: (ctx) => runDpkg(c, ctx),
    }),
  ];
}
