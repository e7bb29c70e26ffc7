/**
 * Machine worlds saved before the machine layer existed (engine version 1), brought to today's
 * shape. A chapter's world migration calls this for the part every box has.
 */
import type { Json } from '../types';
import { basePackages } from './catalogue';
import type { Scenario } from './scenario';

type Obj = { [key: string]: Json };

const isObj = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** engine 1 → 2: the scenario's name, the kernel's anon_vma flag, procs without readyAt, archive components */
export function migrateMachineV1(world: Obj, scenario: Scenario<any>): void {
  world.scenario = scenario.name;
  const universe = [...scenario.packages(), ...basePackages()].filter((e) => e.component === 'universe').map((e) => e.name);
  const k = world.k;
  if (isObj(k)) {
    k.anonVmaReuse = k.fix === true;
    delete k.fix;
    if (Array.isArray(k.procs)) for (const p of k.procs) if (isObj(p)) delete p.readyAt;
  }
  const pkgs = world.pkgs;
  if (isObj(pkgs) && Array.isArray(pkgs.list)) {
    for (const e of pkgs.list) if (isObj(e) && typeof e.name === 'string' && universe.includes(e.name)) e.component = 'universe';
  }
}
