/**
 * The address space behind /proc/PID/maps, smaps and pmap. The kernel simulation keeps a
 * process's memory as totals (Mm: its size, resident anonymous and file pages, how many VMAs);
 * this lays those totals out as the VMAs an x86_64 trusty process has: the program, its shared
 * libraries, heap, anonymous arenas, stack, vvar/vdso and the vsyscall page. The sizes always add
 * up to the totals, so pmap's total is ps's VSZ (plus the vsyscall page, which is not a VMA) and
 * the resident column adds up to RSS.
 */
import type { VmaView } from '../formats/maps';
import { rssPages } from '../kernel/oom';
import { memSnapshot, swapFraction } from '../kernel/memory';
import type { Proc } from '../kernel/types';
import type { MachineWorld } from './world';

/** /proc/PID/maps and smaps need ptrace access (PTRACE_MODE_READ): root, or the process's own user */
export function mayReadMaps(user: string, owner: string): boolean {
  return user === 'root' || user === owner;
}

/** the smallest text a program's mapping has: the program file itself (its text, relro and data) is this big */
const EXE_TEXT_KB = 900;
/** a program file's size in bytes: its text, relro and data pages */
export const EXE_FILE_BYTES = (EXE_TEXT_KB + 8 + 36) * 1024;

/** a library as ld.so maps it: text, the 2 MiB alignment hole, relro, data (KiB each) */
interface Lib {
  path: string;
  text: number;
  ro: number;
  data: number;
  /** anonymous .bss right after the data, 0 when none */
  bss: number;
}

const L = '/lib/x86_64-linux-gnu';
const LIBS: Record<string, Lib> = {
  c: { path: `${L}/libc-2.19.so`, text: 1_772, ro: 16, data: 8, bss: 20 },
  dl: { path: `${L}/libdl-2.19.so`, text: 12, ro: 4, data: 4, bss: 0 },
  pthread: { path: `${L}/libpthread-2.19.so`, text: 100, ro: 4, data: 4, bss: 16 },
  rt: { path: `${L}/librt-2.19.so`, text: 28, ro: 4, data: 4, bss: 0 },
  tinfo: { path: `${L}/libtinfo.so.5.9`, text: 148, ro: 16, data: 4, bss: 0 },
  nssFiles: { path: `${L}/libnss_files-2.19.so`, text: 44, ro: 4, data: 4, bss: 0 },
  z: { path: `${L}/libz.so.1.2.8`, text: 100, ro: 4, data: 4, bss: 0 },
  crypto: { path: `${L}/libcrypto.so.1.0.0`, text: 1_932, ro: 112, data: 40, bss: 16 },
  ssl: { path: `${L}/libssl.so.1.0.0`, text: 376, ro: 16, data: 36, bss: 0 },
  selinux: { path: `${L}/libselinux.so.1`, text: 136, ro: 4, data: 4, bss: 8 },
  pcre: { path: `${L}/libpcre.so.3.13.1`, text: 452, ro: 4, data: 4, bss: 0 },
  nih: { path: `${L}/libnih.so.1.0.0`, text: 88, ro: 4, data: 4, bss: 0 },
  dbus: { path: `${L}/libdbus-1.so.3.7.6`, text: 264, ro: 4, data: 4, bss: 0 },
  event: { path: '/usr/lib/x86_64-linux-gnu/libevent-2.0.so.5.1.9', text: 256, ro: 4, data: 4, bss: 0 },
};
const HOLE_KB = 2_044;
const LD: Lib = { path: `${L}/ld-2.19.so`, text: 140, ro: 4, data: 4, bss: 4 };

/** where the base system's programs live and what they link (trusty's binaries, ldd order) */
const PROGRAMS: Record<string, { exe: string; libs: string[] }> = {
  init: { exe: '/sbin/init', libs: ['nih', 'dbus', 'selinux', 'rt', 'pthread', 'pcre', 'dl', 'c'] },
  bash: { exe: '/bin/bash', libs: ['tinfo', 'dl', 'c', 'nssFiles'] },
  sshd: { exe: '/usr/sbin/sshd', libs: ['crypto', 'z', 'selinux', 'pcre', 'dl', 'pthread', 'c', 'nssFiles'] },
  cron: { exe: '/usr/sbin/cron', libs: ['selinux', 'pcre', 'dl', 'pthread', 'c', 'nssFiles'] },
  rsyslogd: { exe: '/usr/sbin/rsyslogd', libs: ['z', 'dl', 'rt', 'pthread', 'c'] },
  getty: { exe: '/sbin/getty', libs: ['c'] },
  atd: { exe: '/usr/sbin/atd', libs: ['selinux', 'pcre', 'dl', 'pthread', 'c'] },
  sh: { exe: '/bin/dash', libs: ['c'] },
};

