/**
 * The committed API reports (`etc/ep-stats*.api.md`, one per entry point) are those of the current sources,
 * and API Extractor finds nothing to warn about in the built declarations (a TSDoc syntax slip such as an
 * unescaped `>` or a code span over two lines is a warning, which fails `npm run api:check`). Runs API
 * Extractor as `npm run api:check` does, on the declarations that `npm run build` wrote for the packed
 * tarball.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Extractor, ExtractorConfig, type ExtractorMessage } from '@microsoft/api-extractor';
import { beforeAll, describe, expect, it } from 'vitest';
import { packedTarball, ROOT } from './support/packed-package.js';

const CONFIGS = readdirSync(ROOT)
  .filter((name) => /^api-extractor(\.\w+)?\.json$/.test(name))
  .sort();

beforeAll(() => {
  packedTarball();
}, 300_000);

describe('the API reports', () => {
  it('has a configuration per entry point of package.json', () => {
    // '.', './testing', './server', './sql', './report': one api-extractor*.json each.
    expect(CONFIGS).toEqual([
      'api-extractor.json',
      'api-extractor.report.json',
      'api-extractor.server.json',
      'api-extractor.sql.json',
      'api-extractor.testing.json',
    ]);
  });

  for (const config of CONFIGS) {
    it(`${config}: the committed report is current, without warnings`, () => {
      const messages: string[] = [];
      const result = Extractor.invoke(ExtractorConfig.loadFileAndPrepare(join(ROOT, config)), {
        localBuild: false,
        messageCallback: (message: ExtractorMessage) => {
          if (message.logLevel === 'warning' || message.logLevel === 'error') {
            messages.push(message.formatMessageWithLocation(ROOT));
          }
          message.handled = true;
        },
      });
      expect(messages).toEqual([]);
      expect(result.apiReportChanged, `${config}: run npm run api and commit etc/`).toBe(false);
      expect(result.succeeded).toBe(true);
    }, 120_000);
  }
});
