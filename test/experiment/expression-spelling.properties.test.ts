import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AggregatedGoalRow,
  Experiment,
  type Expression,
  Metric,
  type MetricRow,
  parseExpression,
} from '../../src/index.js';
import { stripSpans } from '../expression/strip-spans.js';
import { aggregatedGoalRow } from '../support/goal-rows.js';

// Whitespace and redundant parentheses are spelling: no field of any metric row may depend on them. The
// definitions cover compound expressions, number literals and denominators that do and do not count units
// (a leading `value(...)` goal, also inside a compound denominator), each with a minimum effect and a null
// hypothesis rate so that sample size, power and false positive risk are computed.
const DEFINITIONS = [
  { nominator: 'count(u.unit.click)', denominator: 'count(u.global.exposure)' },
  { nominator: 'value(u.unit.revenue) - value(u.unit.refund)', denominator: 'value(u.unit.orders)' },
  {
    nominator: 'value(u.unit.revenue) * 2 + 1',
    denominator: 'value(u.unit.orders) + count(u.unit.click)',
  },
  {
    nominator: 'value(u.unit.revenue) / 100',
    denominator: 'count(u.unit.click) + value(u.unit.orders)',
  },
  {
    nominator: '(value(u.unit.revenue) - value(u.unit.refund)) * 3',
    denominator: '2 * value(u.unit.orders)',
  },
] as const;

const GOALS = [
  ['exposure', 'global'],
  ['click', 'unit'],
  ['revenue', 'unit'],
  ['refund', 'unit'],
  ['orders', 'unit'],
] as const;

const WHITESPACE = ['', '', ' ', '  ', '\t', '\n', '\r\n'];

/** A source of spelling choices: whitespace and how many redundant parentheses to add. */
type Choices = () => number;

/**
 * The expression spelled anew from its tree: goals and numbers as written in `text`, binary operands in
 * parentheses (needed or redundant), every node wrapped in 0 to 2 further pairs, random whitespace
 * between tokens.
 */
function respell(text: string, node: Expression, choose: Choices): string {
  const space = () => WHITESPACE[choose() % WHITESPACE.length]!;
  const body =
    node.kind === 'binary'
      ? `(${respell(text, node.left, choose)})${space()}${node.operator}${space()}(${respell(text, node.right, choose)})`
      : text.slice(node.span.start, node.span.end);
  let spelled = `${space()}${body}${space()}`;
  for (let wraps = choose() % 3; wraps > 0; wraps--) spelled = `${space()}(${spelled})${space()}`;
  return spelled;
}

function experimentOf(spell: (text: string) => string): Experiment {
  const metrics = DEFINITIONS.map(
    ({ nominator, denominator }, index) =>
      new Metric({
        id: index + 1,
        name: `m${index + 1}`,
        nominator: spell(nominator),
        denominator: spell(denominator),
        minimumEffect: 0.05,
      }),
  );
  return new Experiment({ id: 'x', controlVariant: 'a', unitType: 'u', metrics, nullHypothesisRate: 0.5 });
}

const goalTotals = fc.record({
  count: fc.integer({ min: 0, max: 5000 }),
  sum: fc.integer({ min: -2000, max: 20000 }),
  extraSquares: fc.integer({ min: 0, max: 100000 }),
});

const goalRows = fc
  .array(fc.array(goalTotals, { minLength: GOALS.length, maxLength: GOALS.length }), {
    minLength: 2,
    maxLength: 4,
  })
  .map((variants) =>
    variants.flatMap((totals, v) =>
      GOALS.map(([goal, aggType], g): AggregatedGoalRow => {
        const { count, sum, extraSquares } = totals[g]!;
        return aggregatedGoalRow(String.fromCharCode(97 + v), goal, count, {
          exp_id: 'x',
          agg_type: aggType,
          sum_value: sum,
          sum_sqr_value: (count === 0 ? 0 : (sum * sum) / count) + extraSquares,
        });
      }),
    ),
  );

const canonical = experimentOf((text) => text);

/** The fields that differ (by `Object.is`) between two lists of metric rows. */
function differences(expected: readonly MetricRow[], actual: readonly MetricRow[]): string[] {
  if (expected.length !== actual.length) return [`${expected.length} rows, got ${actual.length}`];
  return expected.flatMap((row, index) => {
    const other = actual[index] as unknown as Record<string, unknown>;
    return Object.entries(row)
      .filter(([field, value]) => !Object.is(value, other[field]))
      .map(([field, value]) => `row ${index} ${field}: ${String(value)} vs ${String(other[field])}`);
  });
}

describe('metric expressions are read from their tree, not their text', () => {
  it('respells every definition into text that parses to the same expression', () => {
    fc.assert(
      fc.property(fc.infiniteStream(fc.nat()), (stream) => {
        const choose = () => stream.next().value as number;
        for (const { nominator, denominator } of DEFINITIONS) {
          for (const text of [nominator, denominator]) {
            const spelled = respell(text, parseExpression(text), choose);
            expect(stripSpans(parseExpression(spelled))).toEqual(stripSpans(parseExpression(text)));
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('whitespace and redundant parentheses never change any field of any metric row of evaluateAgg', () => {
    fc.assert(
      fc.property(goalRows, fc.infiniteStream(fc.nat()), (rows, stream) => {
        const choose = () => stream.next().value as number;
        const respelled = experimentOf((text) => respell(text, parseExpression(text), choose));
        const expected = canonical.evaluateAgg(rows, { timestamp: 1 }).metrics;
        expect(differences(expected, respelled.evaluateAgg(rows, { timestamp: 1 }).metrics)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('decides on the leftmost term whether the denominator counts units', () => {
    const rows = [
      ...['a', 'b'].flatMap((variant) =>
        GOALS.map(([goal, aggType]) =>
          aggregatedGoalRow(variant, goal, 100, {
            exp_id: 'x',
            agg_type: aggType,
            sum_value: 50,
            sum_sqr_value: 60,
          }),
        ),
      ),
    ];
    const sampleSizes = canonical
      .evaluateAgg(rows, { timestamp: 1 })
      .metrics.filter((row) => row.expVariantId === 'b')
      .map((row) => row.sampleSize);
    // count / value / value + count / count + value / 2 * value: counts units unless a value goal leads.
    expect(sampleSizes).toEqual([100, Number.NaN, Number.NaN, 150, 100]);
    const spaced = new Metric({
      id: 1,
      name: 'm',
      nominator: 'value(u.unit.revenue)',
      denominator: ' value(u.unit.orders)',
    });
    const wrapped = new Metric({
      id: 1,
      name: 'm',
      nominator: 'value(u.unit.revenue)',
      denominator: '((value(u.unit.orders)))',
    });
    expect([spaced.denominatorCountsUnits, wrapped.denominatorCountsUnits]).toEqual([false, false]);
  });
});
