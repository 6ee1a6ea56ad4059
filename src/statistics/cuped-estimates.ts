/**
 * Per-unit sums of one arm for CUPED: the experiment-period nominator `x` and denominator `y`, and their
 * pre-period values `u` (nominator) and `v` (denominator), over the arm's `n` exposed units.
 *
 * @internal
 */
export interface CupedArmSums {
  readonly n: number;
  readonly sumX: number;
  readonly sumX2: number;
  readonly sumY: number;
  readonly sumY2: number;
  readonly sumXY: number;
  readonly sumU: number;
  readonly sumU2: number;
  readonly sumV: number;
  readonly sumV2: number;
  readonly sumXU: number;
  readonly sumXV: number;
  readonly sumYU: number;
  readonly sumYV: number;
  readonly sumUV: number;
}

/** What CUPED estimates for one control-treatment pair. @internal */
export interface CupedPairEstimate {
  /** The adjustment coefficient of the pair (0 when the covariate carries no information). */
  readonly theta: number;
  /** Adjusted estimates `x bar - theta u bar` (mean) or `R - theta R_pre` (ratio) of control and treatment. */
  readonly adjustedControl: number;
  readonly adjustedTreatment: number;
  /** Per-unit variances of the adjusted estimates (their variance times `n`). */
  readonly unitVarianceControl: number;
  readonly unitVarianceTreatment: number;
  /** The same per-unit variances without adjustment (`theta = 0`). */
  readonly plainUnitVarianceControl: number;
  readonly plainUnitVarianceTreatment: number;
  /** Relative difference `(adjusted treatment - adjusted control) / |unadjusted control|` and its variance. */
  readonly relativeDiff: number;
  readonly relativeVariance: number;
  /** Absolute difference of the adjusted estimates and its variance. */
  readonly absoluteDiff: number;
  readonly absoluteVariance: number;
}

/**
 * The sample (n - 1) covariance of two per-unit variables from their sums: `(sum ab - sum a sum b / n) / (n - 1)`.
 */
function covariance(n: number, sumA: number, sumB: number, sumAB: number): number {
  return (sumAB - (sumA * sumB) / n) / (n - 1);
}

/**
 * CUPED of a mean metric (the per-unit value `x` averaged over the exposed units, covariate `u`), for one
 * control-treatment pair.
 *
 * @remarks
 * `theta` is the slope of `x` on `u` over the units of both arms taken as one sample (Deng, Xu, Kohavi and
 * Walker 2013; GrowthBook's gbstats computes it so): `(sum xu - sum x sum u / N) / (sum u^2 - (sum u)^2 / N)`
 * with every sum over both arms and `N = n_c + n_t`, and 0 when `u` or `x` is constant over the pair
 * (`givenTheta` replaces it). Each
 * arm's adjusted mean is `x bar - theta u bar`, its per-unit variance `var x + theta^2 var u - 2 theta
 * cov(x, u)` (sample moments), and `theta` counts as known. The relative difference divides the difference of
 * the adjusted means by the absolute unadjusted control mean; its variance is the delta method with the
 * pre-period means of the arms taken as equal (they are, in expectation, under randomisation):
 * `V_t / (n_t xc^2) + (var x_c xt^2 / xc^2 - 2 theta cov_c xt / xc + theta^2 var u_c) / (n_c xc^2)`.
 *
 * @internal
 */
export function cupedMeanPair(
  control: CupedArmSums,
  treatment: CupedArmSums,
  givenTheta?: number,
): CupedPairEstimate {
  const total = control.n + treatment.n;
  const sumX = control.sumX + treatment.sumX;
  const sumU = control.sumU + treatment.sumU;
  const pooledXU = control.sumXU + treatment.sumXU - (sumX * sumU) / total;
  const pooledUU = control.sumU2 + treatment.sumU2 - (sumU * sumU) / total;
  const pooledXX = control.sumX2 + treatment.sumX2 - (sumX * sumX) / total;
  const theta = givenTheta ?? (pooledUU > 0 && pooledXX > 0 ? pooledXU / pooledUU : 0);
  const arm = (sums: CupedArmSums) => {
    const varX = covariance(sums.n, sums.sumX, sums.sumX, sums.sumX2);
    const varU = covariance(sums.n, sums.sumU, sums.sumU, sums.sumU2);
    const covXU = covariance(sums.n, sums.sumX, sums.sumU, sums.sumXU);
    const meanX = sums.sumX / sums.n;
    return {
      meanX,
      varX,
      varU,
      covXU,
      adjusted: meanX - (theta * sums.sumU) / sums.n,
      unitVariance: varX + theta * theta * varU - 2 * theta * covXU,
    };
  };
  const c = arm(control);
  const t = arm(treatment);
  const absoluteDiff = t.adjusted - c.adjusted;
  const xc2 = c.meanX * c.meanX;
  const controlTerm =
    (c.varX * (t.meanX * t.meanX)) / xc2 - (2 * theta * c.covXU * t.meanX) / c.meanX + theta * theta * c.varU;
  return {
    theta,
    adjustedControl: c.adjusted,
    adjustedTreatment: t.adjusted,
    unitVarianceControl: c.unitVariance,
    unitVarianceTreatment: t.unitVariance,
    plainUnitVarianceControl: c.varX,
    plainUnitVarianceTreatment: t.varX,
    relativeDiff: absoluteDiff / Math.abs(c.meanX),
    relativeVariance: t.unitVariance / (treatment.n * xc2) + controlTerm / (control.n * xc2),
    absoluteDiff,
    absoluteVariance: c.unitVariance / control.n + t.unitVariance / treatment.n,
  };
}

