import { describe, expect, it } from 'vitest';
import {
  type AggregatedGoalRow,
  DataError,
  Experiment,
  Filter,
  type FilterOptions,
  type UnitGoalRow,
} from '../../src/index.js';
import { TestDao, TestDaoFactory, type TestDataSource } from '../../src/testing/index.js';

// Small hand-made tables that isolate one rule of the reference's test data access each.

const aggregated = (
  goal: string,
  date: string,
  element: string,
  variant = 'a',
  exp_id = 'e',
): AggregatedGoalRow => ({
  exp_id,
  date,
  exp_variant_id: variant,
  unit_type: 'u',
  agg_type: goal === 'exposure' ? 'global' : 'unit',
  goal,
  element,
  count: 1,
  sum_sqr_count: 1,
  sum_value: 1,
  sum_sqr_value: 1,
  count_unique: 1,
});

const unit = (goal: string, unitId: string, dimension = '', dimensionValue = ''): UnitGoalRow => ({
  exp_id: 'e',
  exp_variant_id: 'a',
  unit_type: 'u',
  agg_type: 'unit',
  goal,
  dimension,
  dimension_value: dimensionValue,
  unit_id: unitId,
  count: 1,
  sum_value: 1,
});

const source = (agg: AggregatedGoalRow[], byUnit: UnitGoalRow[] = []): TestDataSource => ({
  loadGoalsAgg: () => agg,
  loadGoalsByUnit: () => byUnit,
});

const experiment = (options: {
  filters?: FilterOptions[];
  dateFrom?: string;
  dateTo?: string;
  dateFor?: string;
}): Experiment =>
  new Experiment({
    id: 'e',
    controlVariant: 'a',
    unitType: 'u',
    dateFrom: options.dateFrom,
    dateTo: options.dateTo,
    dateFor: options.dateFor ?? '2020-12-31',
    filters: (options.filters ?? []).map((filter) => new Filter(filter)),
  });

const describeRow = (row: AggregatedGoalRow | UnitGoalRow) =>
  `${row.goal}:${'unit_id' in row ? row.unit_id : `${row.date}/${row.element}`}`;

describe('TestDao.getAggGoals', () => {
  const rows = [
    aggregated('exposure', '2020-01-01', ''),
    aggregated('exposure', '2020-01-01', 'button-1'),
    aggregated('click', '2020-01-02', 'button-1'),
    aggregated('click', '2020-01-03', 'button-2'),
    aggregated('click', '2020-01-04', ''),
    aggregated('view', '', 'button-1'),
    aggregated('click', '2020-01-02', 'button-1', 'a', 'other-experiment'),
  ];
  const dao = new TestDao(source(rows));
  const goalsOf = async (options: Parameters<typeof experiment>[0]) =>
    (await dao.getAggGoals(experiment(options))).map(describeRow);

  it('returns the rows of the experiment only, all dates, without bounds', async () => {
    expect(await goalsOf({})).toEqual([
      'exposure:2020-01-01/',
      'exposure:2020-01-01/button-1',
      'click:2020-01-02/button-1',
      'click:2020-01-03/button-2',
      'click:2020-01-04/',
      'view:/button-1',
    ]);
  });

  it('with dateFrom and dateTo keeps dates up to the earlier of dateTo and dateFor, dropping undated rows', async () => {
    expect(await goalsOf({ dateFrom: '2020-01-02', dateTo: '2020-01-04', dateFor: '2020-01-03' })).toEqual([
      'click:2020-01-02/button-1',
      'click:2020-01-03/button-2',
    ]);
    expect(await goalsOf({ dateFrom: '2020-01-02', dateTo: '2020-01-03', dateFor: '2020-06-01' })).toEqual([
      'click:2020-01-02/button-1',
      'click:2020-01-03/button-2',
    ]);
  });

  it('with dateTo alone ignores dateFor', async () => {
    expect(await goalsOf({ dateTo: '2020-01-03', dateFor: '2020-01-01' })).toEqual([
      'exposure:2020-01-01/',
      'exposure:2020-01-01/button-1',
      'click:2020-01-02/button-1',
      'click:2020-01-03/button-2',
    ]);
  });

  it('an exposure filter restricts exposure rows only', async () => {
    expect(
      await goalsOf({ filters: [{ scope: 'exposure', dimension: 'element', values: ['button-1'] }] }),
    ).toEqual([
      'exposure:2020-01-01/button-1',
      'click:2020-01-02/button-1',
      'click:2020-01-03/button-2',
      'click:2020-01-04/',
      'view:/button-1',
    ]);
  });

  it('a goal filter restricts every goal but exposure, empty dimension cells matching no value', async () => {
    expect(
      await goalsOf({ filters: [{ scope: 'goal', dimension: 'element', values: ['button-2'] }] }),
    ).toEqual(['exposure:2020-01-01/', 'exposure:2020-01-01/button-1', 'click:2020-01-03/button-2']);
  });

  it('a trigger filter keeps exposures and the trigger goal, restricted to its values when given', async () => {
    expect(await goalsOf({ filters: [{ scope: 'trigger', goal: 'click' }] })).toEqual([
      'exposure:2020-01-01/',
      'exposure:2020-01-01/button-1',
      'click:2020-01-02/button-1',
      'click:2020-01-03/button-2',
      'click:2020-01-04/',
    ]);
    expect(
      await goalsOf({
        filters: [{ scope: 'trigger', goal: 'click', dimension: 'element', values: ['button-1'] }],
      }),
    ).toEqual(['exposure:2020-01-01/', 'exposure:2020-01-01/button-1', 'click:2020-01-02/button-1']);
  });

  it('several filters all apply', async () => {
    expect(
      await goalsOf({
        filters: [
          { scope: 'exposure', dimension: 'element', values: ['button-1'] },
          { scope: 'goal', dimension: 'element', values: ['button-1', 'button-2'] },
        ],
      }),
    ).toEqual([
      'exposure:2020-01-01/button-1',
      'click:2020-01-02/button-1',
      'click:2020-01-03/button-2',
      'view:/button-1',
    ]);
  });

  it('compares filter values as text', async () => {
    const numbered = new TestDao(source([aggregated('click', '', '1'), aggregated('click', '', '2')]));
    const rows = await numbered.getAggGoals(
      experiment({ filters: [{ scope: 'goal', dimension: 'element', values: [1] }] }),
    );
    expect(rows.map((row) => row.element)).toEqual(['1']);
  });

  it('rejects a filter on a dimension that no row has, naming the columns', async () => {
    const request = experiment({ filters: [{ scope: 'goal', dimension: 'country', values: ['cz'] }] });
    await expect(dao.getAggGoals(request)).rejects.toThrow(DataError);
    await expect(dao.getAggGoals(request)).rejects.toThrow(/`country`.*exp_id, date, exp_variant_id/);
  });

  it('rejects a date range over rows without a date column', async () => {
    const undated = new TestDao(source([{ ...aggregated('click', '', ''), date: undefined }]));
    await expect(undated.getAggGoals(experiment({ dateFrom: '2020-01-01' }))).rejects.toThrow(/`date`/);
  });
});

