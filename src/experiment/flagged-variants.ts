/**
 * The variants of one metric whose cells are flagged in a (metrics x variants) row-major flag matrix.
 *
 * @remarks
 * Called for every metric of an evaluation, most of which have no flag: a row without one costs a scan of
 * its flags and no allocation beyond the empty result.
 *
 * @internal
 */
export function flaggedVariants(flags: Uint8Array, metric: number, variants: readonly string[]): string[] {
  const offset = metric * variants.length;
  const flagged: string[] = [];
  for (let v = 0; v < variants.length; v++) {
    if (flags[offset + v] !== 0) flagged.push(variants[v]!);
  }
  return flagged;
}
