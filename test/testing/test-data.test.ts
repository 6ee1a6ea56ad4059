import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestData } from '../../src/testing/index.js';
import { packageDataFolder } from '../../src/testing/package-data-folder.js';
import { FIXTURES } from '../support/fixtures.js';

const ROOT = join(FIXTURES, '..');

describe('TestData loads the bundled reference data', () => {
  it('reads every row of every file', () => {
    const evaluations = TestData.loadEvaluations();
    expect({
      agg: TestData.loadGoalsAgg().length,
      byUnit: TestData.loadGoalsByUnit().length,
      wide: TestData.loadGoalsSimpleAgg().length,
      metrics: evaluations.metrics.length,
      checks: evaluations.checks.length,
      exposures: evaluations.exposures.length,
    }).toEqual({ agg: 206, byUnit: 163, wide: 2, metrics: 83, checks: 79, exposures: 73 });
  });

  it('keeps text cells as text (empty dimension and date cells as empty strings) and numbers as numbers', () => {
    const [click] = TestData.loadGoalsAgg('test-dimension');
    expect(click).toEqual({
      exp_id: 'test-dimension',
      date: '',
      exp_variant_id: 'a',
      unit_type: 'test_unit_type',
      agg_type: 'global',
      goal: 'exposure',
      element: '',
      product: '',
      count: 1000,
      sum_sqr_count: 1000,
      sum_value: 1000,
      sum_sqr_value: 1000,
      count_unique: 1000,
    });
    const dated = TestData.loadGoalsAgg('test-sequential-v1');
    expect(dated.map((row) => row.date)).toContain('2020-01-14');
    expect(TestData.loadGoalsAgg('test-dim-operators').map((row) => row.product)).toEqual([
      '',
      '',
      '>1',
      '>1',
      '!=1',
      '!=1',
    ]);
  });

  it('filters by experiment id', () => {
    expect(TestData.loadGoalsAgg('test-conversion').every((row) => row.exp_id === 'test-conversion')).toBe(
      true,
    );
    expect(TestData.loadGoalsByUnit('test-real-valued')).toHaveLength(75);
    expect(TestData.loadGoalsAgg('no-such-experiment')).toEqual([]);
    expect(TestData.loadEvaluations('test-srm').checks).toHaveLength(3);
  });

  it('reads by-unit rows with their dimension columns and text unit ids', () => {
    const rows = TestData.loadGoalsByUnit('test-trigger');
    expect(rows.find((row) => row.goal === 'click')).toEqual({
      exp_id: 'test-trigger',
      exp_variant_id: 'a',
      unit_type: 'test_unit_type',
      agg_type: 'unit',
      goal: 'click',
      dimension: 'product',
      dimension_value: '1',
      unit_id: '1',
      count: 1,
      sum_value: 10,
    });
  });

  it('keeps the column order of wide rows (experiment id, variant, goals)', () => {
    const rows = TestData.loadGoalsSimpleAgg('test-simple-metric');
    expect(rows.map((row) => Object.entries(row))).toEqual([
      [
        ['exp_id', 'test-simple-metric'],
        ['variant', 'a'],
        ['views', 473661],
        ['clicks', 48194],
        ['conversions', 413],
        ['bookings', 17152],
        ['bookings_squared', 803105],
      ],
      [
        ['exp_id', 'test-simple-metric'],
        ['variant', 'b'],
        ['views', 471485],
        ['clicks', 47184],
        ['conversions', 360],
        ['bookings', 14503],
        ['bookings_squared', 677178],
      ],
    ]);
  });

  it('reads the spreadsheet cells N/A and NA as NaN, inf as Infinity, ids as numbers', () => {
    const { metrics, checks, exposures } = TestData.loadEvaluations();
    const exposureRow = metrics.find(
      (row) => row.exp_id === 'test-missing-default-exposure' && row.exp_variant_id === 'a',
    );
    expect(exposureRow).toMatchObject({
      metric_id: 1,
      metric_name: 'Click-through Rate',
      count: 0,
      sum_value: 30,
    });
    expect(exposureRow?.mean).toBe(Number.POSITIVE_INFINITY);
    expect(exposureRow?.diff).toBeNaN();
    expect(exposureRow?.['degrees of freedom']).toBeNaN();
    const fpr = metrics.find(
      (row) => row.exp_id === 'test-false-positive-risk' && row.exp_variant_id === 'b',
    );
    expect(fpr).toMatchObject({ power: 0.079165, required_sample_size: 26043, minimum_effect: 0.05 });
    expect(fpr?.false_positive_risk).toBeNaN();
    expect(checks[0]).toEqual({
      exp_id: 'test-srm',
      check_id: 1,
      check_name: 'SRM',
      variable_id: 'p_value',
      value: 0.140747987,
    });
    expect(exposures[0]).toEqual({
      exp_id: 'test-conversion',
      exp_variant_id: 'a',
      unit_type: 'test_unit_type',
      agg_type: 'global',
      goal: 'exposure',
      count: 21,
    });
  });

  it('returns fresh rows on every call', () => {
    const [first] = TestData.loadGoalsAgg('test-conversion');
    (first as Record<string, unknown>).count = -1;
    expect(TestData.loadGoalsAgg('test-conversion')[0]?.count).toBe(5);
  });

  it('finds the data folder from the sources and from any folder inside the package', () => {
    expect(packageDataFolder()).toBe(join(ROOT, 'fixtures', 'ep-stats'));
    expect(packageDataFolder(join(ROOT, 'dist', 'testing.cjs'))).toBe(join(ROOT, 'fixtures', 'ep-stats'));
    expect(() => packageDataFolder('/')).toThrow(/no package.json named ep-stats/);
  });
});

