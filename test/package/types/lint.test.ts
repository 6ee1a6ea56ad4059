/**
 * The packed tarball under the two package linters: publint (package.json fields against the files, in
 * `--strict` mode, where warnings are errors) and Are the Types Wrong (`attw`, how every entry's types
 * resolve for node10, node16 from CommonJS and from ESM, and bundler: the `strict` profile, the one that
 * includes node10).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { packedTarball, ROOT } from '../support/packed-package.js';

const BIN = join(ROOT, 'node_modules', '.bin');

/** The entries of package.json's `exports` map that have types. */
const ENTRIES = ['.', './testing', './server', './sql', './report'] as const;

/** The file names an entry resolves to, per resolution kind: types, then JavaScript. */
const EXPECTED: Readonly<Record<string, { readonly types: string; readonly js: string | undefined }>> = {
  // node10 reads `types` and `typesVersions`; it has no JavaScript for a subpath (Node.js itself reads
  // `exports` since 12.7), so only the types are checked.
  node10: { types: '.d.ts', js: undefined },
  'node16-cjs': { types: '.d.cts', js: '.cjs' },
  'node16-esm': { types: '.d.ts', js: '.js' },
  bundler: { types: '.d.ts', js: '.js' },
};

function fileOf(entry: string): string {
  return entry === '.' ? 'index' : entry.slice(2);
}

interface Resolution {
  readonly resolutionKind: string;
  readonly resolution?: { readonly fileName: string; readonly isTypeScript: boolean };
  readonly implementationResolution?: { readonly fileName: string };
  readonly visibleProblems?: readonly unknown[];
}

interface AttwReport {
  readonly analysis: {
    readonly types: { readonly kind: string } | false;
    readonly entrypoints: Readonly<
      Record<string, { readonly resolutions: Readonly<Record<string, Resolution>> }>
    >;
    readonly problems: readonly unknown[];
  };
}

function runTool(command: string, args: readonly string[]) {
  const result = spawnSync(join(BIN, command), [...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error !== undefined) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

let tarball = '';

beforeAll(() => {
  tarball = packedTarball();
}, 900_000);

describe('publint', () => {
  it('finds nothing in the tarball, with warnings as errors', () => {
    const { status, stdout, stderr } = runTool('publint', [
      'run',
      tarball,
      '--strict',
      '--level',
      'suggestion',
    ]);
    const output = `${stdout}${stderr}`;
    expect(status, output).toBe(0);
    // No suggestion either: publint prints "All good!" only when it has nothing to say.
    expect(output, output).toContain('All good!');
  }, 120_000);
});

describe('Are the Types Wrong (attw)', () => {
  let report: AttwReport;

  beforeAll(() => {
    // --no-definitely-typed: the package ships its types, so no @types package is looked up on npm.
    const { status, stdout, stderr } = runTool('attw', [
      tarball,
      '--format',
      'json',
      '--profile',
      'strict',
      '--no-definitely-typed',
    ]);
    if (stdout.trim() === '') throw new Error(`attw printed nothing (exit ${status}):\n${stderr}`);
    report = JSON.parse(stdout) as AttwReport;
    // The exit code follows the problems; they are asserted below, with their details.
    if (status !== 0 && report.analysis.problems.length === 0) {
      throw new Error(`attw exited with ${status} without problems:\n${stderr}`);
    }
  }, 120_000);

  it('checks every entry of the exports map that has types', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      exports: Record<string, unknown>;
    };
    const typed = Object.entries(manifest.exports)
      .filter(([, target]) => JSON.stringify(target).includes('.d.ts'))
      .map(([entry]) => entry);
    expect([...typed].sort()).toEqual([...ENTRIES].sort());
  });

  it('finds the package typed, with every entry of the exports map', () => {
    expect(report.analysis.types).toEqual({ kind: 'included' });
    expect(Object.keys(report.analysis.entrypoints)).toEqual(expect.arrayContaining([...ENTRIES]));
  });

  it('reports no problem for any entry and resolution', () => {
    expect(report.analysis.problems, JSON.stringify(report.analysis.problems, null, 2)).toEqual([]);
  });

  it.for(ENTRIES)(
    'resolves %s to its own declarations in node10, node16 (CJS and ESM) and bundler',
    (entry) => {
      const resolutions = report.analysis.entrypoints[entry]?.resolutions ?? {};
      expect(Object.keys(resolutions).sort()).toEqual(Object.keys(EXPECTED).sort());
      for (const [kind, expected] of Object.entries(EXPECTED)) {
        const resolution = resolutions[kind];
        const where = `${entry} (${kind})`;
        expect(resolution?.visibleProblems ?? [], where).toEqual([]);
        expect(resolution?.resolution?.isTypeScript, `${where} resolves to types`).toBe(true);
        expect(resolution?.resolution?.fileName, where).toBe(
          `/node_modules/ep-stats/dist/${fileOf(entry)}${expected.types}`,
        );
        if (expected.js !== undefined) {
          expect(resolution?.implementationResolution?.fileName, where).toBe(
            `/node_modules/ep-stats/dist/${fileOf(entry)}${expected.js}`,
          );
        }
      }
    },
  );
});