/** the file a process runs: its first argument when that is a path, else the base system's place for it */
export function exePath(p: Pick<Proc, 'comm' | 'args'>): string {
  const first = p.args.split(' ')[0] ?? '';
  if (first.startsWith('/')) return first;
  const known = PROGRAMS[p.comm];
  if (known) return known.exe;
  const bare = first.replace(/^-/, '').replace(/:$/, '');
  return `/usr/bin/${bare || p.comm}`;
}

function libsOf(p: Proc): Lib[] {
  const names = PROGRAMS[p.comm]?.libs ?? ['dl', 'pthread', 'c'];
  return names.map((n) => LIBS[n]!);
}

/** a small stable number from a string: where ASLR put this process's regions */
function spread(seed: string, mod: number): number {
  let h = 2_166_136_261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16_777_619) >>> 0;
  return h % mod;
}

export const inodeOf = (path: string): number => 130_000 + spread(path, 400_000);

/** xvda1 is block device 202:1 */
const ROOT_DEV = { major: 0xca, minor: 1 };

interface Region {
  kb: number;
  perms: string;
  name: string;
  file: boolean;
  offsetKb: number;
  /** may hold anonymous pages (private writable) */
  anon: boolean;
  flags: string;
}

const fileRegion = (path: string, kb: number, perms: string, offsetKb: number, flags: string): Region => ({
  kb,
  perms,
  name: path,
  file: true,
  offsetKb,
  anon: perms[1] === 'w',
  flags,
});
const anonRegion = (kb: number, name = '', flags = 'rd wr mr mw me ac'): Region => ({ kb, perms: 'rw-p', name, file: false, offsetKb: 0, anon: true, flags });

function libRegions(lib: Lib, hole: boolean): Region[] {
  const out = [fileRegion(lib.path, lib.text, 'r-xp', 0, 'rd ex mr mw me')];
  if (hole) out.push(fileRegion(lib.path, HOLE_KB, '---p', lib.text, 'mr mw me'));
  out.push(fileRegion(lib.path, lib.ro, 'r--p', lib.text, 'rd mr mw me ac'));
  out.push(fileRegion(lib.path, lib.data, 'rw-p', lib.text + lib.ro, 'rd wr mr mw me ac'));
  if (lib.bss > 0) out.push(anonRegion(lib.bss));
  return out;
}

/** split kb into n page-aligned parts, the first ones the larger */
function split(kb: number, n: number): number[] {
  const pages = Math.floor(kb / 4);
  const parts = Math.max(1, Math.min(n, pages));
  const base = Math.floor(pages / parts);
  const extra = pages - base * parts;
  return Array.from({ length: parts }, (_, i) => (base + (i < extra ? 1 : 0)) * 4);
}

