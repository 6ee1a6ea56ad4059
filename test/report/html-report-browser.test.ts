/**
 * The HTML report in a real browser (headless Chromium from Debian's package, driven by puppeteer-core): the
 * report of the bundled checkout story and of its broken split, evaluated from their Parquet events through
 * DuckDB and SqlDao, loads with no request and no console error, shows the scorecard's verdicts, the SRM
 * banner only for the broken split, the plots, and passes axe-core without a serious or critical
 * violation. Screenshots go to test-output/screenshots/. Skipped, with a message, without Chromium.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { experimentFromFile } from '../../src/cli/experiment-file.js';
import type { Evaluation, Experiment } from '../../src/index.js';
import { renderHtmlReport } from '../../src/report/index.js';
import {
  DuckDbClient,
  duckdbDialect,
  EventsSchema,
  SqlDao,
  SYNTHETIC_DIMENSIONS,
} from '../../src/sql/index.js';
import { closeBrowser, HAS_CHROMIUM, openReport, type ReportPage } from './support/browser-page.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** The experiment of a bundled example file, evaluated from its Parquet events by DuckDB. */
async function evaluateStory(name: string): Promise<{ experiment: Experiment; evaluation: Evaluation }> {
  const definition = JSON.parse(
    readFileSync(join(ROOT, 'fixtures', 'examples', `${name}.experiment.json`), 'utf8'),
  );
  const experiment = experimentFromFile(definition);
  const client = await DuckDbClient.open();
  try {
    const parquet = join(ROOT, 'fixtures', 'events', `${name}.parquet`).replaceAll("'", "''");
    await client.query(`CREATE VIEW events AS SELECT * FROM read_parquet('${parquet}')`, []);
    const schema = new EventsSchema({ table: 'events', dimensions: SYNTHETIC_DIMENSIONS });
    const dao = new SqlDao({ client, dialect: duckdbDialect, schema });
    return {
      experiment,
      evaluation: experiment.evaluateAgg(await dao.getAggGoals(experiment), { timestamp: 0 }),
    };
  } finally {
    await client.close();
  }
}

describe.skipIf(!HAS_CHROMIUM)('the HTML report in headless Chromium', () => {
  let story: ReportPage;
  let broken: ReportPage;
  beforeAll(async () => {
    const checkout = await evaluateStory('checkout-story');
    const srm = await evaluateStory('checkout-srm');
    story = await openReport(renderHtmlReport(checkout, { generator: 'ep-stats tests' }));
    broken = await openReport(renderHtmlReport(srm, { generator: 'ep-stats tests' }));
  }, 60_000);
  afterAll(async () => {
    await story?.close();
    await broken?.close();
    await closeBrowser();
  });

  it('loads with no request and no console error', () => {
    expect(story.requests).toEqual([]);
    expect(story.consoleErrors).toEqual([]);
    expect(broken.requests).toEqual([]);
    expect(broken.consoleErrors).toEqual([]);
  });

  it('shows the verdicts of the story: two metrics better, the guardrail worse, one inconclusive', async () => {
    expect(await story.texts('h1')).toEqual(['Experiment checkout-redesign']);
    expect(await story.texts('table.scorecard caption')).toEqual([
      'Conversion rate (higher is better)',
      'Revenue per user (higher is better)',
      'Refunds per user (guardrail) (lower is better)',
      'Button click-through rate (higher is better)',
    ]);
    expect(await story.texts('table.scorecard tr.treatment td.verdict')).toEqual([
      'better',
      'better',
      'worse',
      'inconclusive',
    ]);
    // The control rows: units and mean, — for every comparison.
    const control = await story.texts('table.scorecard tr.control td');
    expect(control.filter((text) => text === '—').length).toBe(4 * 6);
    expect(await story.texts('.banner')).toEqual([]);
    // The forest plot has a row per metric and treatment, with the same verdicts.
    expect(await story.attribute('#forest-plot g.row', 'data-verdict')).toEqual([
      'better',
      'better',
      'worse',
      'inconclusive',
    ]);
    expect((await story.attribute('#exposure-chart rect.bar', 'data-variant')).length).toBe(2);
  });

  it('puts the failed SRM check of the broken split in a banner above the scorecard', async () => {
    const [banner] = await broken.texts('.banner[role="alert"]');
    expect(banner).toMatch(/^Check failed: SRM \(p = [0-9.e-]+\)The data does not match the plan/);
    const order = await broken.evaluate<string[]>(
      "[...document.querySelectorAll('.banner, h2')].map((element) => element.textContent.slice(0, 12))",
    );
    expect(order.slice(0, 3)).toEqual(['Check failed', 'Checks', 'Scorecard']);
  });

  it('has no serious or critical accessibility violation (axe-core)', async () => {
    expect(await story.axeViolations({ minimumImpact: 'serious' })).toEqual([]);
    expect(await broken.axeViolations({ minimumImpact: 'serious' })).toEqual([]);
  });

  it('saves screenshots of both reports', async () => {
    for (const [page, name] of [
      [story, 'checkout-story-report'],
      [broken, 'checkout-srm-report'],
    ] as const) {
      const path = await page.screenshot(name);
      const png = readFileSync(path);
      expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      // IHDR: width, then height, big-endian after the chunk's length and type.
      expect(png.readUInt32BE(16)).toBe(1280);
      expect(png.readUInt32BE(20)).toBeGreaterThan(1000);
    }
  });
});
