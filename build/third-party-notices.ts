/**
 * Writes THIRD_PARTY_NOTICES.md: the licence and NOTICE texts of every npm package whose code the build
 * bundles into dist/ (found from the `// node_modules/<package>/...` path comments esbuild writes before each
 * bundled module), grouped by identical licence text, and the licence of the reference's test data shipped
 * in fixtures/ep-stats. Run by `npm run build` after tsup; the file is committed, and a package test checks
 * that it names every bundled package.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The packages bundled into the given build files, sorted. */
export function bundledPackages(files: readonly string[]): string[] {
  const names = new Set<string>();
  for (const file of files) {
    for (const match of readFileSync(file, 'utf8').matchAll(
      /^\/\/ node_modules\/((?:@[^/\s]+\/)?[^/\s]+)\//gm,
    )) {
      names.add(match[1] as string);
    }
  }
  return [...names].sort();
}

/** The JavaScript files of dist/. */
export function distFiles(dist = 'dist'): string[] {
  return readdirSync(dist)
    .filter((name) => /\.(c?js)$/.test(name))
    .map((name) => join(dist, name));
}

function packageText(name: string, file: string): string | undefined {
  const path = join('node_modules', name, file);
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : undefined;
}

function notices(packages: readonly string[]): string {
  const byLicence = new Map<string, { names: string[]; versions: string[]; notices: Set<string> }>();
  for (const name of packages) {
    const manifest = JSON.parse(readFileSync(join('node_modules', name, 'package.json'), 'utf8')) as {
      version: string;
      license?: string;
    };
    const licence = packageText(name, 'LICENSE') ?? `License: ${manifest.license ?? 'see the package'}`;
    const group = byLicence.get(licence) ?? { names: [], versions: [], notices: new Set<string>() };
    group.names.push(`${name}@${manifest.version}`);
    const notice = packageText(name, 'NOTICE');
    if (notice !== undefined) group.notices.add(notice);
    byLicence.set(licence, group);
  }
  const sections = [...byLicence.entries()].map(([licence, group]) =>
    [
      `## ${group.names.length === 1 ? 'Package' : 'Packages'} ${group.names.join(', ')}`,
      '',
      ...(group.notices.size > 0 ? ['NOTICE:', '', '```text', ...group.notices, '```', ''] : []),
      'Licence:',
      '',
      '```text',
      licence,
      '```',
    ].join('\n'),
  );
  const fixtures = readFileSync(join('fixtures', 'ep-stats', 'LICENSE'), 'utf8').trim();
  return [
    '# Third-party notices',
    '',
    'ep-stats is under the MIT licence (LICENSE). Its build in dist/ bundles code of the npm packages below,',
    'each under its own licence, reproduced here with its NOTICE where it has one. This file is written by',
    '`npm run build` (build/third-party-notices.ts).',
    '',
    ...sections.flatMap((section) => [section, '']),
    '## Test data in fixtures/ep-stats',
    '',
    '```text',
    fixtures,
    '```',
    '',
  ].join('\n');
}

/**
 * The packages of the inputs of tsup's metafiles (dist/metafile-*.json, read before build/prune-dist.ts
 * deletes them): esbuild writes no path comment for some modules it concatenates (d3-scale between d3-color
 * and the next file), so the comments alone can miss a bundled package.
 */
export function metafilePackages(dist = 'dist'): string[] {
  const names = new Set<string>();
  for (const file of ['metafile-esm.json', 'metafile-cjs.json']) {
    const path = join(dist, file);
    if (!existsSync(path)) continue;
    const meta = JSON.parse(readFileSync(path, 'utf8')) as { outputs: Record<string, { inputs: object }> };
    for (const output of Object.values(meta.outputs)) {
      for (const input of Object.keys(output.inputs)) {
        const match = /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
        if (match !== null) names.add(match[1] as string);
      }
    }
  }
  return [...names].sort();
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const packages = [...new Set([...bundledPackages(distFiles()), ...metafilePackages()])].sort();
  writeFileSync('THIRD_PARTY_NOTICES.md', notices(packages));
  console.log(`third-party-notices: ${packages.length} bundled packages`);
}
