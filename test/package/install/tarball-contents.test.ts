/**
 * What the packed tarball holds (`npm pack --dry-run --json` of it, and its files unpacked): no source maps,
 * no CommonJS build or declarations of the command, no empty declaration files; the licence texts, the
 * README and the example files; a size within budget; and a THIRD_PARTY_NOTICES.md that names every package
 * bundled into dist/.
 *
 * The tarball of `packedTarball()` is used rather than the working tree's dist/, which concurrent builds
 * rewrite; `npm pack --dry-run` of a tarball lists exactly what `npm pack` of the tree wrote into it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledPackages, distFiles } from '../../../build/third-party-notices.js';
import { packedTarball, ROOT, run } from '../support/packed-package.js';
import { PACKED_BUDGET_BYTES, UNPACKED_BUDGET_BYTES } from './support/budgets.js';

/** One entry of `npm pack --json`. */
interface PackReport {
  readonly size: number;
  readonly unpackedSize: number;
  readonly entryCount: number;
  readonly files: readonly { readonly path: string; readonly size: number }[];
}

const BUILD_TIMEOUT = 900_000;

let report: PackReport;
let paths: string[];
/** The tarball unpacked (its `package/` folder). */
let unpacked: string;
let scratch: string;

beforeAll(() => {
  const tarball = packedTarball();
  scratch = mkdtempSync(join(realpathSync(tmpdir()), 'ep-stats-tarball-'));
  const output = run('npm', ['pack', '--dry-run', '--json', tarball], scratch);
  [report] = JSON.parse(output) as [PackReport];
  paths = report.files.map((file) => file.path);
  execFileSync('tar', ['-xzf', tarball, '-C', scratch]);
  unpacked = join(scratch, 'package');
}, BUILD_TIMEOUT);
afterAll(() => {
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

/** Declarations without a declaration: nothing but whitespace, comments and `export {}`. */
function isEmptyDeclaration(text: string): boolean {
  const code = text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '')
    .replace(/export\s*\{\s*\}\s*;?/g, '')
    .trim();
  return code === '';
}

describe('the packed tarball', () => {
  it('has no source maps', () => {
    expect(paths.filter((path) => path.endsWith('.map'))).toEqual([]);
  });

  it('has neither a CommonJS build nor declarations of the command (ESM only, no API)', () => {
    expect(paths.filter((path) => /^dist\/cli\.(c?js|d\.c?ts)$/.test(path))).toEqual(['dist/cli.js']);
  });

  it('has no empty declaration file', () => {
    const declarations = paths.filter((path) => /\.d\.c?ts$/.test(path));
    expect(declarations.length).toBeGreaterThan(0);
    const empty = declarations.filter((path) =>
      isEmptyDeclaration(readFileSync(join(unpacked, path), 'utf8')),
    );
    expect(empty).toEqual([]);
  });

  it('has the licences, the README and the example files', () => {
    expect(paths).toEqual(expect.arrayContaining(['LICENSE', 'THIRD_PARTY_NOTICES.md', 'README.md']));
    const examples = readdirSync(join(ROOT, 'fixtures', 'examples')).map(
      (name) => `fixtures/examples/${name}`,
    );
    expect(examples.length).toBeGreaterThan(0);
    expect(paths).toEqual(expect.arrayContaining(examples));
  });

  it(`packs into at most ${PACKED_BUDGET_BYTES} bytes, ${UNPACKED_BUDGET_BYTES} unpacked`, () => {
    const largest = [...report.files]
      .sort((a, b) => b.size - a.size)
      .slice(0, 10)
      .map((file) => `${file.path}: ${file.size}`)
      .join('\n');
    expect(report.size, `packed size; largest files:\n${largest}`).toBeLessThanOrEqual(PACKED_BUDGET_BYTES);
    expect(report.unpackedSize, `unpacked size; largest files:\n${largest}`).toBeLessThanOrEqual(
      UNPACKED_BUDGET_BYTES,
    );
  });

  it('names every package bundled into dist/ in THIRD_PARTY_NOTICES.md', () => {
    const bundled = bundledPackages(distFiles(join(unpacked, 'dist')));
    expect(bundled.length).toBeGreaterThan(0);
    const notices = readFileSync(join(unpacked, 'THIRD_PARTY_NOTICES.md'), 'utf8');
    // Each package is named with its version in a `## Package(s) a@1.0.0, b@2.0.0` heading.
    const named = new Set(
      [...notices.matchAll(/^## Packages? (.+)$/gm)].flatMap((match) =>
        (match[1] as string).split(', ').map((entry) => entry.replace(/@[^@]+$/, '')),
      ),
    );
    expect(bundled.filter((name) => !named.has(name))).toEqual([]);
  });
});
