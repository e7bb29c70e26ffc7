import type { ChapterProgress } from '../../chapter';
import { formatClock } from '../../clock';
import { groupThousands } from '../../formats/printf';
import type { Json } from '../../types';
import { memSnapshot, meminfoFrom } from '../../kernel/memory';
import type { Ch1World } from './sim/world';

/**
 * Clues are recognised in what the player actually saw: the text a spell printed, after any grep
 * or head they piped it through. A clue filtered out of view was not seen. Numbers in journal
 * entries are read from the machine at that moment.
 */

interface Seen {
  argvs: string[][];
  shown: string;
}

const ran = (s: Seen, ...names: string[]) =>
  s.argvs.some((a) => names.includes(a[0] === 'sudo' ? (a[1] ?? '') : a[0]!) || names.includes(a[0]!));

function kb(w: Ch1World): { total: number; sunreclaim: number; slab: number } {
  const m = meminfoFrom(w.k, memSnapshot(w.k, w.now), w.now);
  return { total: m.MemTotal, sunreclaim: m.SUnreclaim, slab: m.Slab };
}

// grouped by hand: the first toLocaleString of a process loads ICU's locale data (about 20 ms)
export const mb = (kbs: number): string => `${groupThousands(String(Math.round(kbs / 1024)))} MB`;

function notesOf(progress: ChapterProgress): Record<string, Json> {
  return progress.notes;
}

function numberNote(progress: ChapterProgress, key: string): number {
  const v = notesOf(progress)[key];
  return typeof v === 'number' ? v : 0;
}

function listNote(progress: ChapterProgress, key: string): number[] {
  const v = notesOf(progress)[key];
  return Array.isArray(v) ? (v.filter((x) => typeof x === 'number') as number[]) : [];
}

/** Manual reloads the player has caused (nsd-control reload, kill -HUP), counted by the spells. */
export function noteManualReloads(progress: ChapterProgress, w: Ch1World, n: number): void {
  if (numberNote(progress, 'manualReloads') === 0) progress.notes.slabBeforeReloads = kb(w).sunreclaim;
  progress.notes.manualReloads = numberNote(progress, 'manualReloads') + n;
}

/** SUnreclaim just before the player restarted NSD or rebooted, to recognise the drop afterwards. */
export function noteBeforeRestart(progress: ChapterProgress, w: Ch1World): void {
  progress.notes.sunreclaimBeforeRestart = kb(w).sunreclaim;
}

