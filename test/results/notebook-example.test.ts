import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

describe('docs/examples/notebook.ts', () => {
  // stdout is a pipe, not a terminal: the script prints without colour escapes.
  const output = execFileSync(process.execPath, ['--import', 'tsx', 'docs/examples/notebook.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const lines = output.split('\n');
  const row = (prefix: string) => lines.filter((line) => line.startsWith(prefix));

  it('prints the check and the exposures', () => {
    // Exposures 1000 and 1001: the chi-square statistic 1/2001 gives p = 0.982.
    expect(output).toContain('Sample ratio mismatch check: p-value 0.982');
    expect(output).toContain('Exposures: a 1000, b 1001');
  });

  it('prints the wide table for the terminal', () => {
    // button-1: means 200/1000 and 220/1001; diff 0.0989010989 (+9.9 %), interval 0.1873090388 around it,
    // p 0.3005566728. button-%: means 300/1000 and 400/1001; diff 0.332001332 (+33.2 %), interval
    // 0.1618374485 around it (+17.0 % to +49.4 %), p 5.95556e-05. Controls: intervals 0.17549854 and 0.134039224.
    // (The reference's spreadsheet, fixtures/ep-stats/evaluations_metrics.csv.)
    expect(row('test-dimension  ')).toEqual([
      'test-dimension  A        20.00%   +0.0%                      -17.5%                      +17.5%    1.000  30.00%   +0.0%                      -13.4%                      +13.4%    1.000',
      'test-dimension  B        21.98%   +9.9%                       -8.8%                      +28.6%    0.301  39.96%  +33.2%                      +17.0%                      +49.4%    0.000',
    ]);
    expect(output).not.toContain('\x1b[');
  });

  it('prints the Markdown table', () => {
    const markdown = row('| test-dimension |').map((line) =>
      line
        .split('|')
        .map((cell) => cell.trim())
        .filter((cell) => cell !== ''),
    );
    expect(markdown).toEqual([
      [
        'test-dimension',
        'A',
        '20.00%',
        '+0.0%',
        '-17.5%',
        '+17.5%',
        '1.000',
        '30.00%',
        '+0.0%',
        '-13.4%',
        '+13.4%',
        '1.000',
      ],
      [
        'test-dimension',
        'B',
        '21.98%',
        '+9.9%',
        '-8.8%',
        '+28.6%',
        '0.301',
        '39.96%',
        '+33.2%',
        '+17.0%',
        '+49.4%',
        '0.000',
      ],
    ]);
    expect(output).toContain('| Experiment Id  | Variant | Views per User of Screen button-1: Mean |');
  });
});
