/**
 * A small, fast, seeded pseudo-random number generator for deterministic fixtures.
 *
 * Objective: the same seed gives the same stream on every machine and Node version, so sample data,
 * tests and benchmarks are reproducible. Core: sfc32 (Chris Doty-Humphrey's Small Fast Counting
 * generator, 128-bit state, passes PractRand), seeded through splitmix32 so that nearby seeds give
 * unrelated streams. Not cryptographic.
 *
 * @example
 * const rng = createPrng(42);
 * rng.uniform(10, 20);      // 10 <= x < 20
 * rng.guid();               // "3f1c…-…-4…-8…-…", deterministic for seed 42
 */
export interface Prng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform unsigned 32-bit integer. */
  nextUint32(): number;
  /** Uniform float in [min, max). */
  uniform(min: number, max: number): number;
  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** true with probability p. */
  chance(p: number): boolean;
  /** Normal (Gaussian) via Box–Muller. */
  normal(mean?: number, stdDev?: number): number;
  /** Log-normal: exp(normal(mu, sigma)); the median is exp(mu). */
  lognormal(mu: number, sigma: number): number;
  /** Pareto type I: xm / U^(1/alpha); heavy-tailed, minimum xm. */
  pareto(xm: number, alpha: number): number;
  /** A uniformly chosen element. Throws on an empty array. */
  pick<T>(items: readonly T[]): T;
  /** An element chosen with probability proportional to its weight. Throws when no weight is positive. */
  weightedPick<T>(items: readonly T[], weights: readonly number[]): T;
  /** A version-4-shaped GUID (xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx) drawn from the stream. */
  guid(): string;
  /** Fisher–Yates shuffle in place; returns the array. */
  shuffle<T>(items: T[]): T[];
}

/** splitmix32: expands one 32-bit seed into well-mixed state words. */
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

// Local bindings: global lookups are noticeably slower inside test sandboxes (vm contexts).
const { sqrt, log, sin, cos, floor, pow, exp, PI } = Math;

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** Creates a generator; any finite number is accepted as seed (it is reduced to 32 bits). */
export function createPrng(seed: number): Prng {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const mix = splitmix32(Math.trunc(seed) >>> 0);
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix() | 1;

  const nextUint32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  // Discard the first outputs: sfc32's authors recommend a short warm-up.
  for (let i = 0; i < 12; i++) nextUint32();

  const next = (): number => nextUint32() / 4294967296;
  let spareNormal: number | null = null;

  const normal = (mean = 0, stdDev = 1): number => {
    if (spareNormal !== null) {
      const z = spareNormal;
      spareNormal = null;
      return mean + stdDev * z;
    }
    let u = 0;
    while (u === 0) u = next();
    const v = next();
    const r = sqrt(-2 * log(u));
    spareNormal = r * sin(2 * PI * v);
    return mean + stdDev * r * cos(2 * PI * v);
  };

  const prng: Prng = {
    next,
    nextUint32,
    uniform: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    normal,
    lognormal: (mu, sigma) => exp(normal(mu, sigma)),
    pareto: (xm, alpha) => {
      let u = 0;
      while (u === 0) u = next();
      return xm / pow(u, 1 / alpha);
    },
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError("pick: empty array");
      return items[floor(next() * items.length)] as T;
    },
    weightedPick: <T>(items: readonly T[], weights: readonly number[]): T => {
      if (items.length !== weights.length) throw new RangeError("weightedPick: items and weights differ in length");
      let total = 0;
      for (const w of weights) if (w > 0) total += w;
      if (!(total > 0)) throw new RangeError("weightedPick: no positive weight");
      let x = next() * total;
      for (let i = 0; i < items.length; i++) {
        const w = weights[i] as number;
        if (w <= 0) continue;
        x -= w;
        if (x < 0) return items[i] as T;
      }
      // Floating-point rounding: fall back to the last positive-weight item.
      for (let i = items.length - 1; i >= 0; i--) if ((weights[i] as number) > 0) return items[i] as T;
      throw new RangeError("weightedPick: unreachable");
    },
    guid: () => {
      const w0 = nextUint32();
      const w1 = nextUint32();
      const w2 = nextUint32();
      const w3 = nextUint32();
      const bytes = [
        w0 >>> 24,
        (w0 >>> 16) & 255,
        (w0 >>> 8) & 255,
        w0 & 255,
        w1 >>> 24,
        (w1 >>> 16) & 255,
        ((w1 >>> 8) & 0x0f) | 0x40,
        w1 & 255,
        ((w2 >>> 24) & 0x3f) | 0x80,
        (w2 >>> 16) & 255,
        (w2 >>> 8) & 255,
        w2 & 255,
        w3 >>> 24,
        (w3 >>> 16) & 255,
        (w3 >>> 8) & 255,
        w3 & 255,
      ].map((byte) => HEX[byte] as string);
      return (
        `${bytes[0]}${bytes[1]}${bytes[2]}${bytes[3]}-${bytes[4]}${bytes[5]}-${bytes[6]}${bytes[7]}-` +
        `${bytes[8]}${bytes[9]}-${bytes[10]}${bytes[11]}${bytes[12]}${bytes[13]}${bytes[14]}${bytes[15]}`
      );
    },
    shuffle: <T>(items: T[]): T[] => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = floor(next() * (i + 1));
        const tmp = items[i] as T;
        items[i] = items[j] as T;
        items[j] = tmp;
      }
      return items;
    },
  };
  return prng;
}

/**
 * Cumulative-weight sampler for picking many times from a large weighted list (O(log n) per pick).
 * @example
 * const pickIndex = cumulativeSampler([1, 3, 6]);
 * pickIndex(rng); // 2 about 60% of the time
 */
export function cumulativeSampler(weights: readonly number[]): (rng: Prng) => number {
  const cumulative = new Float64Array(weights.length);
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i] as number;
    total += w > 0 ? w : 0;
    cumulative[i] = total;
  }
  if (!(total > 0)) throw new RangeError("cumulativeSampler: no positive weight");
  return (rng: Prng): number => {
    const x = rng.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}
