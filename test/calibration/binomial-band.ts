/** A range of counts `[lower, upper]`, both included. */
export interface CountBand {
  readonly lower: number;
  readonly upper: number;
}

/**
 * The central `level` band of a binomial count: `lower` is the `(1 - level) / 2` quantile and `upper` the
 * `(1 + level) / 2` quantile of Binomial(`trials`, `probability`), computed exactly (probabilities in log
 * space, summed from both tails), so a calibrated rate lands outside it with probability at most
 * `1 - level`.
 *
 * @example
 * ```ts
 * binomialBand(2000, 0.05, 0.999); // => { lower: 69, upper: 133 }
 * ```
 */
export function binomialBand(trials: number, probability: number, level: number): CountBand {
  const tail = (1 - level) / 2;
  const logFactorial = new Float64Array(trials + 1);
  for (let k = 1; k <= trials; k++) logFactorial[k] = logFactorial[k - 1]! + Math.log(k);
  const probabilityOf = (k: number) =>
    Math.exp(
      logFactorial[trials]! -
        logFactorial[k]! -
        logFactorial[trials - k]! +
        k * Math.log(probability) +
        (trials - k) * Math.log1p(-probability),
    );
  let lower = 0;
  for (let below = probabilityOf(0); below < tail; below += probabilityOf(++lower));
  let upper = trials;
  for (let above = probabilityOf(trials); above < tail; above += probabilityOf(--upper));
  return { lower, upper };
}
