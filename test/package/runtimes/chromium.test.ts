/**
 * The quick start in a real browser: esbuild's browser bundle of it (made from a project that installed the
 * packed tarball) inline in an HTML page whose `console.log` writes each printed line into the DOM, loaded by
 * headless Chromium from a file:// URL with `--dump-dom`. Needs Debian's `chromium` package (/usr/bin/chromium);
 * skipped, with a warning, without it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleQuickStart, nodeLines, quickStartConsumer } from './quick-start.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(
    `[chromium] ${CHROMIUM} is absent: the headless Chromium test of the quick start is SKIPPED ` +
      '(apt-get install -y chromium).',
  );
}

/** An HTML page that runs `bundle` (a classic script) and lists what it logs, and any error, in the DOM. */
function page(bundle: string): string {
  return `<!doctype html>
<html>
<head><meta charset="utf-8"><title>ep-stats quick start</title></head>
<body>
<ol id="printed"></ol>
<ol id="errors"></ol>
<script>
  const add = (id, text) => {
    const item = document.createElement('li');
    item.textContent = text;
    document.getElementById(id).appendChild(item);
  };
  const text = (args) => args.map(String).join(' ');
  console.log = (...args) => add('printed', text(args));
  for (const level of ['info', 'warn', 'error', 'debug']) {
    console[level] = (...args) => add('errors', level + ': ' + text(args));
  }
  window.addEventListener('error', (event) => add('errors', 'uncaught: ' + event.message));
  window.addEventListener('unhandledrejection', (event) => add('errors', 'unhandled: ' + String(event.reason)));
</script>
<script>${bundle.replace(/<\/script/gi, '<\\/script')}</script>
<script>
  document.body.dataset.process = typeof process;
  document.body.dataset.done = 'yes';
</script>
</body>
</html>
`;
}

/** The text of the `<li>` items of the list `id` in a dumped DOM. */
function listItems(dom: string, id: string): string[] {
  const list = new RegExp(`<ol id="${id}">([\\s\\S]*?)</ol>`).exec(dom);
  if (!list) throw new Error(`no <ol id="${id}"> in the dumped DOM:\n${dom.slice(0, 2000)}`);
  return [...(list[1] ?? '').matchAll(/<li>([\s\S]*?)<\/li>/g)].map((item) =>
    (item[1] ?? '')
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&quot;', '"')
      .replaceAll('&#39;', "'")
      .replaceAll('&nbsp;', '\u00a0')
      .replaceAll('&amp;', '&'),
  );
}

describe.skipIf(!hasChromium)('the quick start in headless Chromium', () => {
  let dir = '';
  let node: string[] = [];
  let scratch = '';
  beforeAll(() => {
    dir = quickStartConsumer('runtimes-chromium');
    node = nodeLines(dir);
    scratch = mkdtempSync(join(tmpdir(), 'ep-stats-chromium-'));
  }, 900_000);
  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true, maxRetries: 5 });
  });

  it('prints in the page what Node prints', async () => {
    const bundle = await bundleQuickStart(dir, 'browser');
    const html = join(scratch, 'quick-start.html');
    writeFileSync(html, page(bundle.code));
    const chromium = spawnSync(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${join(scratch, 'profile')}`,
        '--dump-dom',
        pathToFileURL(html).href,
      ],
      { encoding: 'utf8', timeout: 90_000, maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const failure = `chromium exited with ${chromium.status ?? chromium.signal} (${chromium.error?.message ?? ''}):\n${chromium.stderr.slice(-4000)}`;
    expect(chromium.status, failure).toBe(0);
    const dom = chromium.stdout;
    expect(dom, failure).toContain('data-done="yes"');
    expect(dom).toContain('data-process="undefined"');
    expect(listItems(dom, 'errors')).toEqual([]);
    expect(listItems(dom, 'printed')).toEqual(node);
  });
});
