/**
 * The machine's /proc/sys table: the core kernel's knobs and those of every subsystem its scenario
 * builds the kernel with. Derived from code, never stored: a scenario's table is made once.
 */
import { CORE_KNOBS, type KnobTable } from '../kernel/sysctl';
import { scenarioOf } from './scenario';
import type { MachineWorld } from './world';

const tables = new WeakMap<object, KnobTable>();

/** every knob under /proc/sys on this machine: the core's and those of the scenario's subsystems */
export function knobsOf(w: MachineWorld): KnobTable {
  const s = scenarioOf(w);
  let t = tables.get(s);
  if (!t) {
    t = Object.assign({}, CORE_KNOBS, ...(s.kernel ?? []).map((sub) => sub.knobs)) as KnobTable;
    tables.set(s, t);
  }
  return t;
}

