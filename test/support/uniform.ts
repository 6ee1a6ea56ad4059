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
