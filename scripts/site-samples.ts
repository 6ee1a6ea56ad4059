/**
 * The code samples of the documentation site (`npm run docs`): every fenced block of the README and of the
 * project documents listed in `typedoc.json`, with the check that the test suite runs on it.
 *
 * @remarks
 * A fence's check is named by an HTML comment on the line before it (invisible on the site):
 * `<!-- check: <kind> [argument ...] -->`. Without one, a ```ts fence is a complete program that the tests
 * run (`run`), and a fence without a language or marked `text` is printed output (`output`); any other code
 * fence (`sh`, `json`, `sql`, `js`, ...) must name its check, and `test/docs/site-samples.test.ts` fails
 * on one that does not. Run this file directly (`tsx scripts/site-samples.ts`) to list the samples.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type DocExample, REPOSITORY_ROOT } from './extract-examples.js';

/** How the tests check one sample. */
export interface SampleCheck {
  /** The kind of check (`run`, `output`, `excerpt`, `cli`, ...). */
  readonly kind: string;
  /** The words after the kind in the directive. */
  readonly args: readonly string[];
  /** Whether the check was named by a directive rather than implied by the fence's language. */
  readonly declared: boolean;
}

/** One fenced block of a page of the site. */
export interface SiteSample {
  /** `<page> sample <index>`. */
  readonly name: string;
  /** The page, relative to the repository root. */
  readonly page: string;
  /** 1-based position among the page's fences. */
  readonly index: number;
  /** The fence's language (`''` when it has none). */
  readonly lang: string;
  /** The text inside the fence. */
  readonly code: string;
  /** 1-based line of the fence's first code line. */
  readonly line: number;
  /** The check, or `undefined` for a code fence without a directive. */
  readonly check: SampleCheck | undefined;
}

const DIRECTIVE = /^<!--\s*check:\s*(.*?)\s*-->$/;
const OUTPUT_LANGUAGES = new Set(['', 'text']);

/** The pages of the site: the README (its front page) and the project documents of `typedoc.json`. */
export function sitePages(root: string = REPOSITORY_ROOT): string[] {
  const config = JSON.parse(readFileSync(join(root, 'typedoc.json'), 'utf8')) as {
    readme?: string;
    projectDocuments?: string[];
  };
  return [config.readme ?? 'README.md', ...(config.projectDocuments ?? [])];
}

/** Every fenced block of `page`, with its check. */
export function pageSamples(page: string, root: string = REPOSITORY_ROOT): SiteSample[] {
  const text = readFileSync(join(root, page), 'utf8');
  const samples: SiteSample[] = [];
  for (const match of text.matchAll(/^```([\w-]*)[^\n]*\n([\s\S]*?)^```$/gm)) {
    const before = text.slice(0, match.index).split('\n');
    const line = before.length + 1;
    const previous = (before[before.length - 2] ?? '').trim();
    const directive = DIRECTIVE.exec(previous);
    const lang = match[1] ?? '';
    let check: SampleCheck | undefined;
    if (directive !== null) {
      const [kind = '', ...args] = (directive[1] ?? '').split(/\s+/);
      check = { kind, args, declared: true };
    } else if (lang === 'ts') {
      check = { kind: 'run', args: [], declared: false };
    } else if (OUTPUT_LANGUAGES.has(lang)) {
      check = { kind: 'output', args: [], declared: false };
    }
    const index = samples.length + 1;
    samples.push({ name: `${page} sample ${index}`, page, index, lang, code: match[2] ?? '', line, check });
  }
  return samples;
}

/** Every fenced block of every page of the site. */
export function siteSamples(root: string = REPOSITORY_ROOT): SiteSample[] {
  return sitePages(root).flatMap((page) => pageSamples(page, root));
}

/** The samples whose check is `kind`. */
export function samplesChecked(kind: string, root: string = REPOSITORY_ROOT): SiteSample[] {
  return siteSamples(root).filter((sample) => sample.check?.kind === kind);
}

/** The ```ts programs of the site's pages (check `run`), in the shape of the `@example` fences. */
export function extractPageExamples(root: string = REPOSITORY_ROOT): DocExample[] {
  return samplesChecked('run', root).map((sample) => ({
    name: `${sample.page} example ${sample.index}`,
    symbol: sample.page,
    index: sample.index,
    code: sample.code,
    file: sample.page,
    line: sample.line,
  }));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const sample of siteSamples()) {
    const check =
      sample.check === undefined ? 'NO CHECK' : [sample.check.kind, ...sample.check.args].join(' ');
    console.log(`${sample.page}:${sample.line}  [${sample.lang || '-'}]  ${check}`);
  }
}
