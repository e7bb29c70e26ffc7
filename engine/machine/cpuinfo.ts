/**
 * The virtual CPUs a 2015 EC2 HVM instance of this size got: Intel Xeon E5-2676 v3 (Haswell,
 * the T2 family's host CPU), one virtual core per vCPU, seen through Xen. The flags are what a
 * 3.16 kernel prints for that CPU under Xen HVM, in its feature-word order (xsaveopt still in
 * word 7, so before fsgsbase). The TSC is calibrated once per boot from Xen's clock, a few kHz off
 * 2.4 GHz; loops_per_jiffy, and so bogomips, follow from it at HZ=250.
 */
import { bogomips, type CpuinfoView } from '../formats/cpuinfo';
import type { MachineWorld } from './world';

const HZ = 250;

const FLAGS = (
  'fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx rdtscp lm ' +
  'constant_tsc rep_good nopl xtopology eagerfpu pni pclmulqdq ssse3 fma cx16 pcid sse4_1 sse4_2 x2apic movbe popcnt ' +
  'tsc_deadline_timer aes xsave avx f16c rdrand hypervisor lahf_lm abm xsaveopt fsgsbase bmi1 avx2 smep bmi2 erms invpcid'
).split(' ');

/** the TSC frequency this boot measured, in kHz: a function of the boot, so every reader agrees */
export function tscKhz(w: MachineWorld): number {
  const s = Math.floor(w.k.bootTime / 1000);
  return 2_399_950 + ((s * 7919) % 271);
}

export function cpuinfoView(w: MachineWorld): CpuinfoView[] {
  const n = Math.max(1, w.k.cpus);
  const khz = tscKhz(w);
  const lpj = Math.floor((khz * 1000) / HZ);
  return Array.from({ length: n }, (_, i) => ({
    processor: i,
    vendorId: 'GenuineIntel',
    family: 6,
    model: 63,
    modelName: 'Intel(R) Xeon(R) CPU E5-2676 v3 @ 2.40GHz',
    stepping: 2,
    // Xen 4.2 reports no microcode revision to its HVM guests
    microcode: 0,
    khz,
    cacheSizeKb: 30_720,
    physicalId: 0,
    siblings: n,
    coreId: i,
    cpuCores: n,
    // Xen numbers a guest's local APICs two apart
    apicid: 2 * i,
    initialApicid: 2 * i,
    cpuidLevel: 13,
    flags: FLAGS,
    loopsPerJiffy: lpj,
    hz: HZ,
    clflushSize: 64,
    cacheAlignment: 64,
    physBits: 46,
    virtBits: 48,
  }));
}

/** smp_cpus_done()'s total: every online CPU's loops_per_jiffy added up, printed like one CPU's */
export function totalBogomips(w: MachineWorld): string {
  const lpj = Math.floor((tscKhz(w) * 1000) / HZ);
  return bogomips(lpj * Math.max(1, w.k.cpus), HZ);
}
