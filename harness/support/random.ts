/**
 * A seeded source of numbers in [0, 1) (mulberry32): the same seed draws the same sequence on
 * any machine, so a run's random choices (when a fault strikes) can be replayed from its seed.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The run's seed: HALAB_SEED when set (to replay a run), else drawn from the clock. Refuses a
 * value that is not a whole number from 0 to 2^32 - 1, naming the variable.
 */
export function runSeed(env: NodeJS.ProcessEnv = process.env, now = Date.now()): number {
  const text = env.HALAB_SEED;
  if (text === undefined || text === '') return now % 4294967296;
  const seed = Number(text);
  if (!Number.isInteger(seed) || seed < 0 || seed > 4294967295) throw new Error(`HALAB_SEED=${JSON.stringify(text)}: must be a whole number from 0 to 4294967295 (the seed a run printed, to replay it)`);
  return seed;
}
