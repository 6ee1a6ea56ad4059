/**
 * The test oracle of metric sums: per-unit goal totals from raw event rows, the metrics evaluated per unit
 * with the library's `evaluatePerUnit`, summed per variant. Written to be obviously right, not fast.
 */
import {
  completeDimensions,
  type Experiment,
  type Expression,
  evaluatePerUnit,
  type GoalReference,
  goalMatchKey,
  type MetricSumsRow,
  type UnitGoalRow,
} from '../../../src/index.js';
import type { EventRecord } from '../../../src/sql/index.js';
import { mismatch, type Tolerance } from '../../support/fixtures.js';
import { conditionHolds, selectEvents } from './reference-unit-goals.js';

const text = (cell: unknown): string => (cell === null || cell === undefined ? '' : String(cell));

/** The calendar day `days` before `date` (`YYYY-MM-DD`), computed with UTC dates. */
export function dayBefore(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/** Whether an event is of the goal: unit type, name and every dimension condition. */
function matches(event: EventRecord, goal: GoalReference): boolean {
  return (
    event.unit_type === goal.unitType &&
    event.goal === goal.goal &&
    goal.dimensions.every((condition) => conditionHolds(text(event[condition.name]), condition))
  );
}

/** Per-goal totals (count, value) of a list of events. */
function totalsOf(events: readonly EventRecord[], goal: GoalReference): { count: number; value: number } {
  let count = 0;
  let value = 0;
  for (const event of events) {
    if (!matches(event, goal)) continue;
    count += Number(event.count ?? 0);
    value += Number(event.value ?? 0);
  }
  return { count, value };
}

/** The experiment's `goal` filters applied to events (exposures and events whose dimension is listed). */
function goalFiltered(events: readonly EventRecord[], experiment: Experiment): EventRecord[] {
  return events.filter((event) =>
    experiment.filters.every(
      (filter) =>
        filter.scope !== 'goal' ||
        event.goal === 'exposure' ||
        (text(event[filter.dimension ?? '']) !== '' &&
          (filter.values ?? []).map(String).includes(text(event[filter.dimension ?? '']))),
    ),
  );
}

/** An exposed unit of the experiment: its variant, its id and its events of the experiment period. */
interface ExposedUnit {
  readonly variant: string;
  readonly unit: string;
  readonly events: EventRecord[];
}

/**
 * The experiment's exposed units, as metric sums count them: (variant, unit id) of the selected events with
 * `count(<unitType>.unit.exposure)` above 0.
 */
function exposedUnits(events: readonly EventRecord[], experiment: Experiment): ExposedUnit[] {
  const units = new Map<string, ExposedUnit>();
  for (const event of selectEvents(events, experiment)) {
    const key = JSON.stringify([event.exp_variant_id, event.unit_id]);
    const unit = units.get(key) ?? {
      variant: text(event.exp_variant_id),
      unit: text(event.unit_id),
      events: [],
    };
    unit.events.push(event);
    units.set(key, unit);
  }
  const exposure: GoalReference = {
    kind: 'goal',
    fn: 'count',
    unitType: experiment.unitType,
    aggType: 'unit',
    goal: 'exposure',
    dimensions: [],
    span: { start: 0, end: 0 },
  };
  return [...units.values()].filter((unit) => totalsOf(unit.events, exposure).count > 0);
}

/** The events of a unit id in `[dateFrom - preDays, dateFrom)`, of any experiment, goal filters applied. */
function prePeriodEvents(
  events: readonly EventRecord[],
  experiment: Experiment,
  unit: string,
  preDays: number,
): EventRecord[] {
  const from = experiment.dateFrom ?? '';
  const start = dayBefore(from, preDays);
  return goalFiltered(
    events.filter(
      (event) =>
        event.unit_id !== null &&
        text(event.unit_id) === unit &&
        text(event.date) >= start &&
        text(event.date) < from &&
        text(event.date) !== '',
    ),
    experiment,
  );
}

/**
 * Metric sums as docs/sql.md ("Metric sums") defines them: exposed units (variant, unit id) of the
 * experiment's events, each metric's nominator `x` and denominator `y` per unit with `evaluatePerUnit`,
 * and for CUPED metrics `u` and `v` over the unit id's events in `[dateFrom - preDays, dateFrom)` of any
 * experiment (goal filters applied); sorted by metric, then variant.
 */
export function referenceMetricSums(events: readonly EventRecord[], experiment: Experiment): MetricSumsRow[] {
  const exposed = exposedUnits(events, experiment);
  const anyCuped = experiment.metrics.some((metric) => metric.cuped !== undefined);
  const variants = [...new Set(exposed.map((unit) => unit.variant))].sort();
  const rows: MetricSumsRow[] = [];
  for (const metric of experiment.metrics) {
    const perUnit = (
      expression: typeof metric.nominatorExpression,
      eventsOf: (index: number) => EventRecord[],
    ) => {
      const cache = new Map<string, { count: number[]; sumValue: number[] }>();
      return evaluatePerUnit(expression, exposed.length, (goal) => {
        const completed = completeDimensions(goal, experiment.dimensions);
        const key = goalMatchKey(completed, experiment.dimensions);
        let totals = cache.get(key);
        if (totals === undefined) {
          const list = exposed.map((_, index) => totalsOf(eventsOf(index), completed));
          totals = { count: list.map((t) => t.count), sumValue: list.map((t) => t.value) };
          cache.set(key, totals);
        }
        return totals;
      });
    };
    const during = (index: number) => exposed[index]!.events;
    const x = perUnit(metric.nominatorExpression, during);
    const y = perUnit(metric.denominatorExpression, during);
    const cuped = metric.cuped;
    const before = (index: number) =>
      prePeriodEvents(events, experiment, exposed[index]!.unit, cuped?.preDays ?? 0);
    const u = cuped === undefined ? undefined : perUnit(metric.nominatorExpression, before);
    const v = cuped === undefined ? undefined : perUnit(metric.denominatorExpression, before);
    for (const variant of variants) {
      const sums: Record<string, number> = {};
      const add = (name: string, value: number) => {
        sums[name] = (sums[name] ?? 0) + value;
      };
      let count = 0;
      exposed.forEach((unit, index) => {
        if (unit.variant !== variant) return;
        count++;
        const [xi, yi] = [x[index]!, y[index]!];
        add('sum_x', xi);
        add('sum_x2', xi * xi);
        add('sum_y', yi);
        add('sum_y2', yi * yi);
        add('sum_xy', xi * yi);
        if (!anyCuped) return;
        const [ui, vi] = [u?.[index] ?? 0, v?.[index] ?? 0];
        add('sum_u', ui);
        add('sum_u2', ui * ui);
        add('sum_v', vi);
        add('sum_v2', vi * vi);
        add('sum_xu', xi * ui);
        add('sum_xv', xi * vi);
        add('sum_yu', yi * ui);
        add('sum_yv', yi * vi);
        add('sum_uv', ui * vi);
      });
      rows.push({
        exp_id: experiment.id,
        exp_variant_id: variant,
        metric_id: metric.id,
        units: count,
        ...sums,
      } as MetricSumsRow);
    }
  }
  return rows;
}

/**
 * The pre-period rows of goals per unit as docs/sql.md ("Goals per unit") defines them: for every distinct
 * `preDays` d of the CUPED metrics, every goal of their nominators and denominators and every exposed unit
 * (variant, unit id) with matching events in `[dateFrom - d, dateFrom)` of any experiment (goal filters
 * applied), the sums of `count` and `value` with `pre_days` d; sorted by {@link unitRowKey}.
 */
export function referencePrePeriodUnitRows(
  events: readonly EventRecord[],
  experiment: Experiment,
): UnitGoalRow[] {
  const { dimensions } = experiment;
  const goals = new Map<string, { preDays: number; goal: GoalReference }>();
  for (const metric of experiment.metrics) {
    if (metric.cuped === undefined) continue;
    for (const expression of [metric.nominatorExpression, metric.denominatorExpression]) {
      for (const node of goalLeaves(expression)) {
        const goal = completeDimensions(node, dimensions);
        goals.set(JSON.stringify([metric.cuped.preDays, goalMatchKey(goal, dimensions)]), {
          preDays: metric.cuped.preDays,
          goal,
        });
      }
    }
  }
  const rows: UnitGoalRow[] = [];
  for (const unit of exposedUnits(events, experiment)) {
    for (const { preDays, goal } of goals.values()) {
      const matching = prePeriodEvents(events, experiment, unit.unit, preDays).filter((event) =>
        matches(event, goal),
      );
      if (matching.length === 0) continue;
      const { count, value } = totalsOf(matching, goal);
      const row: Record<string, string | number> = {
        exp_id: experiment.id,
        exp_variant_id: unit.variant,
        unit_type: goal.unitType,
        agg_type: goal.aggType,
        goal: goal.goal,
        unit_id: unit.unit,
        count,
        sum_value: value,
        pre_days: preDays,
      };
      for (const name of dimensions) {
        row[name] = goal.dimensions.find((condition) => condition.name === name)?.storedValue ?? '';
      }
      rows.push(row as unknown as UnitGoalRow);
    }
  }
  return rows.sort((a, b) => (unitRowKey(a, dimensions) < unitRowKey(b, dimensions) ? -1 : 1));
}

/** A unit goal row's identity as text: pre_days, unit type, aggregation type, goal, dimensions, variant, unit. */
export function unitRowKey(row: UnitGoalRow, dimensions: readonly string[]): string {
  return JSON.stringify([
    Number(row.pre_days ?? 0),
    row.unit_type,
    row.agg_type,
    row.goal,
    ...dimensions.map((name) => row[name]),
    row.exp_variant_id,
    row.unit_id,
  ]);
}

/** The goal leaves of an expression tree. */
function goalLeaves(expression: Expression): GoalReference[] {
  if (expression.kind === 'goal') return [expression];
  if (expression.kind === 'binary') return [...goalLeaves(expression.left), ...goalLeaves(expression.right)];
  return [];
}

/** Differences between two lists of metric sums rows (same order and identity; numbers within tolerance). */
export function metricSumsDifferences(
  actual: readonly MetricSumsRow[],
  expected: readonly MetricSumsRow[],
  tolerance: Tolerance,
): string[] {
  const problems: string[] = [];
  if (actual.length !== expected.length) problems.push(`${actual.length} rows, expected ${expected.length}`);
  expected.forEach((row, index) => {
    const other = actual[index] as Record<string, unknown> | undefined;
    const label = `metric ${String(row.metric_id)} variant ${row.exp_variant_id}`;
    if (other === undefined) return;
    if (other.metric_id !== row.metric_id || other.exp_variant_id !== row.exp_variant_id) {
      problems.push(
        `row ${index}: ${String(other.metric_id)}/${String(other.exp_variant_id)}, expected ${label}`,
      );
      return;
    }
    const columns = new Set([...Object.keys(row), ...Object.keys(other)]);
    for (const column of columns) {
      const expectedCell = (row as unknown as Record<string, unknown>)[column];
      if (typeof expectedCell !== 'number') {
        if (other[column] !== expectedCell)
          problems.push(`${label} ${column}: ${String(other[column])}, expected ${String(expectedCell)}`);
        continue;
      }
      const problem = mismatch(Number(other[column]), expectedCell, tolerance);
      if (problem) problems.push(`${label} ${column}: ${problem}`);
    }
  });
  return problems;
}