/** Per-unit means of (x, y, u, v) and their 4 x 4 sample covariance matrix, row-major. */
function ratioArm(sums: CupedArmSums) {
  const { n } = sums;
  const mean = [sums.sumX / n, sums.sumY / n, sums.sumU / n, sums.sumV / n] as const;
  const sum = [sums.sumX, sums.sumY, sums.sumU, sums.sumV] as const;
  const products = [
    [sums.sumX2, sums.sumXY, sums.sumXU, sums.sumXV],
    [sums.sumXY, sums.sumY2, sums.sumYU, sums.sumYV],
    [sums.sumXU, sums.sumYU, sums.sumU2, sums.sumUV],
    [sums.sumXV, sums.sumYV, sums.sumUV, sums.sumV2],
  ] as const;
  const cov = products.map((row, i) => row.map((sumAB, j) => covariance(n, sum[i]!, sum[j]!, sumAB)));
  return { n, mean, cov };
}

type RatioArm = ReturnType<typeof ratioArm>;

/** `a' C b` for a 4 x 4 covariance matrix. */
function quadratic(a: readonly number[], cov: readonly (readonly number[])[], b: readonly number[]): number {
  let total = 0;
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) total += a[i]! * cov[i]![j]! * b[j]!;
  }
  return total;
}

/** Gradient of `R - theta R_pre` in (x bar, y bar, u bar, v bar): the post part and the pre part per unit theta. */
function ratioGradients(arm: RatioArm): { post: number[]; pre: number[] } {
  const [mx, my, mu, mv] = arm.mean;
  return { post: [1 / my, -mx / (my * my), 0, 0], pre: [0, 0, -1 / mv, mu / (mv * mv)] };
}

/**
 * CUPED of a ratio metric `R = sum x / sum y` with covariate `R_pre = sum u / sum v`, for one
 * control-treatment pair.
 *
 * @remarks
 * Each arm's estimate `R - theta R_pre` is a function of the per-unit means of (x, y, u, v); its variance is
 * the delta method `g' S g / n` with `S` their sample covariance and `g = g_post + theta g_pre` the gradient.
 * `theta` minimises the variance of the difference of the adjusted estimates,
 * `theta = -(sum over arms of g_pre' S g_post / n) / (sum over arms of g_pre' S g_pre / n)` (GrowthBook's
 * technical notes; its code weighs the arms equally, which is the same when they have equal sizes), and 0
 * when that is not a finite number (`givenTheta`, for tests against published values, replaces it). The relative difference divides by the absolute unadjusted control ratio
 * with the full plug-in delta-method gradient.
 *
 * @internal
 */
export function cupedRatioPair(
  control: CupedArmSums,
  treatment: CupedArmSums,
  givenTheta?: number,
): CupedPairEstimate {
  const c = ratioArm(control);
  const t = ratioArm(treatment);
  const gc = ratioGradients(c);
  const gt = ratioGradients(t);
  const cross = quadratic(gc.pre, c.cov, gc.post) / c.n + quadratic(gt.pre, t.cov, gt.post) / t.n;
  const pre = quadratic(gc.pre, c.cov, gc.pre) / c.n + quadratic(gt.pre, t.cov, gt.pre) / t.n;
  const optimal = -cross / pre;
  const theta = givenTheta ?? (Number.isFinite(optimal) && pre > 0 ? optimal : 0);
  // Without adjustment the pre-period part is left out (it may not be finite when v bar is 0).
  const gradient = (g: { post: number[]; pre: number[] }) =>
    theta === 0 ? g.post : g.post.map((value, i) => value + theta * g.pre[i]!);
  const unitVariance = (arm: RatioArm, g: { post: number[]; pre: number[] }) =>
    quadratic(gradient(g), arm.cov, gradient(g));
  const adjusted = (arm: RatioArm) =>
    arm.mean[0] / arm.mean[1] - (theta === 0 ? 0 : (theta * arm.mean[2]) / arm.mean[3]);
  const adjustedControl = adjusted(c);
  const adjustedTreatment = adjusted(t);
  const unitVarianceControl = unitVariance(c, gc);
  const unitVarianceTreatment = unitVariance(t, gt);
  const absoluteDiff = adjustedTreatment - adjustedControl;
  // Relative: g = (adjusted t - adjusted c) / |R_c|; the control's gradient carries the numerator.
  const [mx, my, mu, mv] = c.mean;
  const ratio = mx / my;
  const size = Math.abs(ratio);
  const signedDiff = absoluteDiff * Math.sign(ratio);
  const controlGradient = [
    -(size + signedDiff) / (my * size * size),
    (mx * (size + signedDiff)) / (my * my * size * size),
    theta === 0 ? 0 : theta / (mv * size),
    theta === 0 ? 0 : (-theta * mu) / (mv * mv * size),
  ];
  const treatmentGradient = gradient(gt).map((value) => value / size);
  return {
    theta,
    adjustedControl,
    adjustedTreatment,
    unitVarianceControl,
    unitVarianceTreatment,
    plainUnitVarianceControl: quadratic(gc.post, c.cov, gc.post),
    plainUnitVarianceTreatment: quadratic(gt.post, t.cov, gt.post),
    relativeDiff: absoluteDiff / size,
    relativeVariance:
      quadratic(controlGradient, c.cov, controlGradient) / c.n +
      quadratic(treatmentGradient, t.cov, treatmentGradient) / t.n,
    absoluteDiff,
    absoluteVariance: unitVarianceControl / c.n + unitVarianceTreatment / t.n,
  };
}
