/**
 * dpkg -l (dpkg-query --list) from dpkg 1.17.5 (src/querycmd.c). Output that is not a terminal
 * sizes the columns to the longest name, version, architecture and summary in the database;
 * the player's terminal cannot be told from a pipe here, so that is the layout used.
 */

export interface DpkgRow {
  name: string;
  /** installed version; null when dpkg only knows the name */
  version: string | null;
  arch: string;
  summary: string;
  /** two letters: ii installed, rc removed with its conffiles, un unknown */
  state: 'ii' | 'rc' | 'un';
}

/** fnmatch(3) with * ? and [...] on the whole name */
function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else if (ch === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += ch.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function formatDpkgList(db: readonly DpkgRow[], patterns: readonly string[]): { stdout: string; stderr: string; code: number } {
  const sorted = [...db].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const shownVersion = (r: DpkgRow) => r.version ?? '<none>';
  const shownArch = (r: DpkgRow) => (r.version === null ? '<none>' : r.arch);
  const shownDesc = (r: DpkgRow) => (r.version === null ? '(no description available)' : r.summary);
  let nw = 14;
  let vw = 12;
  let aw = 12;
  let dw = 33;
  for (const r of sorted) {
    nw = Math.max(nw, r.name.length);
    vw = Math.max(vw, shownVersion(r).length);
    aw = Math.max(aw, shownArch(r).length);
    dw = Math.max(dw, shownDesc(r).length);
  }
  const row = (flags: string, name: string, version: string, arch: string, desc: string): string =>
    `${flags} ${name.slice(0, nw).padEnd(nw)} ${version.slice(0, vw).padEnd(vw)} ${arch.slice(0, aw).padEnd(aw)} ${desc.slice(0, dw)}\n`;
  let head = '';
  let out = '';
  const emit = (r: DpkgRow): void => {
    if (!head) {
      head =
        'Desired=Unknown/Install/Remove/Purge/Hold\n' +
        '| Status=Not/Inst/Conf-files/Unpacked/halF-conf/Half-inst/trig-aWait/Trig-pend\n' +
        '|/ Err?=(none)/Reinst-required (Status,Err: uppercase=bad)\n' +
        row('||/', 'Name', 'Version', 'Architecture', 'Description') +
        `+++-${'='.repeat(nw)}-${'='.repeat(vw)}-${'='.repeat(aw)}-${'='.repeat(dw)}\n`;
      out += head;
    }
    out += row(`${r.state} `, r.name, shownVersion(r), shownArch(r), shownDesc(r));
  };
  let stderr = '';
  let failures = 0;
  if (patterns.length === 0) {
    for (const r of sorted) if (r.state !== 'un') emit(r);
  } else {
    const res = patterns.map(globToRegExp);
    const found = patterns.map(() => 0);
    for (const r of sorted) {
      const i = res.findIndex((re) => re.test(r.name));
      if (i >= 0) {
        emit(r);
        found[i]!++;
      }
    }
    patterns.forEach((p, i) => {
      if (!found[i]) {
        stderr += `dpkg-query: no packages found matching ${p}\n`;
        failures++;
      }
    });
  }
  return { stdout: out, stderr, code: failures ? 1 : 0 };
}
