/**
 * The README's quick-start example as the runtime tests run it: copied out of an installed tarball
 * (`node_modules/ep-stats/fixtures/examples/quick-start.mjs`) into the root of a scratch consumer project, next to
 * its node_modules, as a user who pasted the README's snippet would have it; what it prints under Node; and
 * esbuild bundles of it made from that consumer project.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BuildResult, build, type Metafile, type Platform } from 'esbuild';
import { consumer, packedTarball } from '../support/packed-package.js';

/** The example's file name in the consumer project's root. */
export const QUICK_START = 'quick-start.mjs';

/** What the quick start prints under Node, line by line. */
export const EXPECTED_LINES: readonly string[] = [
  'a: mean 0.2381, diff 0.0000, p-value 1.0000, CI [-1.1433, 1.1433]',
  // The Python reference's README values for this data (CTR 5/21 in a, 7/26 in b): diff 0.1307692308 and
  // p-value 0.8244735669 for b, and SRM p-value 0.465803 on the next line.
  'b: mean 0.2692, diff 0.1308, p-value 0.8245, CI [-1.0510, 1.3126]',
  'SRM p-value 0.4658; warnings: small-sample',
];

/** The non-empty lines of a program's output. */
export function lines(text: string): string[] {
  return text.split(/\r?\n/).filter((line) => line !== '');
}

/**
 * The folder of the scratch consumer project `name` (packed-package.ts's `consumer`) with the packed tarball
 * installed. Give each test file its own name: the files run in parallel workers.
 */
export function packedConsumer(name: string): string {
  // Works around packed-package.ts's `once()`, which takes its lock with a non-recursive mkdir inside the
  // consumer's folder before that folder exists (ENOENT, then a 10-minute wait for a lock nobody holds): the
  // folder is created first. Harmless once that is fixed.
  mkdirSync(join(packedTarball(), '..', 'consumers', process.version, name), { recursive: true });
  return consumer(name).dir;
}

/** A scratch consumer project (see {@link packedConsumer}) with the shipped quick-start example in its root. */
export function quickStartConsumer(name: string): string {
  const dir = packedConsumer(name);
  const shipped = readFileSync(join(dir, 'node_modules', 'ep-stats', 'fixtures', 'examples', QUICK_START));
  const partial = join(dir, `${QUICK_START}.${process.pid}.tmp`);
  writeFileSync(partial, shipped);
  renameSync(partial, join(dir, QUICK_START));
  return dir;
}

/** What `node quick-start.mjs` prints in the consumer project `dir`, line by line. */
export function nodeLines(dir: string): string[] {
  return lines(execFileSync(process.execPath, [QUICK_START], { cwd: dir, encoding: 'utf8' }));
}

/** An esbuild bundle of the quick start, with what esbuild said about it. */
export interface QuickStartBundle {
  readonly code: string;
  readonly metafile: Metafile;
  readonly warnings: BuildResult['warnings'];
}

/**
 * Bundles the quick start of the consumer project `dir` with esbuild for `platform`: `browser` as an IIFE (a
 * classic script), `neutral` as an ES module. Nothing is marked external, so an import of a Node built-in
 * anywhere in the bundled code fails the build (neither platform resolves them).
 */
export async function bundleQuickStart(
  dir: string,
  platform: Extract<Platform, 'browser' | 'neutral'>,
): Promise<QuickStartBundle> {
  const result = await build({
    absWorkingDir: dir,
    entryPoints: [QUICK_START],
    bundle: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
    platform,
    format: platform === 'browser' ? 'iife' : 'esm',
    target: 'es2022',
    // The neutral platform reads no package.json field by default; ep-stats itself resolves through its
    // `exports` (esbuild applies the `import` condition to every `import` statement on every platform, so no
    // `conditions` are needed), but ndarray, ndarray-ops and fastest-levenshtein have only `main`/`module`.
    ...(platform === 'neutral' ? { mainFields: ['module', 'main'] } : {}),
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error('esbuild wrote no output file');
  return { code: output.text, metafile: result.metafile, warnings: result.warnings };
}
