/**
 * docs/examples/ratio-and-cuped.ts (the guide docs/guide-ratio-and-cuped.md walks through it) runs, and what
 * it prints is what the same events give without SQL: per-user values summed here from the generated events,
 * evaluated with `evaluateMetricSums`.
 * The guide's printed blocks are compared with this output by test/docs/check-excerpt-output.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Experiment, Metric, type MetricSumsRow } from '../../src/index.js';
import { generateEvents } from '../../src/sql/index.js';
import { armSums, metricSumsRow } from '../support/cuped-sums.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** The script's events and definitions, restated. */
const events = generateEvents({
  seed: 7,
  units: 10_000,
  days: 14,
  preDays: 14,
  startDate: '2024-03-01',
  variants: [{ id: 'a' }, { id: 'b', effects: { value: 0.08 } }],
});

interface UserValues {
  variant: string;
  revenue: number;
  orders: number;
  preRevenue: number;
  preOrders: number;
}

function perUser(): Map<string, UserValues> {
  const users = new Map<string, UserValues>();
  for (const event of events) {
    if (event.exp_id === 'demo' && event.goal === 'exposure') {
      users.set(event.unit_id, {
        variant: event.exp_variant_id,
        revenue: 0,
        orders: 0,
        preRevenue: 0,
        preOrders: 0,
      });
    }
  }
  for (const event of events) {
    const user = users.get(event.unit_id);
    if (user === undefined || event.goal !== 'conversion') continue;
    if (event.exp_id === 'demo' && event.date >= '2024-03-01' && event.date <= '2024-03-14') {
      user.revenue += event.value;
      user.orders += event.count;
    } else if (event.date >= '2024-02-16' && event.date < '2024-03-01') {
      user.preRevenue += event.value;
      user.preOrders += event.count;
    }
  }
  return users;
}

function metricSums(users: Map<string, UserValues>): MetricSumsRow[] {
  const all = [...users.values()];
  return (
    [
      [1, true],
      [2, false],
      [3, false],
    ] as const
  ).flatMap(([metricId, ratio]) =>
    ['a', 'b'].map((variant) =>
      metricSumsRow(
        variant,
        metricId,
        armSums(
          all
            .filter((user) => user.variant === variant)
            .map((user) =>
              ratio
                ? { x: user.revenue, y: user.orders, u: user.preRevenue, v: user.preOrders }
                : { x: user.revenue, u: user.preRevenue },
            ),
        ),
      ),
    ),
  );
}

describe('docs/examples/ratio-and-cuped.ts', () => {
  const output = execFileSync(process.execPath, ['--import', 'tsx', 'docs/examples/ratio-and-cuped.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const exposures = 'count(user.unit.exposure)';
  const experiment = new Experiment({
    id: 'demo',
    controlVariant: 'a',
    unitType: 'user',
    dateFrom: '2024-03-01',
    dateTo: '2024-03-14',
    metrics: [
      new Metric({
        id: 1,
        name: 'Revenue per order',
        nominator: 'value(user.unit.conversion)',
        denominator: 'count(user.unit.conversion)',
      }),
      new Metric({
        id: 2,
        name: 'Revenue per user',
        nominator: 'value(user.unit.conversion)',
        denominator: exposures,
      }),
      new Metric({
        id: 3,
        name: 'Revenue per user (CUPED)',
        nominator: 'value(user.unit.conversion)',
        denominator: exposures,
        cuped: { preDays: 14 },
      }),
    ],
  });
  const evaluation = experiment.evaluateMetricSums(metricSums(perUser()));
  const row = (id: number) => evaluation.metrics.find((r) => r.metricId === id && r.expVariantId === 'b')!;
  const percent = (value: number) => `${(100 * value).toFixed(2)} %`;

  it('prints the scorecard with the three metrics', () => {
    expect(output).toMatch(/Revenue per order +Revenue per user +Revenue per user \(CUPED\)/);
    const b = output.split('\n').find((line) => line.startsWith('demo           B'));
    expect(b).toContain(row(1).mean.toFixed(2));
    expect(b).toContain(row(2).mean.toFixed(2));
  });

  it('prints the CUPED theta and variance reduction the per-user sums give', () => {
    expect(output).toContain(`CUPED theta: ${row(3).cupedTheta?.toFixed(4)}`);
    expect(output).toContain(`CUPED variance reduction (variant b): ${percent(row(3).varianceReduction!)}`);
    expect(row(3).varianceReduction).toBeGreaterThan(0);
    expect(row(3).confidenceInterval).toBeLessThan(row(2).confidenceInterval);
    expect(output).toContain(
      `with CUPED ${percent(row(3).diff)} +- ${percent(row(3).confidenceInterval)} (p ${row(3).pValue.toFixed(4)})`,
    );
  });

  it('prints the delta-method interval of revenue per order', () => {
    expect(output).toContain(
      `Revenue per order, b vs a: ${percent(row(1).diff)} +- ${percent(row(1).confidenceInterval)} by the delta method`,
    );
  });
});
