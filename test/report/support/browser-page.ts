/**
 * Opens an HTML page (a self-contained report) in headless Chromium and inspects it: the requests it makes
 * (every one is blocked and recorded, since a self-contained report must make none), its console errors and
 * warnings and uncaught errors, the text and attributes of its elements, axe-core's accessibility
 * violations, and full-page screenshots. Needs Debian's `chromium` package (/usr/bin/chromium); test files
 * skip their browser tests with `describe.skipIf(!HAS_CHROMIUM)`, and a warning says so.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type HTTPRequest, type Page } from 'puppeteer-core';

const CHROMIUM = '/usr/bin/chromium';

/** Whether headless Chromium (/usr/bin/chromium) is installed; the browser tests are skipped without it. */
export const HAS_CHROMIUM: boolean = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) {
  console.warn(
    `[chromium] ${CHROMIUM} is absent: the headless Chromium tests of the HTML report are SKIPPED ` +
      '(apt-get install -y chromium).',
  );
}

/** The folder that screenshots are saved in: test-output/screenshots at the project root. */
export const SCREENSHOT_DIR: string = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../test-output/screenshots',
);

/** The viewport a page opens with unless {@link OpenReportOptions.viewport} says otherwise. */
export const DEFAULT_VIEWPORT = { width: 1280, height: 800 } as const;

/** An axe-core impact level, least to most severe. */
export type AxeImpact = 'minor' | 'moderate' | 'serious' | 'critical';

const IMPACTS: readonly AxeImpact[] = ['minor', 'moderate', 'serious', 'critical'];

/** One axe-core rule that the page violates. */
export interface AxeViolation {
  /** The rule, e.g. `image-alt`. */
  readonly id: string;
  /** How severe axe rates it (`null` when axe gives none). */
  readonly impact: AxeImpact | null;
  /** What the rule checks. */
  readonly description: string;
  /** How many elements violate it. */
  readonly nodes: number;
}

/** Options of {@link openReport}. */
export interface OpenReportOptions {
  /** The viewport in CSS pixels (device scale factor 1); {@link DEFAULT_VIEWPORT} unless given. */
  readonly viewport?: { readonly width: number; readonly height: number };
}

/** A page opened by {@link openReport}. */
export interface ReportPage {
  /**
   * The URLs of the requests the page made other than for itself (all blocked), in the order made: other
   * files included. `data:` URLs load nothing and are not requests, so they are neither blocked nor listed.
   */
  readonly requests: string[];
  /**
   * Console errors and warnings (`console.error: text`, `console.warn: text`) and uncaught errors
   * (`pageerror: message`), in the order they happened. Chromium's own error about a blocked request is
   * left out: {@link ReportPage.requests} records those.
   */
  readonly consoleErrors: string[];
  /** Runs `fn` (a function, or an expression as a string) in the page and resolves to its result. */
  evaluate<T>(fn: string | (() => T)): Promise<T>;
  /** The trimmed `textContent` of each element matching `selector`, in document order. */
  texts(selector: string): Promise<string[]>;
  /** The attribute `name` (`null` when absent) of each element matching `selector`, in document order. */
  attribute(selector: string, name: string): Promise<(string | null)[]>;
  /**
   * axe-core's violations on the whole document; with `minimumImpact`, only those at least that severe
   * (e.g. `serious`: serious and critical ones).
   */
  axeViolations(options?: { readonly minimumImpact?: AxeImpact }): Promise<AxeViolation[]>;
  /** Saves a full-page PNG as test-output/screenshots/`name`.png and resolves to its path. */
  screenshot(name: string): Promise<string>;
  /** Closes the page and deletes its HTML file. */
  close(): Promise<void>;
}

let browser: Promise<Browser> | undefined;
let axeSource: string | undefined;

/** The shared headless Chromium, launched on first use. */
function sharedBrowser(): Promise<Browser> {
  browser ??= puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  return browser;
}

