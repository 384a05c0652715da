/** A source of uniform numbers in [0, 1). Everything random in tinyArms takes one, so tests can seed it. */
export interface Rng {
  next(): number;
}

/** cyrb128: spreads any seed text over four 32-bit words (xoshiro needs a state that is not all zero). */
function hashSeed(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** Deterministic xoshiro128** generator. Numeric seeds are hashed as text, so 42 and '42' give the same stream. */
export function createRng(seed: number | string): Rng {
  let [a, b, c, d] = hashSeed(String(seed));
  if ((a | b | c | d) === 0) a = 1;
  return {
    next(): number {
      const result = Math.imul(rotl(Math.imul(b, 5), 7), 9);
      const t = b << 9;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = rotl(d, 11);
      return (result >>> 0) / 4294967296;
    },
  };
}

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

/** Integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng.next() * n);
}

/** One item, uniformly. */
export const pickFrom = <T>(rng: Rng, items: readonly T[]): T => items[randomInt(rng, items.length)];

/** Standard normal by the Marsaglia polar method. */
export function sampleNormal(rng: Rng): number {
  for (;;) {
    const u = 2 * rng.next() - 1;
    const v = 2 * rng.next() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
  }
}

/** Gamma(shape, 1) by Marsaglia–Tsang; shape < 1 uses Gamma(shape + 1) · U^(1/shape). */
export function sampleGamma(rng: Rng, shape: number): number {
  if (!(shape > 0) || !Number.isFinite(shape)) throw new RangeError(`gamma shape must be > 0, got ${shape}`);
  if (shape < 1) return sampleGamma(rng, shape + 1) * rng.next() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = sampleNormal(rng);
    const base = 1 + c * x;
    if (base <= 0) continue;
    const v = base * base * base;
    const u = rng.next();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

export function sampleBeta(rng: Rng, a: number, b: number): number {
  const x = sampleGamma(rng, a);
  const y = sampleGamma(rng, b);
  // Both can underflow to 0 for tiny shapes; the limit then puts all mass on 0 or 1 in proportion a : b.
  if (x + y === 0) return rng.next() < a / (a + b) ? 1 : 0;
  return x / (x + y);
}

/** Fisher–Yates on a copy. */
export function shuffle<T>(rng: Rng, items: readonly T[]): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const tmp = out[i];
    out[i] = out[j];
    out[j] = tmp;
  }
  return out;
}

export function pickWeighted<T>(rng: Rng, items: readonly { value: T; weight: number }[]): T {
  let total = 0;
  for (const item of items) {
    if (!(item.weight >= 0) || !Number.isFinite(item.weight)) throw new RangeError(`weights must be finite and >= 0, got ${item.weight}`);
    total += item.weight;
  }
  if (!(total > 0)) throw new RangeError('pickWeighted needs at least one positive weight');
  let r = rng.next() * total;
  let last = items[0];
  for (const item of items) {
    if (item.weight === 0) continue;
    last = item;
    r -= item.weight;
    if (r < 0) return item.value;
  }
  return last.value;
}
