import { RngStreams } from '../../../../../engine/rng';
import type { Ch1World } from '../../../../../engine/chapters/ch1/sim';
import { arrival, fresh, HOUR, run, type Game } from './helpers';

function clone(g: Game): Game {
  return { w: JSON.parse(JSON.stringify(g.w)) as Ch1World, streams: new RngStreams(g.streams.seed, g.streams.getState()) };
}

function plainJson(value: unknown, path = 'world'): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${path} is ${value}`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => plainJson(v, `${path}[${i}]`));
    return;
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) throw new Error(`${path} is not a plain object`);
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) plainJson(v, `${path}.${k}`);
    return;
  }
  throw new Error(`${path} has type ${typeof value}`);
}

describe('the world is plain JSON', () => {
  it('holds no class instances, Maps, functions, NaN or Infinity', () => {
    const g = arrival(7);
    run(g, 2 * HOUR);
    expect(() => plainJson(g.w)).not.toThrow();
  });

  it('carries on identically after a round trip in the middle of a leak', () => {
    const a = fresh(21);
    run(a, 30 * HOUR);
    const b = clone(a);
    run(a, 20 * HOUR);
    run(b, 20 * HOUR);
    expect(JSON.stringify(b.w)).toBe(JSON.stringify(a.w));
  });

  it('carries on identically after a round trip in the middle of an OOM storm', () => {
    const a = arrival(7);
    run(a, 30 * 60_000);
    const b = clone(a);
    run(a, 5 * HOUR);
    run(b, 5 * HOUR);
    expect(JSON.stringify(b.w)).toBe(JSON.stringify(a.w));
  });
});
