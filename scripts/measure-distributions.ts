/**
 * Measures the accuracy of the distribution functions available to ep-stats against exact values.
 *
 * Reads `fixtures/distributions.json` (exact values from mpmath, plus SciPy's, written by
 * `scripts/generate-distribution-fixtures.py`), evaluates jstat, stdlib used directly, and ep-stats'
 * `src/statistics/distributions.ts` on every case, and prints the largest relative error per function and
 * library (absolute floor 1e-300), with the arguments where it occurs. The table in `docs/numerics.md`
 * comes from this script.
 *
 * Usage: npx tsx scripts/measure-distributions.ts
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import gammainc from '@stdlib/math-base-special-gammainc';
import stdlibNormalCdf from '@stdlib/stats-base-dists-normal-cdf';
import stdlibNormalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import stdlibTCdf from '@stdlib/stats-base-dists-t-cdf';
import stdlibTQuantile from '@stdlib/stats-base-dists-t-quantile';
import {
  chiSquareUpperTail,
  normalCdf,
  normalQuantile,
  normalUpperTail,
  studentTCdf,
  studentTQuantile,
  studentTUpperTail,
} from '../src/statistics/distributions.js';

/** The part of jstat's API measured here (jstat ships no type declarations). */
interface JStat {
  studentt: { cdf(x: number, dof: number): number; inv(p: number, dof: number): number };
  normal: {
    cdf(x: number, mean: number, std: number): number;
    inv(p: number, mean: number, std: number): number;
  };
  chisquare: { cdf(x: number, dof: number): number };
}

type FixtureNumber = number | 'NaN' | 'Infinity' | '-Infinity';
type FunctionName =
  | 'studentTUpperTail'
  | 'studentTCdf'
  | 'studentTQuantile'
  | 'normalCdf'
  | 'normalUpperTail'
  | 'normalQuantile'
  | 'chiSquareUpperTail';

interface FixtureCase {
  fn: FunctionName;
  args: FixtureNumber[];
  expected: FixtureNumber;
  scipy: FixtureNumber;
}

const SMALLEST = 1e-300;
const { jStat } = createRequire(import.meta.url)('jstat') as { jStat: JStat };

function decode(value: FixtureNumber): number {
  return typeof value === 'number' ? value : Number(value);
}

type Library = 'jstat 1.9.6' | 'stdlib (direct)' | 'ep-stats' | 'SciPy 1.17';
type Implementation = (args: number[]) => number;

const IMPLEMENTATIONS: Record<Exclude<Library, 'SciPy 1.17'>, Record<FunctionName, Implementation>> = {
  'jstat 1.9.6': {
    studentTUpperTail: ([x, df]) => jStat.studentt.cdf(-x!, df!),
    studentTCdf: ([x, df]) => jStat.studentt.cdf(x!, df!),
    studentTQuantile: ([p, df]) => jStat.studentt.inv(p!, df!),
    normalCdf: ([x]) => jStat.normal.cdf(x!, 0, 1),
    normalUpperTail: ([x]) => jStat.normal.cdf(-x!, 0, 1),
    normalQuantile: ([p]) => jStat.normal.inv(p!, 0, 1),
    chiSquareUpperTail: ([x, df]) => 1 - jStat.chisquare.cdf(x!, df!),
  },
  'stdlib (direct)': {
    studentTUpperTail: ([x, df]) => stdlibTCdf(-x!, df!),
    studentTCdf: ([x, df]) => stdlibTCdf(x!, df!),
    studentTQuantile: ([p, df]) => stdlibTQuantile(p!, df!),
    normalCdf: ([x]) => stdlibNormalCdf(x!, 0, 1),
    normalUpperTail: ([x]) => stdlibNormalCdf(-x!, 0, 1),
    normalQuantile: ([p]) => stdlibNormalQuantile(p!, 0, 1),
    chiSquareUpperTail: ([x, df]) => (x! <= 0 ? 1 : gammainc(x! / 2, df! / 2, true, true)),
  },
  'ep-stats': {
    studentTUpperTail: ([x, df]) => studentTUpperTail(x!, df!),
    studentTCdf: ([x, df]) => studentTCdf(x!, df!),
    studentTQuantile: ([p, df]) => studentTQuantile(p!, df!),
    normalCdf: ([x]) => normalCdf(x!),
    normalUpperTail: ([x]) => normalUpperTail(x!),
    normalQuantile: ([p]) => normalQuantile(p!),
    chiSquareUpperTail: ([x, df]) => chiSquareUpperTail(x!, df!),
  },
};

