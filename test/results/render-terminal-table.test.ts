import { describe, expect, it } from 'vitest';
import { formatWideTable } from '../../src/results/format-wide-table.js';
import { toWideTable, type WideTable } from '../../src/results/metric-wide-table.js';
import { renderTerminalTable } from '../../src/results/render-terminal-table.js';
import { readmeCase, threeVariantCase } from './evaluations.js';

const GREEN = '\x1b[32m';
const RED = '\x1b[31m';
const RESET = '\x1b[0m';

function formatted({ experiment, evaluation }: ReturnType<typeof readmeCase>) {
  return formatWideTable(toWideTable(evaluation), experiment.metrics);
}

describe('renderTerminalTable', () => {
  it('renders the README example with aligned columns', () => {
    expect(renderTerminalTable(formatted(readmeCase())).split('\n')).toEqual([
      '                          Click-through Rate',
      'Experiment Id    Variant    Mean  Impact  Conf. interval lower bound  Conf. interval upper bound  p-value',
      '---------------  -------  ------  ------  --------------------------  --------------------------  -------',
      'test-conversion  A        23.81%   +0.0%                     -114.3%                     +114.3%    1.000',
      'test-conversion  B        26.92%  +13.1%                     -105.1%                     +131.3%    0.824',
    ]);
  });

  it('colours p-values red when not significant, keeping the alignment', () => {
    expect(renderTerminalTable(formatted(threeVariantCase()), { color: true }).split('\n').slice(3)).toEqual([
      `test-conversion  A        23.81%   +0.0%                     -114.3%                     +114.3%    ${RED}1.000${RESET}`,
      `test-conversion  B        26.92%  +13.1%                     -110.2%                     +136.4%    ${RED}1.000${RESET}`,
      `test-conversion  C        30.00%  +26.0%                     -109.4%                     +161.4%    ${RED}1.000${RESET}`,
    ]);
  });

  it('colours significant p-values green and writes no escapes without the option', () => {
    const table: WideTable = {
      columns: [{ metricId: 1, metricName: 'A much longer metric name', statistic: 'pValue' }],
      rows: [
        { expId: 'x', expVariantId: 'a', values: [0.0004] },
        { expId: 'x', expVariantId: 'b', values: [0.2] },
      ],
    };
    const text = formatWideTable(table, []);
    // The metric name is wider than its column: the column widens to hold it.
    expect(renderTerminalTable(text).split('\n')).toEqual([
      '                        A much longer metric name',
      'Experiment Id  Variant                    p-value',
      '-------------  -------  -------------------------',
      'x              A                            0.000',
      'x              B                            0.200',
    ]);
    expect(renderTerminalTable(text, { color: true }).split('\n').slice(3)).toEqual([
      `x              A                            ${GREEN}0.000${RESET}`,
      `x              B                            ${RED}0.200${RESET}`,
    ]);
    expect(renderTerminalTable(text)).not.toContain('\x1b');
  });
});
