import { Metric } from '../../src/index.js';

/**
 * `count` metrics `m1`, `m2`, ... of ids 1, 2, ...: the mean per exposed unit of the values of goal `x<id>`
 * (`value(u.unit.x<id>) / count(u.global.exposure)`), for simulations of many metrics.
 */
export function valueMetrics(count: number): Metric[] {
  return Array.from(
    { length: count },
    (_, m) =>
      new Metric({
        id: m + 1,
        name: `m${m + 1}`,
        nominator: `value(u.unit.x${m + 1})`,
        denominator: 'count(u.global.exposure)',
      }),
  );
}
