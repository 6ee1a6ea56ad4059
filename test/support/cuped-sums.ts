import type { MetricSumsRow } from '../../src/index.js';
import type { CupedArmSums } from '../../src/statistics/cuped-estimates.js';

/** One unit's values: nominator `x`, denominator `y` (1 when absent), their pre-period values `u`, `v`. */
export interface UnitValues {
  readonly x: number;
  readonly y?: number;
  readonly u: number;
  readonly v?: number;
}

/** The metric sums of an arm's units: `n`, and the sums of x, y, u, v, their squares and cross-products. */
export function armSums(units: Iterable<UnitValues>): CupedArmSums {
  const s = {
    n: 0,
    x: 0,
    x2: 0,
    y: 0,
    y2: 0,
    xy: 0,
    u: 0,
    u2: 0,
    v: 0,
    v2: 0,
    xu: 0,
    xv: 0,
    yu: 0,
    yv: 0,
    uv: 0,
  };
  for (const unit of units) {
    const { x, u } = unit;
    const y = unit.y ?? 1;
    const v = unit.v ?? 1;
    s.n += 1;
    s.x += x;
    s.x2 += x * x;
    s.y += y;
    s.y2 += y * y;
    s.xy += x * y;
    s.u += u;
    s.u2 += u * u;
    s.v += v;
    s.v2 += v * v;
    s.xu += x * u;
    s.xv += x * v;
    s.yu += y * u;
    s.yv += y * v;
    s.uv += u * v;
  }
  return {
    n: s.n,
    sumX: s.x,
    sumX2: s.x2,
    sumY: s.y,
    sumY2: s.y2,
    sumXY: s.xy,
    sumU: s.u,
    sumU2: s.u2,
    sumV: s.v,
    sumV2: s.v2,
    sumXU: s.xu,
    sumXV: s.xv,
    sumYU: s.yu,
    sumYV: s.yv,
    sumUV: s.uv,
  };
}

/** A metric sums row with the pre-period columns from an arm's sums. */
export function metricSumsRow(
  variant: string,
  metricId: number,
  s: CupedArmSums,
  expId?: string,
): MetricSumsRow {
  return {
    ...(expId === undefined ? {} : { exp_id: expId }),
    exp_variant_id: variant,
    metric_id: metricId,
    units: s.n,
    sum_x: s.sumX,
    sum_x2: s.sumX2,
    sum_y: s.sumY,
    sum_y2: s.sumY2,
    sum_xy: s.sumXY,
    sum_u: s.sumU,
    sum_u2: s.sumU2,
    sum_v: s.sumV,
    sum_v2: s.sumV2,
    sum_xu: s.sumXU,
    sum_xv: s.sumXV,
    sum_yu: s.sumYU,
    sum_yv: s.sumYV,
    sum_uv: s.sumUV,
  };
}

interface GbstatsMoments {
  readonly sum: number;
  readonly sum_squares: number;
}

/** A ratio-CUPED arm as GrowthBook's gbstats test fixtures write it (fixtures/peers/gbstats-cases.json). */
export interface GbstatsRatioArm {
  readonly n: number;
  readonly m_statistic_post: GbstatsMoments;
  readonly d_statistic_post: GbstatsMoments;
  readonly m_statistic_pre: GbstatsMoments;
  readonly d_statistic_pre: GbstatsMoments;
  readonly m_post_m_pre_sum_of_products: number;
  readonly d_post_d_pre_sum_of_products: number;
  readonly m_pre_d_pre_sum_of_products: number;
  readonly m_post_d_post_sum_of_products: number;
  readonly m_post_d_pre_sum_of_products: number;
  readonly m_pre_d_post_sum_of_products: number;
}

/** A gbstats ratio arm as CUPED sums: x, y the post nominator and denominator (m, d), u, v their pre-period values. */
export function gbstatsRatioArm(arm: GbstatsRatioArm): CupedArmSums {
  return {
    n: arm.n,
    sumX: arm.m_statistic_post.sum,
    sumX2: arm.m_statistic_post.sum_squares,
    sumY: arm.d_statistic_post.sum,
    sumY2: arm.d_statistic_post.sum_squares,
    sumXY: arm.m_post_d_post_sum_of_products,
    sumU: arm.m_statistic_pre.sum,
    sumU2: arm.m_statistic_pre.sum_squares,
    sumV: arm.d_statistic_pre.sum,
    sumV2: arm.d_statistic_pre.sum_squares,
    sumXU: arm.m_post_m_pre_sum_of_products,
    sumXV: arm.m_post_d_pre_sum_of_products,
    sumYU: arm.m_pre_d_post_sum_of_products,
    sumYV: arm.d_post_d_pre_sum_of_products,
    sumUV: arm.m_pre_d_pre_sum_of_products,
  };
}
