import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { consumer, ROOT } from './support/packed-package.js';

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  files: string[];
  exports: Record<
    string,
    { import: { types: string; default: string }; require: { types: string; default: string } }
  >;
  peerDependencies: Record<string, string>;
};

describe('the installed package ships ep-stats/testing and its data', () => {
  // The testing kit's one library, at the range package.json declares for it.
  const { dir } = consumer('testing-kit', [`csv-parse@${manifest.peerDependencies['csv-parse']}`]);
  const node = (args: readonly string[]) =>
    JSON.parse(execFileSync(process.execPath, [...args], { cwd: dir, encoding: 'utf8' })) as unknown;

  // Reads the data through TestDao and TestData (6 aggregated goal rows and 3 expected metric rows of
  // test-conversion in fixtures/ep-stats: goals_agg.csv and evaluations_metrics.csv).
  const body = `
    const experiment = new core.Experiment({ id: 'test-conversion', controlVariant: 'a', unitType: 'test_unit_type' });
    const rows = await new testing.TestDao().getAggGoals(experiment);
    console.log(JSON.stringify([rows.length, testing.TestData.loadEvaluations('test-conversion').metrics.length]));`;

  it('lists the data folder in `files` and the entry point in `exports`', () => {
    expect(manifest.files).toContain('fixtures/ep-stats');
    expect(manifest.exports['./testing']).toEqual({
      import: { types: './dist/testing.d.ts', default: './dist/testing.js' },
      require: { types: './dist/testing.d.cts', default: './dist/testing.cjs' },
    });
  });

  it('loads the data from the ES module build', () => {
    const script = `import * as core from 'ep-stats'; import * as testing from 'ep-stats/testing';${body}`;
    expect(node(['--input-type=module', '-e', script])).toEqual([6, 3]);
  });

  it('loads the data from the CommonJS build', () => {
    const script = `const core = require('ep-stats'); const testing = require('ep-stats/testing');
      (async () => {${body}})();`;
    expect(node(['-e', script])).toEqual([6, 3]);
  });

  it('shares one copy of every class between the entry points of the CommonJS build', () => {
    const script = `const core = require('ep-stats'); const testing = require('ep-stats/testing');
      const filter = new core.Filter({ scope: 'goal', dimension: 'no_such_column', values: ['x'] });
      const experiment = new core.Experiment({ id: 'test-conversion', controlVariant: 'a', unitType: 'test_unit_type', filters: [filter] });
      new testing.TestDao().getAggGoals(experiment).then(
        () => console.log('"resolved"'),
        (error) => console.log(JSON.stringify([error.name, error instanceof core.DataError])),
      );`;
    expect(node(['-e', script])).toEqual(['DataError', true]);
  });

  it('finds the installed package folder', () => {
    const script = `import { packageFolder } from 'ep-stats/testing'; console.log(JSON.stringify(packageFolder()));`;
    expect(node(['--input-type=module', '-e', script])).toBe(join(dir, 'node_modules', 'ep-stats'));
  });
});