/** Closes the shared browser, if one was launched (call it in `afterAll`). */
export async function closeBrowser(): Promise<void> {
  const launched = browser;
  browser = undefined;
  if (launched) await (await launched).close();
}

/** axe-core's minified browser script. */
function axeScript(): string {
  if (axeSource === undefined) {
    const main = createRequire(import.meta.url).resolve('axe-core');
    const minified = join(dirname(main), 'axe.min.js');
    axeSource = readFileSync(existsSync(minified) ? minified : main, 'utf8');
  }
  return axeSource;
}

/**
 * Writes `html` to a temporary file and opens it (from its file:// URL) in the shared headless Chromium,
 * blocking and recording every request other than the one for the page itself, and resolves once the page
 * has loaded.
 */
export async function openReport(html: string, options: OpenReportOptions = {}): Promise<ReportPage> {
  const dir = mkdtempSync(join(tmpdir(), 'ep-stats-report-page-'));
  const file = join(dir, 'report.html');
  writeFileSync(file, html);
  const url = pathToFileURL(file).href;

  const page = await (await sharedBrowser()).newPage();
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  await page.setViewport({ ...(options.viewport ?? DEFAULT_VIEWPORT), deviceScaleFactor: 1 });
  await page.setRequestInterception(true);
  page.on('request', (request: HTTPRequest) => {
    if (request.isInterceptResolutionHandled()) return;
    if (request.url() === url && request.isNavigationRequest()) {
      void request.continue();
    } else {
      requests.push(request.url());
      void request.abort('blockedbyclient');
    }
  });
  page.on('console', (message) => {
    const type = message.type();
    if (type !== 'error' && type !== 'warn') return;
    const source = message.location().url;
    const blocked = source !== undefined && source !== url && requests.includes(source);
    if (!blocked) consoleErrors.push(`console.${type}: ${message.text()}`);
  });
  page.on('pageerror', (error: unknown) => {
    consoleErrors.push(`pageerror: ${error instanceof Error ? error.message : String(error)}`);
  });

  try {
    await page.goto(url, { waitUntil: 'load' });
    // A round trip to the page, so that the console messages sent before it have arrived.
    await page.evaluate('0');
  } catch (error) {
    await page.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  let axeInjected = false;
  return {
    requests,
    consoleErrors,
    evaluate: <T>(fn: string | (() => T)) => page.evaluate(fn) as Promise<T>,
    texts: (selector) =>
      page.$$eval(selector, (elements) => elements.map((element) => (element.textContent ?? '').trim())),
    attribute: (selector, name) =>
      page.$$eval(selector, (elements, attribute) => elements.map((e) => e.getAttribute(attribute)), name),
    axeViolations: async ({ minimumImpact } = {}) => {
      if (!axeInjected) {
        await page.addScriptTag({ content: axeScript() });
        axeInjected = true;
      }
      const violations = await runAxe(page);
      if (minimumImpact === undefined) return violations;
      const minimum = IMPACTS.indexOf(minimumImpact);
      return violations.filter(({ impact }) => impact !== null && IMPACTS.indexOf(impact) >= minimum);
    },
    screenshot: async (name) => {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const path = join(SCREENSHOT_DIR, `${name}.png`);
      // A page in a background tab renders no frame, and its screenshot waits for one: bring it forward.
      await page.bringToFront();
      await page.screenshot({ path: path as `${string}.png`, fullPage: true, type: 'png' });
      return path;
    },
    close: async () => {
      await page.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs axe-core (already injected) on the page's document and summarises its violations. */
function runAxe(page: Page): Promise<AxeViolation[]> {
  return page.evaluate(`
    axe.run(document, { resultTypes: ['violations'] }).then((results) =>
      results.violations.map((v) => ({
        id: v.id,
        impact: v.impact ?? null,
        description: v.description,
        nodes: v.nodes.length,
      })),
    )
  `) as Promise<AxeViolation[]>;
}
