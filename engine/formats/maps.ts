/**
 * One process's address space as /proc/PID/maps and /proc/PID/smaps print it (Linux 3.16,
 * fs/proc/task_mmu.c), and the view pmap reads it from.
 */

/** One VMA. Addresses are in pages (address / 4096), so every one fits a double exactly. */
export interface VmaView {
  startPage: number;
  endPage: number;
  /** four characters: r/-, w/-, x/-, p/s */
  perms: string;
  /** bytes into the file */
  offset: number;
  major: number;
  minor: number;
  inode: number;
  /** a path, a bracketed name ([heap], [stack], [vdso], [vvar], [vsyscall]), or '' for anonymous */
  name: string;
  /** kB resident, of which anonymous; kB swapped out */
  rssKb: number;
  anonKb: number;
  swapKb: number;
  /** resident kB other processes map too (a fork's copy-on-write pages, shared libraries) */
  sharedKb: number;
  /** proportional set size in kB, rounded as smaps prints it */
  pssKb: number;
  dirtyKb: number;
  /** smaps VmFlags, e.g. 'rd ex mr mw me dw' */
  flags: string;
}

const hex = (page: number): string => (page === 0 ? '0' : `${page.toString(16)}000`);

export function vmaAddress(page: number, width = 8): string {
  return hex(page).padStart(width, '0');
}

/** "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu ", padded to 72 columns before the name */
function mapsLine(v: VmaView): string {
  const head =
    `${vmaAddress(v.startPage)}-${vmaAddress(v.endPage)} ${v.perms} ${v.offset.toString(16).padStart(8, '0')} ` +
    `${v.major.toString(16).padStart(2, '0')}:${v.minor.toString(16).padStart(2, '0')} ${v.inode} `;
  if (!v.name) return `${head}\n`;
  return `${head.padEnd(72)} ${v.name}\n`;
}

export function formatProcMaps(vmas: readonly VmaView[]): string {
  return vmas.map(mapsLine).join('');
}

const kb = (key: string, value: number): string => `${`${key}:`.padEnd(16)}${String(value).padStart(8)} kB\n`;

export function vmaSizeKb(v: VmaView): number {
  return (v.endPage - v.startPage) * 4;
}

/** show_smap() of 3.16: the maps line, then its counters */
export function formatProcSmaps(vmas: readonly VmaView[]): string {
  let out = '';
  for (const v of vmas) {
    const sharedDirty = Math.min(v.sharedKb, v.dirtyKb);
    const sharedClean = v.sharedKb - sharedDirty;
    const privateDirty = v.dirtyKb - sharedDirty;
    const privateClean = v.rssKb - v.sharedKb - privateDirty;
    out += mapsLine(v);
    out += kb('Size', vmaSizeKb(v));
    out += kb('Rss', v.rssKb);
    out += kb('Pss', v.pssKb);
    out += kb('Shared_Clean', sharedClean);
    out += kb('Shared_Dirty', sharedDirty);
    out += kb('Private_Clean', privateClean);
    out += kb('Private_Dirty', privateDirty);
    out += kb('Referenced', v.rssKb);
    out += kb('Anonymous', v.anonKb);
    out += kb('AnonHugePages', 0);
    out += kb('Swap', v.swapKb);
    out += kb('KernelPageSize', 4);
    out += kb('MMUPageSize', 4);
    out += kb('Locked', 0);
    out += `VmFlags: ${v.flags} \n`;
  }
  return out;
}
