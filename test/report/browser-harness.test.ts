/**
 * The headless Chromium harness of the HTML report tests (support/browser-page.ts) both passes and fails:
 * axe-core finds no serious violation on a small accessible page and names the rules a page breaks,
 * requests for anything but the page itself are blocked and recorded, console errors and uncaught errors
 * are collected, element text and attributes are read back, and screenshots are full-page PNGs. Skipped,
 * with a warning, without /usr/bin/chromium.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeBrowser, HAS_CHROMIUM, openReport, SCREENSHOT_DIR } from './support/browser-page.js';

/** An HTML document with `body` in its body (and `head` in its head). */
const html = (body: string, head = '') => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Harness check</title>${head}</head>
<body>${body}</body>
</html>
`;

const table = `<main>
<h1>Conversion</h1>
<table>
  <caption>Conversion by variant</caption>
  <thead><tr><th scope="col">Variant</th><th scope="col">Units</th><th scope="col">Rate</th></tr></thead>
  <tbody>
    <tr><th scope="row" data-variant="a">  control  </th><td>1,000</td><td class="rate" title="50 of 1,000">5.0%</td></tr>
    <tr><th scope="row" data-variant="b">treatment</th><td>
      1,020
    </td><td class="rate">6.1%</td></tr>
  </tbody>
</table>
</main>`;

/** The PNG signature: 0x89, "PNG", CR LF, 0x1a, LF. */
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe.skipIf(!HAS_CHROMIUM)('the headless Chromium report harness', () => {
  afterAll(closeBrowser);

  it('finds nothing wrong with a small accessible page', async () => {
    const page = await openReport(html(table));
    try {
      expect(await page.axeViolations({ minimumImpact: 'serious' })).toEqual([]);
      expect(page.consoleErrors).toEqual([]);
      expect(page.requests).toEqual([]);
      expect(await page.evaluate('document.title')).toBe('Harness check');
      expect(await page.evaluate(() => 6 * 7)).toBe(42);
    } finally {
      await page.close();
    }
  });

  it('reports an image without alt text and an input without a label', async () => {
    const image = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
    const page = await openReport(
      html(`<main><h1>Broken</h1><img src="${image}"><form><input type="text" name="q"></form></main>`),
    );
    try {
      const violations = await page.axeViolations({ minimumImpact: 'serious' });
      const ids = violations.map((violation) => violation.id);
      expect(ids).toEqual(expect.arrayContaining(['image-alt', 'label']));
      for (const violation of violations) {
        expect(['serious', 'critical']).toContain(violation.impact);
        expect(violation.description.length).toBeGreaterThan(0);
      }
      expect(violations.find((violation) => violation.id === 'image-alt')?.nodes).toBe(1);
      expect(violations.find((violation) => violation.id === 'label')?.nodes).toBe(1);
    } finally {
      await page.close();
    }
  });

  it('keeps impacts below the minimum out, and all of them in without one', async () => {
    // A heading level skipped (h1 to h3) is a moderate violation of heading-order.
    const page = await openReport(html('<main><h1>Title</h1><h3>Skipped a level</h3></main>'));
    try {
      const all = await page.axeViolations();
      expect(all.find((violation) => violation.id === 'heading-order')?.impact).toBe('moderate');
      expect(await page.axeViolations({ minimumImpact: 'serious' })).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('blocks and records every request for something other than the page', async () => {
    const page = await openReport(
      html(
        '<main><h1>Styled</h1><img src="logo.png" alt="Logo"></main>',
        '<link rel="stylesheet" href="https://example.com/x.css">',
      ),
    );
    try {
      expect(page.requests).toContain('https://example.com/x.css');
      const sibling = page.requests.filter((url) => url !== 'https://example.com/x.css');
      expect(sibling).toHaveLength(1);
      expect(sibling[0]).toMatch(/^file:\/\/.*\/logo\.png$/);
      // Chromium's own "Failed to load resource" errors for the blocked requests are left out.
      expect(page.consoleErrors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('records console errors and warnings and uncaught errors', async () => {
    const page = await openReport(
      html(`<main><h1>Noisy</h1></main>
<script>console.log('fine'); console.error('x'); console.warn('careful');</script>
<script>throw new Error('boom');</script>`),
    );
    try {
      expect(page.consoleErrors).toHaveLength(3);
      expect(page.consoleErrors).toEqual(
        expect.arrayContaining(['console.error: x', 'console.warn: careful', expect.stringMatching(/boom/)]),
      );
      expect(page.consoleErrors.find((message) => message.includes('boom'))).toMatch(/^pageerror: /);
    } finally {
      await page.close();
    }
  });

  it('reads the trimmed text and the attributes of the matching elements', async () => {
    const page = await openReport(html(table));
    try {
      expect(await page.texts('thead th')).toEqual(['Variant', 'Units', 'Rate']);
      expect(await page.texts('tbody th')).toEqual(['control', 'treatment']);
      expect(await page.texts('tbody td:nth-of-type(1)')).toEqual(['1,000', '1,020']);
      expect(await page.texts('caption')).toEqual(['Conversion by variant']);
      expect(await page.texts('tfoot td')).toEqual([]);
      expect(await page.attribute('tbody th', 'data-variant')).toEqual(['a', 'b']);
      expect(await page.attribute('td.rate', 'title')).toEqual(['50 of 1,000', null]);
      expect(await page.attribute('th', 'scope')).toEqual(['col', 'col', 'col', 'row', 'row']);
    } finally {
      await page.close();
    }
  });

  it('saves a full-page PNG screenshot at the viewport width', async () => {
    // Taller than the 800 px viewport: a full-page screenshot is at least this tall.
    const page = await openReport(html(`${table}<div style="height: 2000px"></div>`));
    try {
      const path = await page.screenshot('browser-harness');
      expect(path).toBe(join(SCREENSHOT_DIR, 'browser-harness.png'));
      const png = readFileSync(path);
      expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
      // The first chunk is IHDR: a 4-byte length (13), its type, then the width and height (big-endian).
      expect(png.readUInt32BE(8)).toBe(13);
      expect(png.toString('latin1', 12, 16)).toBe('IHDR');
      expect(png.readUInt32BE(16)).toBe(1280);
      expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(2000);
    } finally {
      await page.close();
    }
  });
});
