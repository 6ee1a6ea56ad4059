import { describe, expect, it } from 'vitest';
import { formatWideTable } from '../../src/results/format-wide-table.js';
import { toWideTable } from '../../src/results/metric-wide-table.js';
import { renderMarkdownTable } from '../../src/results/render-markdown-table.js';
import { readmeCase, threeVariantCase } from './evaluations.js';

function formatted({ experiment, evaluation }: ReturnType<typeof readmeCase>) {
  return formatWideTable(toWideTable(evaluation), experiment.metrics);
}

const HEADER = [
  '| Experiment Id   | Variant | Click-through Rate: Mean | Click-through Rate: Impact | Click-through Rate: Conf. interval lower bound | Click-through Rate: Conf. interval upper bound | Click-through Rate: p-value |',
  '| :-------------- | :------ | -----------------------: | -------------------------: | ---------------------------------------------: | ---------------------------------------------: | --------------------------: |',
];

describe('renderMarkdownTable', () => {
  it('renders the README example as a GitHub table', () => {
    expect(renderMarkdownTable(formatted(readmeCase())).split('\n')).toEqual([
      ...HEADER,
      '| test-conversion | A       |                   23.81% |                      +0.0% |                                        -114.3% |                                        +114.3% |                       1.000 |',
      '| test-conversion | B       |                   26.92% |                     +13.1% |                                        -105.1% |                                        +131.3% |                       0.824 |',
    ]);
  });

  it('renders the three-variant test', () => {
    expect(renderMarkdownTable(formatted(threeVariantCase())).split('\n')).toEqual([
      ...HEADER,
      '| test-conversion | A       |                   23.81% |                      +0.0% |                                        -114.3% |                                        +114.3% |                       1.000 |',
      '| test-conversion | B       |                   26.92% |                     +13.1% |                                        -110.2% |                                        +136.4% |                       1.000 |',
      '| test-conversion | C       |                   30.00% |                     +26.0% |                                        -109.4% |                                        +161.4% |                       1.000 |',
    ]);
  });

  it('escapes pipes and flattens line breaks', () => {
    const table = formatWideTable(
      {
        columns: [{ metricId: 1, metricName: 'Clicks | views\nper user', statistic: 'pValue' }],
        rows: [{ expId: 'a|b', expVariantId: 'x', values: [0.5] }],
      },
      [],
    );
    expect(renderMarkdownTable(table).split('\n')).toEqual([
      '| Experiment Id | Variant | Clicks \\| views per user: p-value |',
      '| :------------ | :------ | --------------------------------: |',
      '| a\\|b          | X       |                             0.500 |',
    ]);
  });
});
