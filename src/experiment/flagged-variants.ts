/**
 * The variants of one metric whose cells are flagged in a (metrics x variants) row-major flag matrix.
 *
 * @internal
 */
export function flaggedVariants(flags: Uint8Array, metric: number, variants: readonly string[]): string[] {
  const offset = metric * variants.length;
  return variants.filter((_, v) => flags[offset + v] !== 0);
}