describe('the package ships ep-stats/testing and its data', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    files: string[];
    exports: Record<
      string,
      { import: { types: string; default: string }; require: { types: string; default: string } }
    >;
  };

  it('lists the data folder in `files` and the entry point in `exports`', () => {
    expect(manifest.files).toContain('fixtures/ep-stats');
    expect(manifest.exports['./testing']).toEqual({
      import: { types: './dist/testing.d.ts', default: './dist/testing.js' },
      require: { types: './dist/testing.d.cts', default: './dist/testing.cjs' },
    });
  });

  // A build of the package (tsup.config.ts) into a scratch folder inside node_modules, so the data is found by
  // walking up to the package root, as from an installed package's dist/; then both formats run in Node.
  let scratch = '';
  let built = '';
  beforeAll(() => {
    const cache = join(ROOT, 'node_modules', '.cache');
    mkdirSync(cache, { recursive: true });
    scratch = mkdtempSync(join(cache, 'testing-build-'));
    built = join(scratch, 'dist');
    execFileSync('npx', ['tsup', '--out-dir', relative(ROOT, built), '--silent'], {
      cwd: ROOT,
      stdio: 'pipe',
    });
  });
  afterAll(() => {
    if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
  });

  it('builds the files that `exports` names', () => {
    const files = readdirSync(built);
    for (const target of [manifest.exports['./testing']?.import, manifest.exports['./testing']?.require]) {
      expect(files).toContain(target?.types.replace('./dist/', ''));
      expect(files).toContain(target?.default.replace('./dist/', ''));
    }
  });

  // Loads the testing entry point (`load`) and reads the data through TestDao and TestData.
  // The main entry point's URL is the script's argument.
  const script = (load: string) =>
    `${load}.then(async (testing) => {
      const { Experiment } = await import(process.argv[1]);
      const experiment = new Experiment({ id: 'test-conversion', controlVariant: 'a', unitType: 'test_unit_type' });
      const rows = await new testing.TestDao().getAggGoals(experiment);
      console.log(JSON.stringify([rows.length, testing.TestData.loadEvaluations('test-conversion').metrics.length]));
    })`;
  const run = (...args: string[]) =>
    JSON.parse(
      execFileSync(process.execPath, [...args, pathToFileURL(join(built, 'index.js')).href], {
        encoding: 'utf8',
      }),
    ) as unknown;

  it('loads the data from the CommonJS build', () => {
    const entry = JSON.stringify(join(built, 'testing.cjs'));
    expect(run('-e', script(`Promise.resolve(require(${entry}))`))).toEqual([6, 3]);
  });

  it('loads the data from the ES module build', () => {
    const entry = JSON.stringify(pathToFileURL(join(built, 'testing.js')).href);
    expect(run('--input-type=module', '-e', script(`import(${entry})`))).toEqual([6, 3]);
  });

  it('shares one copy of every class between the entry points of the CommonJS build', () => {
    const core = JSON.stringify(join(built, 'index.cjs'));
    const testing = JSON.stringify(join(built, 'testing.cjs'));
    const output = execFileSync(
      process.execPath,
      [
        '-e',
        `const core = require(${core}); const testing = require(${testing});
        const filter = new core.Filter({ scope: 'goal', dimension: 'no_such_column', values: ['x'] });
        const experiment = new core.Experiment({ id: 'test-conversion', controlVariant: 'a', unitType: 'test_unit_type', filters: [filter] });
        new testing.TestDao().getAggGoals(experiment).then(
          () => console.log('resolved'),
          (error) => console.log(JSON.stringify([error.name, error instanceof core.DataError])),
        );`,
      ],
      { encoding: 'utf8' },
    );
    expect(JSON.parse(output)).toEqual(['DataError', true]);
  });
});
