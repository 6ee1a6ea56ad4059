/**
 * Events written by hand for the metric sums tests: an experiment `ms` from 2024-03-15 to 2024-03-28, its
 * pre-period, and what must be left out. Each unit's comment says what it tests.
 */
import {
  Experiment,
  type ExperimentOptions,
  Filter,
  Metric,
  type MetricOptions,
} from '../../../src/index.js';
import type { EventRecord } from '../../../src/sql/index.js';

export const METRIC_SUMS_DIMENSIONS = ['element', 'country'] as const;
export const DATE_FROM = '2024-03-15';

type Cells = [
  expId: string | null,
  variant: string | null,
  unit: string,
  date: string | null,
  goal: string,
  count: number,
  value: number,
  element?: string,
  country?: string,
];

const rows: Cells[] = [
  // Unit 1 (a): orders, a conversion with a refund, clicks; pre-period orders on the first day of a 14-day
  // window (2024-03-01, NULL experiment), the day before the window (2024-02-29, left out), the day before
  // the experiment in another experiment; an order after dateTo (left out).
  ['ms', 'a', '1', '2024-03-15', 'exposure', 1, 0],
  ['ms', 'a', '1', '2024-03-16', 'order', 1, 30],
  ['ms', 'a', '1', '2024-03-20', 'order', 1, 12.5],
  ['ms', 'a', '1', '2024-03-16', 'conversion', 1, 30],
  ['ms', 'a', '1', '2024-03-17', 'refund', 1, 5],
  ['ms', 'a', '1', '2024-03-16', 'click', 2, 0, 'button-1'],
  ['ms', 'a', '1', '2024-03-16', 'click', 1, 0, 'link-1'],
  ['ms', 'a', '1', '2024-03-29', 'order', 1, 500],
  [null, null, '1', '2024-03-01', 'order', 1, 20],
  [null, null, '1', '2024-02-29', 'order', 1, 99],
  ['other', 'z', '1', '2024-03-14', 'order', 1, 7],
  ['other', 'z', '1', '2024-03-12', 'conversion', 1, 3],
  [null, null, '1', '2024-03-10', 'click', 1, 0, 'button-1'],
  // Unit 2 (a): exposed (from DE), no goal; a pre-period conversion (NULL experiment) within 7 days.
  ['ms', 'a', '2', '2024-03-18', 'exposure', 1, 0, '', 'DE'],
  [null, null, '2', '2024-03-10', 'conversion', 1, 8],
  // Unit 3 (a): conversions; events dated dateFrom outside the experiment (not pre-period), a pre-period
  // order of another unit type (not the goal's).
  ['ms', 'a', '3', '2024-03-15', 'exposure', 1, 0],
  ['ms', 'a', '3', '2024-03-21', 'conversion', 2, 40],
  ['ms', 'a', '3', '2024-03-21', 'click', 1, 0, 'button-2'],
  [null, null, '3', '2024-03-15', 'order', 1, 60],
  ['other', 'z', '3', '2024-03-15', 'conversion', 1, 6],
  // Unit 4 (a): an order of two from country DE (which the goal filter drops), a click without element; a
  // pre-period conversion 8 days before (in the 14-day window, out of the 7-day one).
  ['ms', 'a', '4', '2024-03-20', 'exposure', 1, 0],
  ['ms', 'a', '4', '2024-03-22', 'order', 2, 55.5, '', 'DE'],
  ['ms', 'a', '4', '2024-03-22', 'click', 1, 0, ''],
  [null, null, '4', '2024-03-07', 'conversion', 1, 11],
  [null, null, '4', '2024-03-08', 'order', 1, 13],
  // Unit 5 (b): fully refunded; an order of another experiment during this one (left out).
  ['ms', 'b', '5', '2024-03-16', 'exposure', 1, 0],
  ['ms', 'b', '5', '2024-03-17', 'order', 1, 80],
  ['ms', 'b', '5', '2024-03-17', 'conversion', 1, 80],
  ['ms', 'b', '5', '2024-03-19', 'refund', 1, 80],
  ['ms', 'b', '5', '2024-03-17', 'click', 1, 0, 'button-10'],
  ['other', 'z', '5', '2024-03-20', 'order', 1, 70],
  [null, null, '5', '2024-03-14', 'refund', 1, 4],
  // Unit 6 (b): exposed, no goal; a pre-period order.
  ['ms', 'b', '6', '2024-03-17', 'exposure', 1, 0],
  [null, null, '6', '2024-03-05', 'order', 1, 15],
  // Unit 7 (b): an order of three; pre-period orders in another experiment and on the window's first day.
  ['ms', 'b', '7', '2024-03-18', 'exposure', 1, 0],
  ['ms', 'b', '7', '2024-03-19', 'order', 3, 10.25],
  ['other', 'y', '7', '2024-03-12', 'order', 2, 4, '', 'DE'],
  [null, null, '7', '2024-03-01', 'order', 1, 1],
  // Unit 8 (b): three clicks in one row, a conversion.
  ['ms', 'b', '8', '2024-03-16', 'exposure', 1, 0],
  ['ms', 'b', '8', '2024-03-16', 'click', 3, 0, 'button-1'],
  ['ms', 'b', '8', '2024-03-18', 'conversion', 1, 22],
  ['other', 'z', '8', '2024-03-02', 'click', 1, 0, 'button-2'],
  ['other', 'z', '8', '2024-03-02', 'click', 4, 0, 'link-1'],
  // Unit 9 (a): goals without an exposure: not a unit of metric sums.
  ['ms', 'a', '9', '2024-03-16', 'order', 1, 1000],
  // Unit 10 (b): exposed before dateFrom only: not exposed in the experiment's period.
  ['ms', 'b', '10', '2024-03-14', 'exposure', 1, 0],
  ['ms', 'b', '10', '2024-03-16', 'order', 1, 300],
  // Unit 11 (c): the only unit of variant c, exposed, without any goal.
  ['ms', 'c', '11', '2024-03-25', 'exposure', 1, 0],
];

