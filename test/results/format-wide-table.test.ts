import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors/validation-error.js';
import { Experiment, Metric } from '../../src/index.js';
import { formatWideTable } from '../../src/results/format-wide-table.js';
import { toWideTable } from '../../src/results/metric-wide-table.js';
import { readmeCase, threeVariantCase } from './evaluations.js';

const texts = (table: ReturnType<typeof formatWideTable>) =>
  table.rows.map((row) => [row.variantLabel, ...row.cells.map((cell) => cell.text)]);

describe('formatWideTable', () => {
  it('formats the README example as the reference does', () => {
    const { experiment, evaluation } = readmeCase();
    const table = formatWideTable(toWideTable(evaluation), experiment.metrics);
    // mean 5/21 = 23.81 %, 7/26 = 26.92 %; diff 0.1307692308 -> +13.1 %; ci 1.1817986934 around it;
    // p-value 0.8244735669 -> 0.824.
    expect(texts(table)).toEqual([
      ['A', '23.81%', '+0.0%', '-114.3%', '+114.3%', '1.000'],
      ['B', '26.92%', '+13.1%', '-105.1%', '+131.3%', '0.824'],
    ]);
    expect(table.columns.map((column) => column.label)).toEqual([
      'Mean',
      'Impact',
      'Conf. interval lower bound',
      'Conf. interval upper bound',
      'p-value',
    ]);
    expect(table.indexLabels).toEqual(['Experiment Id', 'Variant']);
  });

  it('formats the three-variant test with Holm-adjusted p-values', () => {
    const { experiment, evaluation } = threeVariantCase();
    const table = formatWideTable(toWideTable(evaluation), experiment.metrics);
    // Reference: means 5/21, 7/26, 9/30; diffs 0, 0.1307692308, 0.26; intervals 1.1432928869, 1.2332152446,
    // 1.3536951151; p-values 1 after Holm's adjustment.
    expect(texts(table)).toEqual([
      ['A', '23.81%', '+0.0%', '-114.3%', '+114.3%', '1.000'],
      ['B', '26.92%', '+13.1%', '-110.2%', '+136.4%', '1.000'],
      ['C', '30.00%', '+26.0%', '-109.4%', '+161.4%', '1.000'],
    ]);
  });

  it('marks p-value cells significant below the level, and only p-value cells', () => {
    const table = formatWideTable(
      {
        columns: [
          { metricId: 1, metricName: 'M', statistic: 'diff' },
          { metricId: 1, metricName: 'M', statistic: 'pValue' },
        ],
        rows: [0.049, 0.05, Number.NaN].map((pValue) => ({
          expId: 'x',
          expVariantId: 'b',
          values: [0.1, pValue],
        })),
      },
      [],
    );
    expect(table.rows.map((row) => row.cells)).toEqual([
      [{ text: '+10.0%' }, { text: '0.049', significant: true }],
      [{ text: '+10.0%' }, { text: '0.050', significant: false }],
      [{ text: '+10.0%' }, { text: 'nan', significant: false }],
    ]);
  });

  it("applies each metric's multiplier and format to its mean, matched by id", () => {
    const metric = (id: number, options: object) =>
      new Metric({
        id,
        name: `M${id}`,
        nominator: 'count(u.unit.click)',
        denominator: 'count(u.global.exposure)',
        ...options,
      });
    const metrics = [
      metric(2, { metricFormat: '{:.1f} ‰', metricValueMultiplier: 1000 }),
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Python template with a literal dollar sign
      metric(1, { metricFormat: '${:,.2f}' }),
    ];
    const table = formatWideTable(
      {
        columns: [
          { metricId: 1, metricName: 'M1', statistic: 'mean' },
          { metricId: 2, metricName: 'M2', statistic: 'mean' },
        ],
        rows: [{ expId: 'x', expVariantId: 'a', values: [1234.5, 0.0123] }],
      },
      metrics,
    );
    expect(table.rows[0]!.cells.map((cell) => cell.text)).toEqual(['$1,234.50', '12.3 ‰']);
  });

  it('takes other templates and significance level as options', () => {
    const { experiment, evaluation } = readmeCase();
    const table = formatWideTable(toWideTable(evaluation), experiment.metrics, {
      impactFormat: '{:+.3f}',
      pValueFormat: 'p={:.2f}',
      significanceLevel: 0.9,
    });
    expect(table.rows[1]!.cells.map((cell) => cell.text)).toEqual([
      '26.92%',
      '+0.131',
      '-1.051',
      '+1.313',
      'p=0.82',
    ]);
    expect(table.rows[1]!.cells[4]!.significant).toBe(true);
    expect(table.significanceLevel).toBe(0.9);
  });

  it('capitalises each word of the variant id for display', () => {
    const table = formatWideTable(
      { columns: [], rows: [{ expId: 'x', expVariantId: 'variant-b2c', values: [] }] },
      [],
    );
    expect(table.rows[0]!.variantLabel).toBe('Variant-B2C');
    expect(table.rows[0]!.expVariantId).toBe('variant-b2c');
  });

  it('names a metric missing from the definitions', () => {
    const { evaluation } = readmeCase();
    const other = new Experiment({
      id: 'x',
      controlVariant: 'a',
      unitType: 'u',
      metrics: [
        new Metric({ id: 7, name: 'Other', nominator: 'count(u.unit.a)', denominator: 'count(u.global.b)' }),
      ],
    });
    expect(() => formatWideTable(toWideTable(evaluation), other.metrics)).toThrow(
      /Metric 1 \("Click-through Rate"\) of the table is not among the metrics passed \(ids \[7\]\)/,
    );
  });

  it('reports an invalid metric format with its path', () => {
    const metric = new Metric({
      id: 1,
      name: 'CTR',
      nominator: 'count(u.unit.click)',
      denominator: 'count(u.global.exposure)',
      metricFormat: '{:.2d}',
    });
    let caught: unknown;
    try {
      formatWideTable({ columns: [], rows: [] }, [metric]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).path).toEqual(['metrics', 0, 'metricFormat']);
    expect((caught as ValidationError).message).toContain('"{:.2d}"');
  });

  it('rejects a significance level outside (0, 1)', () => {
    expect(() => formatWideTable({ columns: [], rows: [] }, [], { significanceLevel: 5 })).toThrow(
      ValidationError,
    );
  });
});
