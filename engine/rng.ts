/**
 * The one source of randomness in the engine: sfc32, seeded through splitmix32.
 * Its whole state is four 32-bit integers, so it lives inside the JSON game state.
 */
type RngState = [number, number, number, number];

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function seedRng(seed: number): RngState {
  const next = splitmix32(seed);
  const st: RngState = [next(), next(), next(), next()];
  const rng = new Rng(st);
  for (let i = 0; i < 12; i++) rng.nextU32(); // let the seed spread through all four words
  return rng.getState();
}

/**
 * The four words are kept as signed 32-bit integers and every step is done in that form (`| 0`):
 * the same bits as unsigned arithmetic, but each intermediate value fits in a small integer, so
 * code that has not been optimized yet (most of a new game's history) allocates nothing per draw.
 * The state is handed out unsigned, as it always was.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(state: RngState) {
    this.a = state[0] | 0;
    this.b = state[1] | 0;
    this.c = state[2] | 0;
    this.d = state[3] | 0;
  }

  getState(): RngState {
    return [this.a >>> 0, this.b >>> 0, this.c >>> 0, this.d >>> 0];
  }

  setState(state: RngState): void {
    this.a = state[0] | 0;
    this.b = state[1] | 0;
    this.c = state[2] | 0;
    this.d = state[3] | 0;
  }

  nextU32(): number {
    const b = this.b;
    const c = this.c;
    const t = (((this.a + b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    this.c = (((c << 21) | (c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** An integer in [min, max], both ends included. */
  int(min: number, max: number): number {
    if (max < min) throw new RangeError(`rng.int: ${max} < ${min}`);
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A float in [min, max). */
  range(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('rng.pick: empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** FNV-1a of a stream's name: where its seed departs from the game's */
function nameHash(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619) >>> 0;
  return h;
}

export type StreamsState = Record<string, RngState>;

/**
 * Independent random streams derived from one seed by name (one per subsystem, one for spell
 * durations...). A new draw in one stream leaves every other stream exactly as it was, so adding a
 * draw somewhere does not reshuffle the rest of the world. A stream nobody has drawn from is not
 * saved: it is derived again from the seed and its name.
 */
export class RngStreams {
  private readonly live = new Map<string, Rng>();

  constructor(
    readonly seed: number,
    saved: StreamsState = {},
  ) {
    this.setState(saved);
  }

  stream(name: string): Rng {
    let r = this.live.get(name);
    if (!r) {
      r = new Rng(seedRng((this.seed ^ nameHash(name)) >>> 0));
      this.live.set(name, r);
    }
    return r;
  }

  /** the streams drawn from so far, by name in sorted order */
  getState(): StreamsState {
    const out: StreamsState = {};
    for (const name of [...this.live.keys()].sort()) out[name] = this.live.get(name)!.getState();
    return out;
  }

  /** back to a saved state: streams created since are derived afresh when next asked for */
  setState(saved: StreamsState): void {
    this.live.clear();
    for (const [name, st] of Object.entries(saved)) this.live.set(name, new Rng(st));
  }
}
