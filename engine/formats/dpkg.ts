/**
 * `dpkg -i ARCHIVE...` of dpkg 1.17.5 (Ubuntu 14.04): the unpack and configure transcript on
 * stdout, the errors on stderr, after src/archives.c, src/unpack.c, src/configure.c,
 * src/packages.c, src/errors.c and lib/dpkg/ehandle.c at tag 1.17.5.
 */
import { kernelPostinst } from './apt';

const PRINTFORHELP =
  'Type dpkg --help for help about installing and deinstalling packages [*];\n' +
  "Use 'apt' or 'aptitude' for user-friendly package management;\n" +
  'Type dpkg -Dhelp for a list of dpkg debug flag values;\n' +
  'Type dpkg --force-help for a list of forcing options;\n' +
  'Type dpkg-deb --help for help about manipulating *.deb files;\n' +
  '\n' +
  "Options marked [*] produce a lot of output - pipe it through 'less' or 'more' !";

export const DPKG_NOT_ROOT = 'dpkg: error: requested operation requires superuser privilege\n';
export const DPKG_NO_ARCHIVE = `dpkg: error: --install needs at least one package archive file argument\n\n${PRINTFORHELP}\n`;

export interface DpkgUnpack {
  /** the archive as named on the command line */
  arg: string;
  name: string;
  version: string;
  /** the version it replaces, null for a new package */
  oldVersion: string | null;
}

export type DpkgArchiveError = { arg: string; error: 'missing' | 'not-deb' | 'directory' };

export interface DpkgRun {
  /** in command-line order: each archive unpacked, or why it could not be read */
  archives: Array<DpkgUnpack | DpkgArchiveError>;
  /** packages configured, in the order dpkg set them up (what a package depends on first) */
  configured: Array<{ name: string; version: string; kernel?: string }>;
  /** unpacked but left unconfigured: the dependencies that are missing */
  unconfigured: Array<{ name: string; missing: string[] }>;
  /** the database before unpacking */
  dpkgFiles: number;
  /** kernel releases installed afterwards, newest first (update-grub's "Found" lines) */
  kernels: readonly string[];
}

/** dpkg's summarize_filename(): long paths are shortened to .../NAME */
function summarize(arg: string): string {
  let p = arg;
  while (p.length > 30 && p.includes('/')) p = p.slice(p.indexOf('/') + 1);
  return p === arg ? arg : `.../${p}`;
}

export function formatDpkgInstall(r: DpkgRun): { stdout: string; stderr: string; code: number } {
  let out = '';
  let err = '';
  const failed: string[] = [];
  let readDb = false;
  for (const a of r.archives) {
    if ('error' in a) {
      const why = a.error === 'missing' ? 'cannot access archive: No such file or directory' : 'subprocess dpkg-deb --control returned error exit status 2';
      if (a.error === 'directory') err += `dpkg-deb: error: error reading archive magic version number from file ${a.arg}: Is a directory\n`;
      if (a.error === 'not-deb') err += `dpkg-deb: error: \`${a.arg}' is not a debian format archive\n`;
      err += `dpkg: error processing archive ${a.arg} (--install):\n ${why}\n`;
      failed.push(a.arg);
      continue;
    }
    if (a.oldVersion === null) out += `Selecting previously unselected package ${a.name}.\n`;
    if (!readDb) {
      out += `(Reading database ... ${r.dpkgFiles} files and directories currently installed.)\n`;
      readDb = true;
    }
    out += `Preparing to unpack ${summarize(a.arg)} ...\n`;
    out += a.oldVersion === null ? `Unpacking ${a.name} (${a.version}) ...\n` : `Unpacking ${a.name} (${a.version}) over (${a.oldVersion}) ...\n`;
  }
  for (const c of r.configured) {
    out += `Setting up ${c.name} (${c.version}) ...\n`;
    if (c.kernel) for (const l of kernelPostinst(c.kernel, r.kernels)) out += `${l}\n`;
  }
  for (const u of r.unconfigured) {
    const lines = u.missing.map((m) => ` ${u.name} depends on ${m}; however:\n  Package ${m.replace(/\s*\(.*$/, '')} is not installed.\n`).join('');
    err += `dpkg: dependency problems prevent configuration of ${u.name}:\n${lines}\n`;
    err += `dpkg: error processing package ${u.name} (--install):\n dependency problems - leaving unconfigured\n`;
    failed.push(u.name);
  }
  if (failed.length) err += `Errors were encountered while processing:\n${failed.map((f) => ` ${f}\n`).join('')}`;
  return { stdout: out, stderr: err, code: failed.length ? 1 : 0 };
}