/** The VMAs of a live process, in address order; [] for a kernel thread or an unknown pid. */
export function mappingsOf(w: MachineWorld, p: Proc): VmaView[] {
  const mm = p.mm;
  if (!mm || p.kthread) return [];
  const exe = exePath(p);
  const vsz = Math.floor(mm.vszKb / 4) * 4;
  const fixedTail: Region[] = [anonRegion(132, '[stack]', 'rd wr mr mw me gd ac'), { ...anonRegion(8, '[vvar]', 'rd mr pf io de dd'), perms: 'r--p', anon: false }, { ...anonRegion(8, '[vdso]', 'rd ex mr mw me de'), perms: 'r-xp', anon: false }];
  const r = rssPages(p, swapFraction(memSnapshot(w.k, w.now)));
  const anonKb = r.anon * 4;
  const swapKb = r.swap * 4;
  const fileKb = r.file * 4;
  let libs = libsOf(p);
  const sum = (rs: Region[]): number => rs.reduce((a, x) => a + x.kb, 0);
  const fileCap = (rs: Region[]): number => rs.reduce((a, x) => a + (x.file && x.perms !== '---p' ? x.kb : 0), 0);
  const libBlock = (ls: Lib[]): Region[] => [...ls.flatMap((l) => libRegions(l, true)), ...libRegions(LD, false)];
  // the program's text holds whatever resident file pages the libraries do not
  const exeHead = (ls: Lib[]): Region[] => {
    const text = Math.max(EXE_TEXT_KB, Math.ceil((fileKb - fileCap(libBlock(ls)) - 44) / 4) * 4);
    return [fileRegion(exe, text, 'r-xp', 0, 'rd ex mr mw me dw'), fileRegion(exe, 8, 'r--p', text, 'rd mr mw me dw ac'), fileRegion(exe, 36, 'rw-p', text + 8, 'rd wr mr mw me dw ac')];
  };
  const fits = (ls: Lib[]): boolean => sum(exeHead(ls)) + sum(libBlock(ls)) + sum(fixedTail) + anonKb + swapKb <= vsz;
  // a process smaller than its libraries (never on a real box) keeps those that fit
  while (libs.length > 0 && !fits(libs)) libs = libs.slice(1);
  const whole = fits(libs);
  const fixedHead = whole ? exeHead(libs) : [];
  const lib = whole ? libBlock(libs) : [];
  const tail = whole ? fixedTail : [];
  const rest = vsz - sum(fixedHead) - sum(lib) - sum(tail);
  // the heap takes the resident anonymous memory first; what remains are mmap'd arenas
  const fixedCount = fixedHead.length + lib.length + tail.length;
  const wanted = Math.max(1, mm.vmas - fixedCount);
  const heapKb = Math.min(rest, Math.max(132, anonKb + swapKb));
  const arenas = rest - heapKb > 0 ? split(rest - heapKb, wanted - 1) : [];
  const heap = heapKb > 0 ? [anonRegion(heapKb, '[heap]')] : [];
  const regions: Region[] = [...fixedHead, ...heap, ...arenas.map((kb) => anonRegion(kb)), ...lib, ...tail];

  // resident pages: file pages over the file mappings, anonymous over the private writable ones
  let fileLeft = fileKb;
  let anonLeft = anonKb;
  let swapLeft = swapKb;
  const family = w.k.av.fams[String(mm.fam)];
  const sharers = Math.max(1, family?.members ?? 1);
  const sharedFrac = mm.shareKb + mm.privKb > 0 && sharers > 1 ? mm.shareKb / (mm.shareKb + mm.privKb) : 0;
  const vmas: VmaView[] = [];
  // addresses: the program at 0x400000 and its data past a 2 MiB gap, the heap after it, arenas
  // and libraries below mmap_base, the stack near the top with vvar and vdso above it
  const textPages = (fixedHead[0]?.kb ?? 0) / 4;
  let lowCursor = 0x400;
  const heapBase = 0x400 + textPages + 0x200 + 16 + spread(`heap:${p.pid}`, 0x1ff00);
  const mmapTop = 0x7f0000000 + spread(`${p.pid}:${exe}`, 0xfffff) * 0x10;
  let mmapCursor = mmapTop - (sum(lib) + arenas.reduce((a, kb) => a + kb, 0)) / 4;
  const stackTop = 0x7fff00000 + spread(`stack:${p.pid}`, 0xff000);
  for (const reg of regions) {
    const pages = reg.kb / 4;
    let start: number;
    if (reg.name === '[stack]') start = stackTop - pages;
    else if (reg.name === '[vvar]') start = stackTop + 0x100 + spread(`vdso:${p.pid}`, 0x3f);
    else if (reg.name === '[vdso]') start = vmas[vmas.length - 1]!.endPage;
    else if (reg.name === '[heap]') start = heapBase;
    else if (reg.file && reg.name === exe && fixedHead.includes(reg)) {
      start = lowCursor;
      lowCursor += reg.perms === 'r-xp' ? pages + 0x1ff : pages;
    } else {
      start = mmapCursor;
      mmapCursor += pages;
    }
    let rss = 0;
    let anon = 0;
    let swap = 0;
    if (reg.file && reg.perms !== '---p') {
      rss = Math.min(reg.kb, fileLeft);
      fileLeft -= rss;
    }
    if (reg.anon && !reg.file) {
      anon = Math.min(reg.kb, anonLeft);
      anonLeft -= anon;
      swap = Math.min(reg.kb - anon, swapLeft);
      swapLeft -= swap;
      rss += anon;
    }
    const sharedAnon = Math.floor((anon * sharedFrac) / 4) * 4;
    const sharedFile = reg.file && reg.name.includes('/lib') ? rss : 0;
    const shared = sharedAnon + sharedFile;
    const pss = rss - shared + (sharedAnon > 0 ? sharedAnon / sharers : 0) + (sharedFile > 0 ? sharedFile / 4 : 0);
    vmas.push({
      startPage: start,
      endPage: start + pages,
      perms: reg.perms,
      offset: reg.offsetKb * 1024,
      major: reg.file ? ROOT_DEV.major : 0,
      minor: reg.file ? ROOT_DEV.minor : 0,
      inode: reg.file ? inodeOf(reg.name) : 0,
      name: reg.name,
      rssKb: rss,
      anonKb: anon,
      swapKb: swap,
      sharedKb: shared,
      pssKb: Math.floor(pss),
      dirtyKb: anon,
      flags: reg.flags,
    });
  }
  // what did not fit its mappings (more resident than mapped, which a real kernel never shows) is dropped
  return vmas.sort((a, b) => a.startPage - b.startPage);
}

/** the vsyscall page every x86_64 process sees in maps: a fixed kernel page, not a VMA */
export const VSYSCALL: VmaView = {
  startPage: 0xffffffffff600,
  endPage: 0xffffffffff601,
  perms: 'r-xp',
  offset: 0,
  major: 0,
  minor: 0,
  inode: 0,
  name: '[vsyscall]',
  rssKb: 0,
  anonKb: 0,
  swapKb: 0,
  sharedKb: 0,
  pssKb: 0,
  dirtyKb: 0,
  flags: 'rd ex',
};
