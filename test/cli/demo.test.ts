/**
 * `npm run demo` and `npm run demo:srm`: the scripts of package.json run `ep-stats evaluate` on the bundled
 * checkout story, and what they print tells it: conversion and revenue better, the refunds guardrail worse,
 * the button click-through inconclusive, the SRM check passed; the HTML report is written where stderr says.
 * The broken-split dataset shows the failed SRM check as a banner, in the terminal and in the report.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'ep-stats-demo-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const scripts = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

/** The arguments of an npm script that runs the command from the sources, with its report written to `report`. */
function demoArguments(script: string, report: string): string[] {
  const command = scripts[script] ?? '';
  const prefix = 'tsx src/cli/main.ts ';
  expect(command.startsWith(prefix), command).toBe(true);
  const args = command.slice(prefix.length).split(' ');
  const at = args.indexOf('--report');
  expect(at).toBeGreaterThan(0);
  args[at + 1] = report;
  return args;
}

/** The verdict of the treatment row of a metric's table in the terminal scorecard. */
function verdict(stdout: string, metric: string): string | undefined {
  const table = stdout.split(`\n${metric}`)[1] ?? '';
  const row = table.split('\n').find((line) => line.startsWith('b '));
  return row?.trim().split(/ {2,}/).at(-1);
}

describe('npm run demo', () => {
  it('tells the checkout story: two metrics better, the guardrail worse, one inconclusive, SRM passed', async () => {
    const report = join(scratch, 'demo-report.html');
    const { code, stdout, stderr } = await runCli(demoArguments('demo', report));
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/SRM\s+p_value\s+0\.\d{4}\s+passed/);
    expect(stdout).not.toContain('Check failed');
    expect(verdict(stdout, 'Conversion rate (higher is better)')).toBe('better');
    expect(verdict(stdout, 'Revenue per user (higher is better)')).toBe('better');
    expect(verdict(stdout, 'Refunds per user (guardrail) (lower is better)')).toBe('worse');
    expect(verdict(stdout, 'Button click-through rate (higher is better)')).toBe('inconclusive');
    expect(stderr).toContain(`wrote the HTML report to ${report}`);
    const html = readFileSync(report, 'utf8');
    // The scorecard's treatment rows, then the forest plot's rows, in metric order.
    const verdicts = [...html.matchAll(/data-verdict="([a-z-]+)"/g)].map((match) => match[1]);
    const story = ['better', 'better', 'worse', 'inconclusive'];
    expect(verdicts.filter((v) => v !== 'control')).toEqual([...story, ...story]);
    expect(html).not.toContain('class="banner"');
  });

  it('demo:srm shows the broken split as a banner in the scorecard and the report', async () => {
    const report = join(scratch, 'demo-srm-report.html');
    const { code, stdout, stderr } = await runCli(demoArguments('demo:srm', report));
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/\n!! Check failed: SRM \(p = [0-9.e-]+\)\. The data does not match the plan/);
    expect(stdout).toMatch(/SRM\s+p_value\s+\S+\s+failed \(p < 0\.001\)/);
    const html = readFileSync(report, 'utf8');
    expect(html).toMatch(/<div class="banner" role="alert"><strong>Check failed: SRM \(p = /);
  });
});