describe('TestDao.getUnitGoals', () => {
  const rows = [
    unit('exposure', '1', 'country', 'FR'),
    unit('exposure', '2', 'country', 'US'),
    unit('exposure', '3', 'country', 'FR'),
    unit('click', '1', 'product', 'p1'),
    unit('click', '2', 'product', 'p1'),
    unit('click', '3', 'product', 'p2'),
    unit('conversion', '1'),
    unit('conversion', '3'),
  ];
  const dao = new TestDao(source([], rows));
  const goalsOf = async (filters: FilterOptions[]) =>
    (await dao.getUnitGoals(experiment({ filters }))).map(describeRow);

  it('an exposure filter keeps every row of the units exposed with one of the values', async () => {
    expect(await goalsOf([{ scope: 'exposure', dimension: 'country', values: ['FR'] }])).toEqual([
      'exposure:1',
      'exposure:3',
      'click:1',
      'click:3',
      'conversion:1',
      'conversion:3',
    ]);
  });

  it('a trigger filter keeps every row of the units with the trigger goal (and value)', async () => {
    expect(
      await goalsOf([{ scope: 'trigger', goal: 'click', dimension: 'product', values: ['p1'] }]),
    ).toEqual(['exposure:1', 'exposure:2', 'click:1', 'click:2', 'conversion:1']);
  });

  it('exposure and trigger filters keep the units in both sets', async () => {
    expect(
      await goalsOf([
        { scope: 'trigger', goal: 'click', dimension: 'product', values: ['p1'] },
        { scope: 'exposure', dimension: 'country', values: ['FR'] },
      ]),
    ).toEqual(['exposure:1', 'click:1', 'conversion:1']);
  });

  it('a goal filter keeps exposure rows and the rows whose dimension matches, dropping rows without one', async () => {
    expect(await goalsOf([{ scope: 'goal', dimension: 'product', values: ['p2'] }])).toEqual([
      'exposure:1',
      'exposure:2',
      'exposure:3',
      'click:3',
    ]);
  });

  it('a goal filter before a trigger filter narrows the trigger rows (filters apply in order)', async () => {
    const goal: FilterOptions = { scope: 'goal', dimension: 'country', values: ['FR'] };
    const trigger: FilterOptions = { scope: 'trigger', goal: 'click' };
    expect(await goalsOf([trigger, goal])).toEqual(['exposure:1', 'exposure:2', 'exposure:3']);
    expect(await goalsOf([goal, trigger])).toEqual([]);
  });

  it('rejects a dimension filter over rows without dimension columns', async () => {
    const plain = new TestDao(
      source([], [{ ...unit('exposure', '1'), dimension: undefined, dimension_value: undefined }]),
    );
    const request = experiment({ filters: [{ scope: 'exposure', dimension: 'country', values: ['FR'] }] });
    await expect(plain.getUnitGoals(request)).rejects.toThrow(/`dimension`/);
    const trigger = experiment({ filters: [{ scope: 'trigger', goal: 'exposure' }] });
    expect(await plain.getUnitGoals(trigger)).toHaveLength(1);
  });
});

describe('TestDaoFactory', () => {
  it('hands out a new TestDao over its source per call', async () => {
    const factory = new TestDaoFactory(source([aggregated('click', '', '')]));
    const [first, second] = [await factory.getDao(), await factory.getDao()];
    expect(first).toBeInstanceOf(TestDao);
    expect(first).not.toBe(second);
    expect(await first.getAggGoals(experiment({}))).toHaveLength(1);
  });
});
