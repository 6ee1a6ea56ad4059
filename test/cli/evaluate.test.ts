import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TestData } from '../../src/testing/index.js';
import { parseJsonWithNonFinite, ROOT, runCli } from './run-cli.js';
import { FILE, GOALS, libraryExperiment } from './testing-options-fixture.js';

const EXAMPLES = 'fixtures/examples';
const dimension = ['--experiment', `${EXAMPLES}/test-dimension.experiment.json`];
const dimensionGoals = ['--goals', `${EXAMPLES}/test-dimension.goals.csv`];
const scratch = mkdtempSync(join(tmpdir(), 'ep-stats-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Writes a file into a scratch folder and returns its path. */
function scratchFile(name: string, content: string): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

/** The test-dimension definition with some fields changed. */
function dimensionDefinition(
  change: (definition: Record<string, unknown> & { metrics: Record<string, unknown>[] }) => void,
) {
  const definition = JSON.parse(readFileSync(join(ROOT, EXAMPLES, 'test-dimension.experiment.json'), 'utf8'));
  change(definition);
  return JSON.stringify(definition);
}

interface JsonMetricRow {
  readonly metric_id: number;
  readonly exp_variant_id: string;
  readonly mean: number;
  readonly diff: number;
  readonly p_value: number;
  readonly sample_size: number;
  readonly required_sample_size: number;
}

interface JsonEvaluation {
  readonly exp_id: string;
  readonly metrics: readonly JsonMetricRow[];
  readonly checks: readonly { readonly variable_id: string; readonly value: number }[];
  readonly exposures: readonly { readonly exp_variant_id: string; readonly exposures: number }[];
  readonly warnings: readonly JsonWarning[];
}

interface JsonWarning {
  readonly code: string;
  readonly message: string;
  readonly goal?: string;
  readonly suggestion?: string;
}

/** The `warning [<code>]: ...` lines of standard error with the given code. */
function warningLines(stderr: string, code: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith(`warning [${code}]: `));
}

/** The test-dimension definition with metric 1 counting the misspelled goal `views` (the data has `view`). */
const misspelledGoal = () =>
  dimensionDefinition((definition) => {
    definition.metrics[0]!.nominator = 'count(test_unit_type.unit.views)';
  });

describe.concurrent('ep-stats evaluate', () => {
  it('prints the scorecard of the bundled example with the +33.2% impact of button-%', async () => {
    const { code, stdout, stderr } = await runCli(['evaluate', ...dimension, ...dimensionGoals]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // button-%: B has 400 views of 1001 exposures, A 300 of 1000: 0.3996 / 0.3 - 1 = 0.332.
    // Variants verbatim, the control's comparisons empty, the exposures as units.
    const button = stdout.split('Views per User of Screen button-%')[1] ?? '';
    expect(button).toMatch(/\na \(control\)\s+1,000\s+30\.00%\s+—\s+—/);
    expect(button).toMatch(/\nb\s+1,001\s+39\.96%\s+\+33\.2%/);
    // button-1: 220 / 1001 = 21.98 %, 0.21978 / 0.2 - 1 = +9.9 %.
    expect(stdout).toMatch(/\nb\s+1,001\s+21\.98%\s+\+9\.9%/);
    expect(stdout).toMatch(/SRM\s+p_value\s+0\.9822\s+passed/);
    expect(stdout).toMatch(/\nb\s+1,001\n/);
    expect(stdout).toContain('\nLegend\n');
    expect(stdout).not.toContain('\x1b[');
  });

  it('colours p-values only with --color', async () => {
    const { stdout } = await runCli(['evaluate', ...dimension, ...dimensionGoals, '--color']);
    // No metric declares a preferred direction: a significant change is an increase, in bold.
    expect(stdout).toContain('\x1b[1mincrease');
  });

  it('writes the evaluation rows as JSON with bare NaN tokens', async () => {
    const { code, stdout } = await runCli(['evaluate', ...dimension, ...dimensionGoals, '--format', 'json']);
    expect(code).toBe(0);
    expect(stdout).toContain('"false_positive_risk":NaN');
    const evaluation = parseJsonWithNonFinite(stdout) as JsonEvaluation;
    const b = evaluation.metrics.find((row) => row.metric_id === 2 && row.exp_variant_id === 'b');
    expect(b?.diff).toBeCloseTo(400 / 1001 / 0.3 - 1, 12);
    expect(Number.isNaN(evaluation.metrics[0]?.required_sample_size)).toBe(true);
    expect(evaluation.exposures).toEqual([
      { exp_id: 'test-dimension', exp_variant_id: 'a', exposures: 1000 },
      { exp_id: 'test-dimension', exp_variant_id: 'b', exposures: 1001 },
    ]);
  });

  it('writes standard JSON with --strict-json', async () => {
    const { stdout } = await runCli([
      'evaluate',
      ...dimension,
      ...dimensionGoals,
      '--format',
      'json',
      '--strict-json',
    ]);
    const evaluation = JSON.parse(stdout) as JsonEvaluation & { metrics: { non_finite?: object }[] };
    expect(evaluation.metrics[0]?.required_sample_size).toBeNull();
    expect(evaluation.metrics[0]?.non_finite).toMatchObject({ required_sample_size: 'NaN' });
  });

  it('renders Markdown and HTML', async () => {
    const markdown = await runCli(['evaluate', ...dimension, ...dimensionGoals, '--format', 'markdown']);
    expect(markdown.stdout).toContain('## Experiment test-dimension');
    expect(markdown.stdout).toMatch(/\| b \| 1,001 \| 39\.96% \| \+33\.2% \|/);
    expect(markdown.stdout).toContain('### Legend');
    // HTML: the self-contained report, with the scorecard's rows and verdicts.
    const html = await runCli(['evaluate', ...dimension, ...dimensionGoals, '--format', 'html']);
    expect(html.stdout.startsWith('<!doctype html>')).toBe(true);
    expect(html.stdout).toMatch(
      /<tr class="treatment" data-variant="b" data-verdict="increase">.*<td>\+33\.2%<\/td>/,
    );
    expect(html.stdout).not.toMatch(/<(script|link)\b|src="http/);
  });

  it('writes the HTML report and the forest plot to files with --report and --plot, replacing them', async () => {
    const report = join(scratch, 'report.html');
    const plot = join(scratch, 'plot.svg');
    writeFileSync(report, 'old');
    const { code, stdout, stderr } = await runCli([
      'evaluate',
      ...dimension,
      ...dimensionGoals,
      '--report',
      report,
      '--plot',
      plot,
    ]);
    expect(code, stderr).toBe(0);
    // The scorecard still goes to stdout; stderr says where the files are.
    expect(stdout).toContain('Experiment test-dimension');
    expect(stderr).toContain(`wrote the HTML report to ${report}`);
    expect(stderr).toContain(`wrote the forest plot to ${plot}`);
    const html = readFileSync(report, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<h1>Experiment test-dimension</h1>');
    const svg = readFileSync(plot, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    // One row per metric and treatment: 2 metrics x 1 treatment.
    expect(svg.match(/data-verdict=/g)?.length).toBe(2);
  });

  it('names the --report file it cannot write (exit 2)', async () => {
    const { code, stderr } = await runCli(['evaluate', ...dimension, ...dimensionGoals, '--report', scratch]);
    expect(code).toBe(2);
    expect(stderr).toContain(`cannot write the --report file ${JSON.stringify(scratch)}: it is a directory`);
  });

  it('evaluates goals per unit with --by-unit', async () => {
    const { code, stdout } = await runCli([
      'evaluate',
      '--by-unit',
      '--experiment',
      `${EXAMPLES}/test-real-valued.experiment.json`,
      '--goals',
      `${EXAMPLES}/test-real-valued.goals.csv`,
      '--format',
      'json',
    ]);
    expect(code).toBe(0);
    const evaluation = parseJsonWithNonFinite(stdout) as JsonEvaluation;
    // The spreadsheet's test-real-valued: means 92 / 23 and 197 / 27, p-value 0.1790170193.
    const expected = TestData.loadEvaluations('test-real-valued').metrics;
    for (const row of evaluation.metrics) {
      const reference = expected.find(
        (e) => e.exp_variant_id === row.exp_variant_id && e.metric_id === row.metric_id,
      );
      expect(row.mean).toBeCloseTo(Number(reference?.mean), 9);
      expect(row.p_value).toBeCloseTo(Number(reference?.p_value), 6);
    }
    expect(evaluation.metrics.map((row) => row.mean)).toEqual([92 / 23, 197 / 27]);
  });

  it('evaluates wide rows with --wide, value() denominators counting units as SimpleMetric does', async () => {
    const { code, stdout } = await runCli([
      'evaluate',
      '--wide',
      '--experiment',
      `${EXAMPLES}/test-simple-metric.experiment.json`,
      '--goals',
      'fixtures/ep-stats/goals_simple_agg.csv',
      '--format',
      'json',
    ]);
    expect(code).toBe(0);
    const evaluation = parseJsonWithNonFinite(stdout) as JsonEvaluation;
    const expected = TestData.loadEvaluations('test-simple-metric').metrics;
    expect(evaluation.metrics).toHaveLength(6);
    // Means from goals_simple_agg.csv: clicks / views, conversions / views, bookings / views per variant.
    expect(evaluation.metrics.map((row) => row.mean)).toEqual([
      48194 / 473661,
      47184 / 471485,
      413 / 473661,
      360 / 471485,
      17152 / 473661,
      14503 / 471485,
    ]);
    for (const row of evaluation.metrics) {
      const reference = expected.find(
        (e) => e.exp_variant_id === row.exp_variant_id && e.metric_id === row.metric_id,
      );
      expect(reference).toBeDefined();
      // The spreadsheet rounds to 10 decimal places.
      expect(Math.abs(row.mean - Number(reference?.mean))).toBeLessThan(1e-10);
      expect(row.sample_size).toBe(Number(reference?.sample_size));
    }
  });

  it('reads JSON goals, as rows or as columns', async () => {
    const rows = readFileSync(join(ROOT, EXAMPLES, 'test-dimension.goals.csv'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(','));
    const [header = [], ...cells] = rows;
    const objects = cells.map((line) => Object.fromEntries(header.map((name, i) => [name, line[i]])));
    const columns = Object.fromEntries(header.map((name, i) => [name, cells.map((line) => line[i])]));
    for (const goals of [objects, columns]) {
      const path = scratchFile(
        `goals-${Array.isArray(goals) ? 'rows' : 'columns'}.json`,
        JSON.stringify(goals),
      );
      const { code, stdout } = await runCli(['evaluate', ...dimension, '--goals', path]);
      expect(code).toBe(0);
      expect(stdout).toContain('+33.2%');
    }
  });

  it('names the field and the character of an expression that does not parse (exit 1)', async () => {
    const path = scratchFile(
      'bad-expression.json',
      dimensionDefinition((definition) => {
        definition.metrics[1]!.nominator = 'count(test_unit_type.session.view(element=button-%))';
      }),
    );
    const { code, stdout, stderr } = await runCli(['evaluate', '--experiment', path, ...dimensionGoals]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const [message, expression, carets] = stderr.split('\n');
    // The message is the REST API's (the reference's wording), naming the field and the character.
    expect(message).toMatch(
      new RegExp(`^error: ${escapeRegExp(path)}: metrics\\[1\\]\\.nominator: Cannot parse nominator `),
    );
    expect(message).toContain('`session` received. (at character 21)');
    expect(expression).toBe('count(test_unit_type.session.view(element=button-%))');
    expect(carets).toBe(`${' '.repeat(21)}^^^^^^^`);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('names the field of an invalid definition value and of an unknown field (exit 1)', async () => {
    const negative = scratchFile(
      'negative-effect.json',
      dimensionDefinition((definition) => {
        definition.metrics[0]!.minimum_effect = -0.1;
      }),
    );
    const typo = scratchFile(
      'typo.json',
      dimensionDefinition((definition) => {
        definition.controlvariant = 'a';
      }),
    );
    const first = await runCli(['evaluate', '--experiment', negative, ...dimensionGoals]);
    expect(first.code).toBe(1);
    expect(first.stderr).toBe(
      `error: ${negative}: metrics[0].minimum_effect: minimum_effect must be greater than zero.\n`,
    );
    const second = await runCli(['evaluate', '--experiment', typo, ...dimensionGoals]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(
      // `control_variant` is in the file too, so it is not suggested.
      /^error: .*typo\.json: controlvariant: Unknown field `controlvariant` of the experiment file\. Known fields: id, control_variant, /,
    );
  });

  it('names the line and column of a goal cell that is not a number (exit 1)', async () => {
    const lines = readFileSync(join(ROOT, EXAMPLES, 'test-dimension.goals.csv'), 'utf8').split('\n');
    // Line 5 of the file (the header is line 1): its `count` cell (the 9th) becomes text.
    lines[4] = lines[4]!.replace(/^((?:[^,]*,){8})[^,]*/, '$1twelve');
    const path = scratchFile('bad-cell.csv', lines.join('\n'));
    const { code, stderr } = await runCli(['evaluate', ...dimension, '--goals', path]);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `error: ${path} line 5, column \`count\`: expected a number, received \`twelve\` (text)\n`,
    );
  });

  it('rejects malformed files with exit code 1', async () => {
    const json = scratchFile('broken.json', '{"id": ');
    const csv = scratchFile('ragged.csv', 'exp_id,goal\ntest-dimension,view,extra\n');
    const broken = await runCli(['evaluate', '--experiment', json, ...dimensionGoals]);
    expect([broken.code, broken.stderr]).toEqual([
      1,
      expect.stringMatching(/^error: .*broken\.json is not valid JSON: /),
    ]);
    const ragged = await runCli(['evaluate', ...dimension, '--goals', csv]);
    expect([ragged.code, ragged.stderr]).toEqual([
      1,
      expect.stringMatching(/^error: .*ragged\.csv is not valid CSV: /),
    ]);
  });

  it('reports usage errors with exit code 2', async () => {
    const unknown = await runCli(['evaluate', ...dimension, ...dimensionGoals, '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("error: unknown option '--bogus' (see --help)\n");
    const missing = await runCli(['evaluate', ...dimension]);
    expect([missing.code, missing.stderr]).toEqual([
      2,
      'error: one of --goals <file>, --events <file>, --events-glob <pattern> or --database <target> is required (see --help)\n',
    ]);
    const format = await runCli(['evaluate', ...dimension, ...dimensionGoals, '--format', 'xml']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain(
      "argument 'xml' is invalid. Allowed choices are table, markdown, html, json.",
    );
    const unreadable = await runCli(['evaluate', ...dimension, '--goals', join(scratch, 'missing.csv')]);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toMatch(
      /^error: cannot read the --goals file ".*missing\.csv": no such file\n$/,
    );
  });

  it('documents itself in --help with examples', async () => {
    const { code, stdout } = await runCli(['evaluate', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--by-unit');
    expect(stdout).toContain('--fail-on-warning');
    expect(stdout).toContain('Examples:');
  });
  describe('warnings', () => {
    it('warns on stderr in every format about a misspelled goal, suggesting the goal of the data', async () => {
      const path = scratchFile('misspelled-goal.json', misspelledGoal());
      for (const format of ['table', 'markdown', 'html', 'json']) {
        const { code, stderr } = await runCli([
          'evaluate',
          '--experiment',
          path,
          ...dimensionGoals,
          '--format',
          format,
        ]);
        // A warning does not change the exit code without --fail-on-warning.
        expect(code, format).toBe(0);
        const lines = warningLines(stderr, 'goal-without-rows');
        expect(lines, `${format}: ${stderr}`).toHaveLength(1);
        expect(lines[0]).toContain('`count(test_unit_type.unit.views)`');
        expect(lines[0]).toContain('did you mean `view`?');
      }
    });

    it('shows the misspelled goal as zero in the table and names it in the JSON warnings', async () => {
      const path = scratchFile('misspelled-goal-report.json', misspelledGoal());
      const table = await runCli(['evaluate', '--experiment', path, ...dimensionGoals]);
      // The goal has no rows, so it counts as zero: 0 / 1000 and 0 / 1001 exposures, both 0.00 %.
      const metric1 = table.stdout.split('Views per User of Screen button-%')[0] ?? '';
      expect(metric1).toMatch(/\na \(control\)\s+1,000\s+0\.00%/);
      expect(metric1).toMatch(/\nb\s+1,001\s+0\.00%/);
      const json = await runCli(['evaluate', '--experiment', path, ...dimensionGoals, '--format', 'json']);
      const evaluation = parseJsonWithNonFinite(json.stdout) as JsonEvaluation;
      expect(evaluation.metrics.filter((row) => row.metric_id === 1).map((row) => row.mean)).toEqual([0, 0]);
      const warning = evaluation.warnings.find((item) => item.code === 'goal-without-rows');
      expect(warning, json.stdout).toMatchObject({ suggestion: 'view' });
      expect(warning?.goal).toBe('count(test_unit_type.unit.views)');
      // The line on stderr is the JSON warning's code and message.
      expect(warningLines(json.stderr, 'goal-without-rows')).toEqual([
        `warning [goal-without-rows]: ${warning?.message}`,
      ]);
    });

    it('warns about a misspelled unit type: no exposures, suggesting the unit type of the data', async () => {
      const path = scratchFile(
        'misspelled-unit-type.json',
        dimensionDefinition((definition) => {
          definition.unit_type = 'test_unit_tpye';
        }),
      );
      const table = await runCli(['evaluate', '--experiment', path, ...dimensionGoals]);
      expect(table.code).toBe(0);
      const lines = warningLines(table.stderr, 'no-exposures');
      expect(lines, table.stderr).toHaveLength(1);
      expect(lines[0]).toContain('test_unit_tpye');
      expect(lines[0]).toContain('`test_unit_type`');
      const json = await runCli(['evaluate', '--experiment', path, ...dimensionGoals, '--format', 'json']);
      expect(json.code).toBe(0);
      const evaluation = parseJsonWithNonFinite(json.stdout) as JsonEvaluation;
      expect(evaluation.warnings).toContainEqual(
        expect.objectContaining({ code: 'no-exposures', suggestion: 'test_unit_type' }),
      );
      // The exposures are those of the misspelled unit type: no rows, 0 in each variant.
      expect(evaluation.exposures.map((row) => row.exposures)).toEqual([0, 0]);
    });

    it('warns about an empty goals file (a header only)', async () => {
      const header = readFileSync(join(ROOT, EXAMPLES, 'test-dimension.goals.csv'), 'utf8').split('\n')[0];
      const path = scratchFile('empty-goals.csv', `${header}\n`);
      const table = await runCli(['evaluate', ...dimension, '--goals', path]);
      expect(table.code).toBe(0);
      expect(warningLines(table.stderr, 'empty-input'), table.stderr).toHaveLength(1);
      const json = await runCli(['evaluate', ...dimension, '--goals', path, '--format', 'json']);
      expect(json.code).toBe(0);
      expect(warningLines(json.stderr, 'empty-input')).toHaveLength(1);
      const evaluation = parseJsonWithNonFinite(json.stdout) as JsonEvaluation;
      expect(evaluation.warnings.map((warning) => warning.code)).toContain('empty-input');
      // No rows: no exposures, and every mean is 0 / 0.
      expect(evaluation.exposures.map((row) => row.exposures)).toEqual([0, 0]);
      expect(evaluation.metrics.every((row) => Number.isNaN(row.mean))).toBe(true);
    });

    it('exits with 1 after the report with --fail-on-warning, and with 0 when nothing was raised', async () => {
      const path = scratchFile('misspelled-goal-fail.json', misspelledGoal());
      const failed = await runCli(['evaluate', '--experiment', path, ...dimensionGoals, '--fail-on-warning']);
      expect(failed.code).toBe(1);
      // The report is complete: button-% is unaffected (+33.2 %, as in the bundled example).
      expect(failed.stdout).toMatch(/\nb\s+1,001\s+39\.96%\s+\+33\.2%/);
      expect(warningLines(failed.stderr, 'goal-without-rows')).toHaveLength(1);
      expect(failed.stderr).toMatch(
        /\nerror: \d+ warnings? (was|were) raised and --fail-on-warning is set\n$/,
      );
      const json = await runCli([
        'evaluate',
        '--experiment',
        path,
        ...dimensionGoals,
        '--format',
        'json',
        '--fail-on-warning',
      ]);
      expect(json.code).toBe(1);
      expect((parseJsonWithNonFinite(json.stdout) as JsonEvaluation).exp_id).toBe('test-dimension');
      const clean = await runCli(['evaluate', ...dimension, ...dimensionGoals, '--fail-on-warning']);
      expect([clean.code, clean.stderr]).toEqual([0, '']);
    });

    it("counts the command's own filters note as a warning, with a code, in JSON and for --fail-on-warning", async () => {
      const path = scratchFile(
        'filters.json',
        dimensionDefinition((definition) => {
          definition.filters = [{ scope: 'exposure', dimension: 'element', value: ['button-1'] }];
        }),
      );
      const json = await runCli(['evaluate', '--experiment', path, ...dimensionGoals, '--format', 'json']);
      expect(json.code).toBe(0);
      const message = `${path}: \`filters\` are applied by a data access layer when it queries goals; the goals file is evaluated as it is`;
      expect(json.stderr).toBe(`warning [filters-not-applied]: ${message}\n`);
      const evaluation = parseJsonWithNonFinite(json.stdout) as JsonEvaluation;
      expect(evaluation.warnings).toEqual([{ code: 'filters-not-applied', message }]);
      const failed = await runCli(['evaluate', '--experiment', path, ...dimensionGoals, '--fail-on-warning']);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toBe(
        `warning [filters-not-applied]: ${message}\nerror: 1 warning was raised and --fail-on-warning is set\n`,
      );
    });
  });
});

describe('ep-stats evaluate with the testing options', () => {
  it('prints the scorecard and the JSON rows of the library evaluation', async () => {
    const experimentPath = scratchFile('checkout.experiment.json', JSON.stringify(FILE));
    const goalsPath = scratchFile('checkout.goals.json', JSON.stringify(GOALS));
    const table = await runCli(['evaluate', '--experiment', experimentPath, '--goals', goalsPath]);
    expect(table.stderr).toBe('');
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(
      'confidence sequence (tuning 5,000); Benjamini-Hochberg across the report',
    );
    expect(table.stdout).toMatch(/SRM\s+p_value\s+1\s+passed/);
    const json = await runCli([
      'evaluate',
      '--experiment',
      experimentPath,
      '--goals',
      goalsPath,
      '--format',
      'json',
    ]);
    expect(json.code).toBe(0);
    expect(json.stdout).toContain('"confidence_level":0.95,"confidence_sequence_tuning":5000,');
    expect(json.stdout).toContain('"confidence_lower":-Infinity');
    const rows = (parseJsonWithNonFinite(json.stdout) as { metrics: { p_value: number }[] }).metrics;
    const expected = libraryExperiment().evaluateAgg([...GOALS]).metrics;
    expect(rows.map((r) => r.p_value)).toEqual(expected.map((r) => r.pValue));
  });
});
