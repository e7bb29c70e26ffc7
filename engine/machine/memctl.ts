/**
 * The memory knobs a player may try: sysctl (drop_caches and friends), swap files, and a bigger
 * VM. None of them touches unreclaimable slab; some buy time.
 */
import { memCommit, memSnapshot } from '../kernel/memory';
import { sysctlRead, sysctlWrite } from '../kernel/sysctl';
import { knobsOf } from './knobs';
import { withStep } from './act';
import { file } from './files';
import { scenarioOf } from './scenario';
import { filesystems, mountOf, roomKb } from './disk';
import type { MachineWorld } from './world';

type MemErrno = 'EACCES' | 'ENOENT' | 'EINVAL' | 'ENOSPC' | 'EBUSY' | 'ENOMEM';

/** sysctl key or sysctl -w key=value */
export function sysctl(w: MachineWorld, key: string, value: string | null, user: string) {
  const knobs = knobsOf(w);
  if (value === null) return sysctlRead(w.k, knobs, key);
  return withStep(w, (ctx) => {
    const r = sysctlWrite(w.k, knobs, key, value, user, ctx.t);
    if (r.ok && r.key === 'vm.drop_caches') memCommit(w.k, ctx.t);
    return r;
  });
}

/** echo N > /proc/sys/vm/drop_caches */
export function dropCaches(w: MachineWorld, mode: 1 | 2 | 3, user: string) {
  return sysctl(w, 'vm.drop_caches', String(mode), user);
}

function swapDev(w: MachineWorld, path: string) {
  return w.k.mem.swaps.find((d) => d.path === path);
}

/** fallocate -l / dd of=: a file of sizeKb that can become swap */
export function swapCreate(w: MachineWorld, path: string, sizeKb: number, user: string): { ok: true } | { ok: false; errno: MemErrno } {
  if (!path.startsWith('/') || !Number.isInteger(sizeKb) || sizeKb <= 0) return { ok: false, errno: 'EINVAL' };
  const home = user === 'root' ? '/' : `/home/${user}/`;
  if (!path.startsWith(home) && !path.startsWith('/tmp/')) return { ok: false, errno: 'EACCES' };
  const existing = swapDev(w, path);
  if (existing?.active) return { ok: false, errno: 'EBUSY' };
  const freed = existing ? existing.sizeKb : 0;
  // the file's blocks come from its filesystem's free space, as disk.ts counts it
  const fs = filesystems(w).find((f) => f.target === mountOf(path))!;
  if (sizeKb - freed > roomKb(fs, user)) return { ok: false, errno: 'ENOSPC' };
  w.files.files[path] = file('', w.now, 0o644, user, user);
  if (existing) {
    existing.sizeKb = sizeKb;
    existing.formatted = false;
  } else w.k.mem.swaps.push({ path, sizeKb, formatted: false, active: false, priority: -1 - w.k.mem.swaps.length });
  return { ok: true };
}

/** mkswap FILE: returns the usable size and the UUID it prints */
export function mkswap(w: MachineWorld, path: string, user: string): { ok: true; sizeKb: number; uuid: string } | { ok: false; errno: MemErrno } {
  const d = swapDev(w, path);
  if (!w.files.files[path] || !d) return { ok: false, errno: 'ENOENT' };
  if (user !== 'root' && w.files.files[path]!.owner !== user) return { ok: false, errno: 'EACCES' };
  if (d.active) return { ok: false, errno: 'EBUSY' };
  if (d.sizeKb < 40) return { ok: false, errno: 'EINVAL' };
  d.formatted = true;
  let h = 0x811c9dc5;
  for (const c of `${path}:${w.now}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  const hex = (n: number, len: number): string => (n >>> 0).toString(16).padStart(8, '0').slice(0, len);
  const uuid = `${hex(h, 8)}-${hex(h >>> 3, 4)}-4${hex(h >>> 7, 3)}-a${hex(h >>> 11, 3)}-${hex(h * 7, 8)}${hex(h >>> 5, 4)}`;
  return { ok: true, sizeKb: d.sizeKb - 4, uuid };
}

/** swapon FILE: warns about loose permissions like util-linux does */
export function swapon(w: MachineWorld, path: string, user: string): { ok: true; warning?: string } | { ok: false; errno: MemErrno } {
  if (user !== 'root') return { ok: false, errno: 'EACCES' };
  const d = swapDev(w, path);
  if (!w.files.files[path] || !d) return { ok: false, errno: 'ENOENT' };
  if (d.active) return { ok: false, errno: 'EBUSY' };
  if (!d.formatted) return { ok: false, errno: 'EINVAL' };
  d.active = true;
  scenarioOf(w).invalidate(w);
  const mode = w.files.files[path]!.mode & 0o777;
  return mode & 0o077 ? { ok: true, warning: `swapon: ${path}: insecure permissions ${mode.toString(8).padStart(4, '0')}, 0600 suggested.` } : { ok: true };
}

/** swapoff FILE: the swapped-out pages must fit back in RAM */
export function swapoff(w: MachineWorld, path: string, user: string): { ok: true } | { ok: false; errno: MemErrno } {
  if (user !== 'root') return { ok: false, errno: 'EACCES' };
  const d = swapDev(w, path);
  if (!d || !d.active) return { ok: false, errno: 'EINVAL' };
  d.active = false;
  const snap = memSnapshot(w.k, w.now);
  if (snap.headroomKb < 0) {
    d.active = true;
    return { ok: false, errno: 'ENOMEM' };
  }
  if (!w.k.mem.swaps.some((s) => s.active)) w.k.mem.swapHeldKb = 0;
  scenarioOf(w).invalidate(w);
  return { ok: true };
}

/** /proc/swaps */
export function swapsView(w: MachineWorld): Array<{ filename: string; type: string; sizeKb: number; usedKb: number; priority: number }> {
  const snap = memSnapshot(w.k, w.now);
  const active = w.k.mem.swaps.filter((d) => d.active);
  const total = active.reduce((a, d) => a + d.sizeKb, 0);
  return active.map((d) => ({
    filename: d.path,
    type: 'file',
    sizeKb: d.sizeKb - 4,
    usedKb: total > 0 ? Math.round((snap.swappedKb * d.sizeKb) / total) : 0,
    priority: d.priority,
  }));
}

/** Resizing the VM in the cloud console: the new RAM is there after the next power cycle. */
export function setPhysicalMemory(w: MachineWorld, ramKb: number): { ok: true; effectiveAfterReboot: true } | { ok: false; errno: 'EINVAL' } {
  if (!Number.isInteger(ramKb) || ramKb < 512 * 1024 || ramKb > 64 * 1024 * 1024) return { ok: false, errno: 'EINVAL' };
  const pages = Math.floor(ramKb / 4) - 131;
  w.machine.nextTotalRamPages = pages;
  // the kernel keeps its image, the memmap and the crash area for itself
  w.machine.nextMemTotalKb = pages * 4 - Math.round(ramKb * 0.0352);
  return { ok: true, effectiveAfterReboot: true };
}
