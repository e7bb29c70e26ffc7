/**
 * The block layer as a kernel subsystem a scenario builds its kernel with: its state under
 * KernelState.subsys.block and the vm.dirty_* knobs the write-back obeys. Shaped like the
 * machine's KernelSubsystem (engine/machine/scenario.ts), which the kernel layer may not import.
 */
import type { Json } from '../../types';
import type { KernelState } from '../types';
import type { Knob, KnobTable } from '../sysctl';
import type { BlockState, BlockSysctl } from './types';

export const BLOCK_SUBSYSTEM_NAME = 'block';

/** the block layer inside a kernel's state; undefined when the kernel was built without it */
export function blockStateOf(k: KernelState): BlockState | undefined {
  return k.subsys?.[BLOCK_SUBSYSTEM_NAME] as unknown as BlockState | undefined;
}

/** the block layer of a kernel that must have one */
export function blockOf(k: KernelState): BlockState {
  const b = blockStateOf(k);
  if (!b) throw new Error('this kernel has no block subsystem');
  return b;
}

/** mm/page-writeback.c's defaults (dirty_writeback_interval 5 * 100, dirty_expire_interval 30 * 100) */
export const DEFAULT_BLOCK_SYSCTL: BlockSysctl = {
  dirtyExpireCentisecs: 3000,
  dirtyWritebackCentisecs: 500,
  dirtyBackgroundRatio: 10,
  dirtyRatio: 20,
  dirtyBackgroundBytes: 0,
  dirtyBytes: 0,
};

const INT_MAX = 2 ** 31 - 1;

const knob = (key: keyof BlockSysctl, min: number, max: number, onSet?: (b: BlockState, v: number, t: number, old: number) => void): Knob => ({
  get: (k) => blockOf(k).sysctl[key],
  set: (k, v, t) => {
    const b = blockOf(k);
    const old = b.sysctl[key];
    b.sysctl[key] = v;
    onSet?.(b, v, t, old);
  },
  min,
  max,
});

/**
 * 3.13's vm_table: the ratios are 0..100, the byte limits unsigned long with dirty_bytes at least
 * two pages; setting a ratio clears its bytes twin and the other way round (the background pair on
 * every write, the foreground pair when the value changes: dirty_ratio_handler and friends); writing dirty_writeback_centisecs re-arms the flusher (dirty_writeback_centisecs_handler).
 */
export const BLOCK_KNOBS: KnobTable = {
  'vm.dirty_background_bytes': knob('dirtyBackgroundBytes', 0, Number.MAX_SAFE_INTEGER, (b) => {
    b.sysctl.dirtyBackgroundRatio = 0;
  }),
  'vm.dirty_background_ratio': knob('dirtyBackgroundRatio', 0, 100, (b) => {
    b.sysctl.dirtyBackgroundBytes = 0;
  }),
  'vm.dirty_bytes': knob('dirtyBytes', 8192, Number.MAX_SAFE_INTEGER, (b, v, _t, old) => {
    if (v !== old) b.sysctl.dirtyRatio = 0;
  }),
  'vm.dirty_expire_centisecs': knob('dirtyExpireCentisecs', 0, INT_MAX),
  'vm.dirty_ratio': knob('dirtyRatio', 0, 100, (b, v, _t, old) => {
    if (v !== old) b.sysctl.dirtyBytes = 0;
  }),
  'vm.dirty_writeback_centisecs': knob('dirtyWritebackCentisecs', 0, INT_MAX, (b, v, t) => {
    b.nextWakeAt = v > 0 && b.inodes.length > 0 ? t + v * 10 : -1;
  }),
};

export function bootBlockState(): BlockState {
  return {
    devices: [],
    inodes: [],
    inflight: [],
    mounts: [],
    fs: {},
    sysctl: { ...DEFAULT_BLOCK_SYSCTL },
    nextWakeAt: -1,
    nrDirtied: 0,
    nrWritten: 0,
    dirtyPages: 0,
    writebackPages: 0,
  };
}

/**
 * The subsystem for a scenario's `kernel` list. A reboot boots it afresh: the page cache and
 * whatever was dirty in it are gone, devices must be attached and filesystems mounted again.
 */
export const BLOCK_SUBSYSTEM = {
  name: BLOCK_SUBSYSTEM_NAME,
  knobs: BLOCK_KNOBS,
  boot: (): Json => bootBlockState() as unknown as Json,
};
