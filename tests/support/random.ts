// Seeded randomness for tests: xorshift32 (exact in JS numbers, unlike a multiplicative LCG in doubles),
// reproducible from its seed.
export interface Rng {
  /** An integer in [0, n). */
  int(n: number): number;
  /** `n` random bytes. */
  bytes(n: number): Buffer;
}

export function rng(seed: number): Rng {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  return {
    int: (n) => next() % n,
    bytes: (n) => {
      const b = Buffer.alloc(Math.ceil(n / 4) * 4);
      for (let i = 0; i < b.length; i += 4) b.writeUInt32LE(next(), i);
      return b.subarray(0, n);
    },
  };
}

/** A seeded Fisher-Yates shuffle (a new array). */
export function shuffle<T>(xs: T[], seed: number): T[] {
  const r = rng(seed);
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
