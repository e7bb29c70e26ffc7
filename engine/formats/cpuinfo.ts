/**
 * /proc/cpuinfo as arch/x86/kernel/cpu/proc.c's show_cpuinfo() prints it on a 3.16 x86_64 SMP
 * kernel: one block per online CPU, each ending in a blank line. 3.16 has no "bugs" line yet; the
 * microcode line appears only when the CPU reported a revision, and "TLB size" only on AMD.
 */

export interface CpuinfoView {
  processor: number;
  vendorId: string;
  family: number;
  model: number;
  modelName: string;
  stepping: number;
  /** absent (0) when the hypervisor reports no microcode revision */
  microcode: number;
  /** cpu_khz */
  khz: number;
  cacheSizeKb: number;
  physicalId: number;
  siblings: number;
  coreId: number;
  cpuCores: number;
  apicid: number;
  initialApicid: number;
  cpuidLevel: number;
  flags: readonly string[];
  /** loops_per_jiffy at HZ */
  loopsPerJiffy: number;
  hz: number;
  clflushSize: number;
  cacheAlignment: number;
  physBits: number;
  virtBits: number;
}

/** bogomips as show_cpuinfo() and smpboot's total print it: "%lu.%02lu" from loops_per_jiffy */
export function bogomips(loopsPerJiffy: number, hz: number): string {
  const whole = Math.floor(loopsPerJiffy / (500_000 / hz));
  const frac = Math.floor(loopsPerJiffy / (5_000 / hz)) % 100;
  return `${whole}.${String(frac).padStart(2, '0')}`;
}

function block(c: CpuinfoView): string {
  return (
    `processor\t: ${c.processor}\n` +
    `vendor_id\t: ${c.vendorId}\n` +
    `cpu family\t: ${c.family}\n` +
    `model\t\t: ${c.model}\n` +
    `model name\t: ${c.modelName}\n` +
    `stepping\t: ${c.stepping}\n` +
    (c.microcode ? `microcode\t: 0x${c.microcode.toString(16)}\n` : '') +
    `cpu MHz\t\t: ${Math.floor(c.khz / 1000)}.${String(c.khz % 1000).padStart(3, '0')}\n` +
    `cache size\t: ${c.cacheSizeKb} KB\n` +
    `physical id\t: ${c.physicalId}\n` +
    `siblings\t: ${c.siblings}\n` +
    `core id\t\t: ${c.coreId}\n` +
    `cpu cores\t: ${c.cpuCores}\n` +
    `apicid\t\t: ${c.apicid}\n` +
    `initial apicid\t: ${c.initialApicid}\n` +
    'fpu\t\t: yes\n' +
    'fpu_exception\t: yes\n' +
    `cpuid level\t: ${c.cpuidLevel}\n` +
    'wp\t\t: yes\n' +
    `flags\t\t:${c.flags.map((f) => ` ${f}`).join('')}\n` +
    `bogomips\t: ${bogomips(c.loopsPerJiffy, c.hz)}\n` +
    `clflush size\t: ${c.clflushSize}\n` +
    `cache_alignment\t: ${c.cacheAlignment}\n` +
    `address sizes\t: ${c.physBits} bits physical, ${c.virtBits} bits virtual\n` +
    'power management:\n\n'
  );
}

export function formatCpuinfo(cpus: readonly CpuinfoView[]): string {
  return cpus.map(block).join('');
}
