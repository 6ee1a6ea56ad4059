import { describe, expect, it } from 'vitest';
import { formatWideTable } from '../../src/results/format-wide-table.js';
import { toWideTable } from '../../src/results/metric-wide-table.js';
import { renderHtmlTable } from '../../src/results/render-html-table.js';
import { readmeCase } from './evaluations.js';

describe('renderHtmlTable', () => {
  it('renders the README example with classes and coloured p-values', () => {
    const { experiment, evaluation } = readmeCase();
    const table = formatWideTable(toWideTable(evaluation), experiment.metrics);
    expect(renderHtmlTable(table).split('\n')).toEqual([
      '<table class="ep-stats-results">',
      '  <thead>',
      '    <tr><th class="index" rowspan="2">Experiment Id</th><th class="index" rowspan="2">Variant</th><th class="metric" colspan="5">Click-through Rate</th></tr>',
      '    <tr><th class="statistic">Mean</th><th class="statistic">Impact</th><th class="statistic">Conf. interval lower bound</th><th class="statistic">Conf. interval upper bound</th><th class="statistic">p-value</th></tr>',
      '  </thead>',
      '  <tbody>',
      '    <tr><td class="exp-id">test-conversion</td><td class="variant">A</td><td class="mean">23.81%</td><td class="diff">+0.0%</td><td class="conf-lower">-114.3%</td><td class="conf-upper">+114.3%</td><td class="p-value not-significant" style="color: red">1.000</td></tr>',
      '    <tr><td class="exp-id">test-conversion</td><td class="variant">B</td><td class="mean">26.92%</td><td class="diff">+13.1%</td><td class="conf-lower">-105.1%</td><td class="conf-upper">+131.3%</td><td class="p-value not-significant" style="color: red">0.824</td></tr>',
      '  </tbody>',
      '</table>',
    ]);
  });

  it('spans each metric over its columns and marks significant p-values green', () => {
    const table = formatWideTable(
      {
        columns: [
          { metricId: 1, metricName: 'One', statistic: 'diff' },
          { metricId: 1, metricName: 'One', statistic: 'pValue' },
          { metricId: 2, metricName: 'Two', statistic: 'pValue' },
        ],
        rows: [{ expId: 'x', expVariantId: 'b', values: [0.25, 0.01, 0.5] }],
      },
      [],
    );
    const lines = renderHtmlTable(table).split('\n');
    expect(lines[2]).toContain(
      '<th class="metric" colspan="2">One</th><th class="metric" colspan="1">Two</th>',
    );
    expect(lines[6]).toBe(
      '    <tr><td class="exp-id">x</td><td class="variant">B</td><td class="diff">+25.0%</td><td class="p-value significant" style="color: green">0.010</td><td class="p-value not-significant" style="color: red">0.500</td></tr>',
    );
  });

  it('escapes HTML in names, ids and formatted text', () => {
    const table = formatWideTable(
      {
        columns: [{ metricId: 1, metricName: `<b>"R&D" 'x'</b>`, statistic: 'mean' }],
        rows: [{ expId: '<script>', expVariantId: 'a&b', values: [1] }],
      },
      [{ id: 1, metricFormat: '<{:.0f}>', metricValueMultiplier: 1 }],
    );
    const html = renderHtmlTable(table);
    expect(html).toContain(
      '<th class="metric" colspan="1">&lt;b&gt;&quot;R&amp;D&quot; &#39;x&#39;&lt;/b&gt;</th>',
    );
    expect(html).toContain(
      '<td class="exp-id">&lt;script&gt;</td><td class="variant">A&amp;B</td><td class="mean">&lt;1&gt;</td>',
    );
    expect(html).not.toContain('<script>');
  });
});