/** The events, with a `session` event of unit 1 that no `user` goal reads. */
export const METRIC_SUMS_EVENTS: readonly EventRecord[] = [
  ...rows.map(
    ([expId, variant, unit, date, goal, count, value, element, country]) =>
      ({
        exp_id: expId,
        exp_variant_id: variant,
        unit_type: 'user',
        unit_id: unit,
        date,
        goal,
        count,
        value,
        element: element ?? '',
        country: country ?? 'CZ',
      }) as unknown as EventRecord,
  ),
  {
    exp_id: null,
    exp_variant_id: null,
    unit_type: 'session',
    unit_id: '1',
    date: '2024-03-10',
    goal: 'order',
    count: 1,
    value: 1000,
    element: '',
    country: 'CZ',
  } as unknown as EventRecord,
];

/** The metrics of the tests: a ratio, a compound nominator, a dimension condition, `unique`, a number. */
export function metricSumsMetrics(cuped: boolean): Metric[] {
  const metric = (options: MetricOptions, preDays?: number) =>
    new Metric(cuped && preDays !== undefined ? { ...options, cuped: { preDays } } : options);
  return [
    metric(
      {
        id: 1,
        name: 'Revenue per order',
        nominator: 'value(user.unit.order)',
        denominator: 'count(user.unit.order)',
      },
      14,
    ),
    metric(
      {
        id: 2,
        name: 'Net revenue',
        nominator: 'value(user.unit.conversion) - value(user.unit.refund)',
        denominator: 'count(user.unit.exposure)',
      },
      14,
    ),
    metric(
      {
        id: 3,
        name: 'Button clicks',
        nominator: 'count(user.unit.click(element=button-%))',
        denominator: 'count(user.global.exposure)',
      },
      14,
    ),
    metric(
      {
        id: 4,
        name: 'Converters',
        nominator: 'unique(user.unit.conversion)',
        denominator: 'count(user.unit.exposure)',
      },
      7,
    ),
    metric({
      id: 'orders-and-clicks',
      name: 'Orders in hundreds and clicks',
      nominator: 'value(user.unit.order) / 100 + 2 * count(user.unit.click) ~ 1',
      denominator: 'count(user.unit.exposure)',
    }),
  ];
}

/** The experiment `ms` over its two weeks, with CUPED metrics or without. */
export function metricSumsExperiment(cuped: boolean, options: Partial<ExperimentOptions> = {}): Experiment {
  return new Experiment({
    id: 'ms',
    controlVariant: 'a',
    unitType: 'user',
    dateFrom: DATE_FROM,
    dateTo: '2024-03-28',
    dateFor: '2024-03-28',
    metrics: metricSumsMetrics(cuped),
    ...options,
  });
}

/**
 * A `goal` filter on `country` (which drops unit 4's order and unit 7's pre-period order of another
 * experiment), an `exposure` filter (not unit 2, exposed from DE) and a `trigger` filter (units with an
 * order: 1, 5 and 7).
 */
export const METRIC_SUMS_FILTERS: readonly Filter[] = [
  new Filter({ scope: 'goal', dimension: 'country', values: ['CZ'] }),
  new Filter({ scope: 'exposure', dimension: 'country', values: ['CZ', 'US'] }),
  new Filter({ scope: 'trigger', goal: 'order' }),
];