/** Relative error with an absolute floor; a missing or non-finite answer counts as infinitely wrong. */
function relativeError(actual: number, expected: number): number {
  if (actual === expected) return 0;
  if (!Number.isFinite(actual)) return Number.POSITIVE_INFINITY;
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), SMALLEST);
}

interface Worst {
  error: number;
  args: number[];
  actual: number;
  expected: number;
}

/** Row label: the function, with a range of degrees of freedom where accuracy depends on it. */
function rowLabel(fn: FunctionName, args: number[]): string {
  const df = args[1]!;
  if (fn.startsWith('studentT')) {
    if (df <= 1e3) return `${fn}, df <= 1e3`;
    if (df <= 1e9) return `${fn}, 1e3 < df <= 1e9`;
    return `${fn}, df > 1e9 or Infinity`;
  }
  if (fn === 'chiSquareUpperTail') {
    return df <= 500 ? `${fn}, df <= 500` : `${fn}, df > 500`;
  }
  return fn;
}

interface Row {
  cases: number;
  worst: Map<Library, Worst>;
}

function measure(cases: readonly FixtureCase[]): Map<string, Row> {
  const table = new Map<string, Row>();
  for (const testCase of cases) {
    const args = testCase.args.map(decode);
    const expected = decode(testCase.expected);
    const label = rowLabel(testCase.fn, args);
    const row = table.get(label) ?? { cases: 0, worst: new Map<Library, Worst>() };
    table.set(label, row);
    row.cases += 1;
    const answers: [Library, number][] = [
      ...Object.entries(IMPLEMENTATIONS).map(
        ([library, functions]) => [library as Library, functions[testCase.fn](args)] as [Library, number],
      ),
      ['SciPy 1.17', decode(testCase.scipy)],
    ];
    for (const [library, actual] of answers) {
      const error = relativeError(actual, expected);
      const worst = row.worst.get(library);
      if (worst === undefined || error > worst.error) {
        row.worst.set(library, { error, args, actual, expected });
      }
    }
  }
  return table;
}

function formatError(error: number): string {
  if (error === 0) return '0';
  if (!Number.isFinite(error)) return 'fails';
  return error.toExponential(1);
}

function main(): void {
  const path = join(import.meta.dirname, '..', 'fixtures', 'distributions.json');
  const { cases } = JSON.parse(readFileSync(path, 'utf8')) as { cases: FixtureCase[] };
  const table = measure(cases);
  const libraries: Library[] = ['jstat 1.9.6', 'stdlib (direct)', 'ep-stats', 'SciPy 1.17'];
  console.log(`Largest relative error over ${cases.length} cases (absolute floor ${SMALLEST}):\n`);
  console.log(`| function | cases | ${libraries.join(' | ')} |`);
  console.log(`| --- | ---: | ${libraries.map(() => '---:').join(' | ')} |`);
  const labels = [...table.keys()].sort();
  for (const label of labels) {
    const row = table.get(label)!;
    const cells = libraries.map((library) => formatError(row.worst.get(library)?.error ?? 0));
    console.log(`| ${label} | ${row.cases} | ${cells.join(' | ')} |`);
  }
  console.log('\nWhere the largest error occurs (args -> returned vs exact), when above 1e-13:');
  for (const label of labels) {
    for (const library of libraries) {
      const worst = table.get(label)!.worst.get(library);
      if (worst !== undefined && worst.error > 1e-13) {
        console.log(
          `  ${label.split(',')[0]}(${worst.args.join(', ')}) ${library}: ${worst.actual} vs ${worst.expected} ` +
            `(${formatError(worst.error)})`,
        );
      }
    }
  }
}

main();
