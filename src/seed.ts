/** A fresh world seed for a game started without --seed. */
export function randomSeed(): number {
  // the one place a seed is drawn from the outside world; the engine never sees anything random
  return Math.floor(Math.random() * 0xffffffff) >>> 0;
}