export function detectClues(w: Ch1World, progress: ChapterProgress, argvs: string[][], shown: string): string[] {
  const s: Seen = { argvs, shown };
  const found: string[] = [];
  const have = (id: string) => progress.clues.includes(id) || found.includes(id);
  const add = (id: string, cond: boolean) => {
    if (cond && !have(id)) found.push(id);
  };
  const mem = kb(w);

  add('dns_failing', ran(s, 'dig', 'host', 'nslookup') && /no servers could be reached|connection timed out/.test(shown));
  const victims = [...shown.matchAll(/Killed process \d+ \(([^)]+)\)/g)].map((m) => m[1]!);
  if (victims.length > 0) {
    const known = Array.isArray(progress.notes.oomVictims) ? (progress.notes.oomVictims as string[]) : [];
    progress.notes.oomVictims = [...new Set([...known, ...victims])].slice(0, 8);
  }
  add('oom_in_logs', /invoked oom-killer|Out of memory: Kill process|Killed process \d+ \(/.test(shown));

  const sunre = /^SUnreclaim:\s+(\d+) kB/m.exec(shown);
  const slabLine = /^Slab:\s+(\d+) kB/m.exec(shown);
  add('slab_huge', (sunre !== null && Number(sunre[1]) > mem.total * 0.25) || (slabLine !== null && Number(slabLine[1]) > mem.total * 0.3));

  // "used" that no process owns: free's view and the processes' RSS, both seen
  if (ran(s, 'free', 'top') && /buff\/cache|KiB Mem/.test(shown)) progress.notes.sawFree = true;
  if (ran(s, 'ps', 'top') && /\bRSS\b|\bRES\b/.test(shown)) progress.notes.sawRss = true;
  add('memory_used_not_by_processes', progress.notes.sawFree === true && progress.notes.sawRss === true && mem.sunreclaim > mem.total * 0.25);

  add('anon_vma_top', ran(s, 'slabtop', 'cat', 'grep', 'sort', 'head', 'less', 'more', 'tail', 'awk') && /^\s*\d+\s+\d+\s+\d+%\s+[\d.]+K.*\banon_vma(_chain)?\s*$|^anon_vma(_chain)?\s+\d+\s+\d+/m.test(shown) && mem.sunreclaim > mem.total * 0.2);

  const main = w.nsd.running?.mainPid ?? 0;
  if (main > 0 && new RegExp(`(^|\\D)${main}(\\D|$)`).test(shown) && /\bnsd\b/.test(shown + argvs.flat().join(' '))) {
    const pids = listNote(progress, 'mainPids');
    if (!pids.includes(main)) progress.notes.mainPids = [...pids, main].slice(-5);
  }
  add('nsd_pid_changes', listNote(progress, 'mainPids').length >= 2);

  add('reloads_in_logs', /SIGHUP received|xfrd: zone|reload/i.test(shown) && argvs.some((a) => a.some((x) => /syslog|kern\.log|\/var\/log/.test(x))));

  if (ran(s, 'uname') && shown.includes(w.k.release)) progress.notes.sawKernel = true;
  if (ran(s, 'nsd', 'nsd-control', 'dpkg', 'apt-cache', 'apt') && /NSD version|version: \d|nsd\s+\d\.\d/.test(shown)) progress.notes.sawNsd = true;
  add('versions_known', progress.notes.sawKernel === true && progress.notes.sawNsd === true);

  const slabView = /anon_vma|SUnreclaim|Slab:/.test(shown);
  add('growth_reproduced', slabView && numberNote(progress, 'manualReloads') >= 50 && mem.sunreclaim > numberNote(progress, 'slabBeforeReloads'));
  const before = numberNote(progress, 'sunreclaimBeforeRestart');
  add('restart_releases', slabView && before > 0 && mem.sunreclaim < before * 0.5);
  return found;
}

export function journalEntry(w: Ch1World, progress: ChapterProgress, clue: string): string {
  const mem = kb(w);
  const at = formatClock(w.now);
  switch (clue) {
    case 'dns_failing':
      return `${at}: a query to the local name server got no answer at all. NSD was not listening at that moment.`;
    case 'oom_in_logs': {
      const victims = Array.isArray(progress.notes.oomVictims) ? (progress.notes.oomVictims as string[]) : [];
      const who = victims.length > 0 ? `; the victims you saw: ${victims.join(', ')}` : '';
      return `The kernel log shows the OOM killer at work (${w.stats.oomKillCount} kills since boot${who}).`;
    }
    case 'memory_used_not_by_processes':
      return `free says most memory is used, yet the processes' RSS adds up to a small part of it. Something that is not a process holds the rest.`;
    case 'slab_huge':
      return `Slab is ${mb(mem.slab)} of ${mb(mem.total)}; ${mb(mem.sunreclaim)} of it is SUnreclaim, kernel memory that cannot be reclaimed.`;
    case 'anon_vma_top':
      return `The biggest slab caches are anon_vma_chain and anon_vma: the kernel's reverse-mapping records for anonymous memory shared across fork().`;
    case 'nsd_pid_changes': {
      const pids = listNote(progress, 'mainPids');
      return `NSD's main process keeps changing PID (${pids.join(' → ')}): every reload forks a child that takes over.`;
    }
    case 'reloads_in_logs':
      return `The logs are full of zone transfers, and every transfer makes NSD reload.`;
    case 'versions_known':
      return `Kernel ${w.k.release}, NSD ${w.nsd.running?.version ?? w.nsd.installed}.`;
    case 'growth_reproduced':
      return `${numberNote(progress, 'manualReloads')} reloads by hand took SUnreclaim from ${mb(numberNote(progress, 'slabBeforeReloads'))} to ${mb(mem.sunreclaim)}: reloads make it grow.`;
    case 'restart_releases':
      return `A full restart dropped SUnreclaim from ${mb(numberNote(progress, 'sunreclaimBeforeRestart'))} to ${mb(mem.sunreclaim)}: the memory belongs to NSD's chain of processes.`;
    default:
      return clue;
  }
}
