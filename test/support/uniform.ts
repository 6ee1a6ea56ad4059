/**
 * A seeded generator of uniform numbers in (0, 1) (a 32-bit linear congruential generator, never exactly 0
 * or 1, so that `Math.log(u)` is finite), for tests that draw their own data.
 */
export function uniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return (state + 0.5) / 4_294_967_296;
  };
}

/**
 * A standard normal draw made of two draws of `random` (e.g. of {@link uniform}) by the Box-Muller transform,
 * cosine branch only; `random` must never return 0, as {@link uniform} never does.
 */
export function standardNormal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random());
}
