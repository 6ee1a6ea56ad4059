/**
 * The test oracle: goals per unit computed in memory from raw event rows, written to be obviously right
 * rather than fast. The SQL must give the same numbers.
 */
import type { DimensionCondition, Experiment, GoalReference, UnitGoalRow } from '../../../src/index.js';
import type { EventRecord } from '../../../src/sql/index.js';

const NUMBER = /^[+-]?([0-9]{1,30}([.][0-9]{0,30})?|[.][0-9]{1,30})$/;

const text = (cell: unknown): string => (cell === null || cell === undefined ? '' : String(cell));

/** Compares two strings by Unicode code points (as SQL's binary collation compares UTF-8 bytes). */
function compareCodePoints(a: string, b: string): number {
  const left = Array.from(a, (character) => character.codePointAt(0) ?? 0);
  const right = Array.from(b, (character) => character.codePointAt(0) ?? 0);
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    if (left[index] !== right[index]) return (left[index] ?? 0) - (right[index] ?? 0);
  }
  return left.length - right.length;
}

/** SQL LIKE where `%` is the only wildcard. */
function like(cell: string, pattern: string): boolean {
  const parts = pattern.split('%').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`, 'su').test(cell);
}

/** Whether an event's dimension cell satisfies a goal's condition (docs/sql.md, "Dimension conditions"). */
export function conditionHolds(cell: string, condition: DimensionCondition): boolean {
  const { operator, value } = condition;
  if (operator === '=' && value === '') return true;
  if (cell === '') return false;
  const alternatives = value.split('|').filter((alternative) => alternative !== '');
  const equalsAny = () =>
    alternatives.some((alternative) =>
      alternative.includes('%') ? like(cell, alternative) : cell === alternative,
    );
  switch (operator) {
    case '=':
      return equalsAny();
    case '!=':
      return !equalsAny();
    case '=^':
      return alternatives.some((alternative) => like(cell, `${alternative}%`));
    default: {
      const order =
        NUMBER.test(value) && NUMBER.test(cell)
          ? Number(cell) - Number(value)
          : compareCodePoints(cell, value);
      if (operator === '<') return order < 0;
      if (operator === '<=') return order <= 0;
      if (operator === '>') return order > 0;
      return order >= 0;
    }
  }
}

/** The experiment's events after dates and filters, as docs/sql.md ("Which events") describes. */
export function selectEvents(events: readonly EventRecord[], experiment: Experiment): EventRecord[] {
  let rows = events.filter(
    (event) =>
      text(event.exp_id) === experiment.id && event.exp_variant_id !== null && event.unit_id !== null,
  );
  const { dateFrom, dateTo } = experiment;
  if (dateFrom !== undefined || dateTo !== undefined) {
    const dateFor = experiment.evaluationDay();
    const last = dateFrom !== undefined && dateTo !== undefined && dateFor < dateTo ? dateFor : dateTo;
    rows = rows.filter((event) => {
      const date = text(event.date);
      return (
        date !== '' && (dateFrom === undefined || date >= dateFrom) && (last === undefined || date <= last)
      );
    });
  }
  const isOneOf = (
    event: EventRecord,
    dimension: string | undefined,
    values: readonly (string | number)[] = [],
  ) =>
    dimension !== undefined &&
    text(event[dimension]) !== '' &&
    values.map(String).includes(text(event[dimension]));
  for (const filter of experiment.filters.filter((f) => f.scope === 'goal')) {
    rows = rows.filter(
      (event) => event.goal === 'exposure' || isOneOf(event, filter.dimension, filter.values),
    );
  }
  const unitSets: Set<string>[] = [];
  for (const filter of experiment.filters.filter((f) => f.scope !== 'goal')) {
    const goal = filter.scope === 'exposure' ? 'exposure' : filter.goal;
    const restricted =
      filter.scope === 'exposure' || (!!filter.dimension && (filter.values?.length ?? 0) > 0);
    const units = rows
      .filter(
        (event) => event.goal === goal && (!restricted || isOneOf(event, filter.dimension, filter.values)),
      )
      .map((event) => text(event.unit_id));
    unitSets.push(new Set(units));
  }
  return rows.filter((event) => unitSets.every((units) => units.has(text(event.unit_id))));
}

/** The goals the unit rows hold: the experiment's, plus `count(<unitType>.unit.exposure)`. */
function unitQueryGoals(experiment: Experiment): GoalReference[] {
  const exposure: GoalReference = {
    kind: 'goal',
    fn: 'count',
    unitType: experiment.unitType,
    aggType: 'unit',
    goal: 'exposure',
    dimensions: experiment.dimensions.map((name) => ({ name, operator: '=', value: '', storedValue: '' })),
    span: { start: 0, end: 0 },
  };
  const stored = (goal: GoalReference) =>
    JSON.stringify([
      goal.unitType,
      goal.aggType,
      goal.goal,
      ...goal.dimensions.map((d) => [d.name, d.storedValue]),
    ]);
  const goals = [...experiment.goals];
  if (!goals.some((goal) => stored(goal) === stored(exposure))) goals.push(exposure);
  return goals;
}

/**
 * Goal rows per unit: for every goal the unit rows hold and every unit (variant, unit type, unit id) with a
 * matching event, the sums of `count` and `value` (null as 0) of its matching events.
 */
export function referenceUnitGoals(events: readonly EventRecord[], experiment: Experiment): UnitGoalRow[] {
  const selected = selectEvents(events, experiment);
  const rows: UnitGoalRow[] = [];
  for (const goal of unitQueryGoals(experiment)) {
    const totals = new Map<string, { variant: string; unit: string; count: number; value: number }>();
    for (const event of selected) {
      if (event.unit_type !== goal.unitType || event.goal !== goal.goal) continue;
      if (!goal.dimensions.every((condition) => conditionHolds(text(event[condition.name]), condition)))
        continue;
      const key = JSON.stringify([event.exp_variant_id, event.unit_id]);
      const total = totals.get(key) ?? {
        variant: text(event.exp_variant_id),
        unit: text(event.unit_id),
        count: 0,
        value: 0,
      };
      total.count += Number(event.count ?? 0);
      total.value += Number(event.value ?? 0);
      totals.set(key, total);
    }
    for (const total of totals.values()) {
      const row: Record<string, string | number> = {
        exp_id: experiment.id,
        exp_variant_id: total.variant,
        unit_type: goal.unitType,
        agg_type: goal.aggType,
        goal: goal.goal,
        unit_id: total.unit,
        count: total.count,
        sum_value: total.value,
      };
      for (const name of experiment.dimensions) {
        row[name] = goal.dimensions.find((condition) => condition.name === name)?.storedValue ?? '';
      }
      rows.push(row as unknown as UnitGoalRow);
    }
  }
  return rows;
}
