/**
 * TCP as a kernel subsystem a scenario can build its kernel with: its state under
 * KernelState.subsys.tcp and its net.ipv4.tcp_* knobs (those the model obeys). Shaped like the
 * machine's KernelSubsystem (engine/machine/scenario.ts), which the kernel layer may not import.
 */
import type { Json } from '../../types';
import type { KernelState } from '../types';
import type { Knob, KnobTable } from '../sysctl';
import { createTcpStack } from './api';
import type { TcpStack, TcpSysctl } from './types';

export const TCP_SUBSYSTEM_NAME = 'tcp';

/** the stack inside a kernel's state (the scenario must have built the kernel with TCP_SUBSYSTEM) */
export function tcpOf(k: KernelState): TcpStack {
  const t = k.subsys?.[TCP_SUBSYSTEM_NAME] as unknown as TcpStack | undefined;
  if (!t) throw new Error('this kernel has no TCP subsystem');
  return t;
}

const flag = (key: keyof TcpSysctl, min: number, max: number): Knob => ({
  get: (k) => tcpOf(k).sysctl[key],
  set: (k, v) => void (tcpOf(k).sysctl[key] = v),
  min,
  max,
});

/** 3.16's defaults; timestamps, SACK and window scaling shape the next handshakes */
export const TCP_KNOBS: KnobTable = {
  'net.ipv4.tcp_timestamps': flag('timestamps', -(2 ** 31), 2 ** 31 - 1),
  'net.ipv4.tcp_sack': flag('sack', -(2 ** 31), 2 ** 31 - 1),
  'net.ipv4.tcp_window_scaling': flag('windowScaling', -(2 ** 31), 2 ** 31 - 1),
  'net.ipv4.tcp_fin_timeout': flag('finTimeout', -(2 ** 31), 2 ** 31 - 1),
  'net.ipv4.tcp_slow_start_after_idle': flag('slowStartAfterIdle', -(2 ** 31), 2 ** 31 - 1),
};

/**
 * The subsystem for a scenario's `kernel` list. boot() gives a stack whose clock starts at 0:
 * set bootMs (the kernel's boot time) and now before the first call, as jiffies and TSval count
 * from boot.
 */
export const TCP_SUBSYSTEM = {
  name: TCP_SUBSYSTEM_NAME,
  knobs: TCP_KNOBS,
  boot: (): Json => createTcpStack() as unknown as Json,
};
