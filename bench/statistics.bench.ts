import { studentTQuantile, studentTUpperTail } from '../src/statistics/distributions.js';
import { adjustIntervalsForHolm, holmBonferroni } from '../src/statistics/holm-bonferroni.js';
import { type WelchTestInput, welchTest } from '../src/statistics/welch-test.js';
import { type Measurement, meanMilliseconds } from './measure.js';

const METRICS = 1_000;
const VARIANTS = 10;

/** Deterministic (metrics x variants) input: counts 1e3..1e6, means 0.01..10, realistic deviations. */
function benchInput(): WelchTestInput {
  const cells = METRICS * VARIANTS;
  const estimate = new Float64Array(cells);
  const estimateVariance = new Float64Array(cells);
  const sampleSize = new Float64Array(cells);
  const sumValue = new Float64Array(cells);
  let seed = 2_463_534_242;
  const random = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 4_294_967_296;
  };
  for (let cell = 0; cell < cells; cell++) {
    const count = Math.floor(1_000 + random() * 999_000);
    const mean = 0.01 + random() * 10;
    const std = mean * (0.5 + random() * 3);
    sampleSize[cell] = count;
    estimate[cell] = mean;
    estimateVariance[cell] = (std * std) / count;
    sumValue[cell] = mean * count;
  }
  return {
    metricCount: METRICS,
    variantCount: VARIANTS,
    controlIndex: 0,
    estimate,
    estimateVariance,
    sampleSize,
    sumValue,
    confidenceLevel: 0.95,
  };
}

/**
 * Measures the statistics kernels: Welch's test over 1,000 metrics x 10 variants, the Holm correction
 * of its treatment p-values and intervals, and single t upper-tail and quantile evaluations.
 *
 * @returns One row per measurement.
 */
export function runStatisticsBench(): Measurement[] {
  const input = benchInput();
  const welch = meanMilliseconds(() => welchTest(input), 3, 20);
  const result = welchTest(input);
  const holm = meanMilliseconds(
    () => {
      for (let row = 0; row < METRICS * VARIANTS; row += VARIANTS) {
        const pValues = result.pValue.subarray(row + 1, row + VARIANTS);
        const adjustedPValues = holmBonferroni(pValues);
        adjustIntervalsForHolm({
          pValues,
          adjustedPValues,
          standardErrors: result.standardError.subarray(row + 1, row + VARIANTS),
          degreesOfFreedom: result.degreesOfFreedom.subarray(row + 1, row + VARIANTS),
          confidenceLevel: 0.95,
        });
      }
    },
    3,
    20,
  );
  const calls = 100_000;
  let sink = 0;
  const tail = meanMilliseconds(
    () => {
      for (let index = 0; index < calls; index++)
        sink += studentTUpperTail(1 + (index % 50) / 10, 20 + (index % 5000));
    },
    1,
    5,
  );
  const quantile = meanMilliseconds(
    () => {
      for (let index = 0; index < calls; index++) sink += studentTQuantile(0.975, 20 + (index % 5000));
    },
    1,
    5,
  );
  if (Number.isNaN(sink)) throw new Error('benchmark produced NaN');
  return [
    { name: `welchTest, ${METRICS} metrics x ${VARIANTS} variants`, value: welch, unit: 'ms' },
    { name: 'welchTest per cell', value: (welch * 1000) / (METRICS * VARIANTS), unit: 'µs' },
    {
      name: `Holm p-values and intervals, ${METRICS} metrics x ${VARIANTS - 1} treatments`,
      value: holm,
      unit: 'ms',
    },
    { name: 'studentTUpperTail per call', value: (tail * 1000) / calls, unit: 'µs' },
    { name: 'studentTQuantile per call', value: (quantile * 1000) / calls, unit: 'µs' },
  ];
}
