import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The path of a file that ships with the package (e.g. `fixtures/examples/x.json`), as a user types it from
 * the current folder: `fixtures/examples/x.json` in a clone of the repository,
 * `node_modules/ep-stats/fixtures/examples/x.json` in a project that installed ep-stats. Used by the help
 * texts, so that their examples run as printed.
 *
 * @param fromPackageRoot - The path inside the package, with `/` separators.
 * @param cwd - The folder the path is relative to.
 * @returns The relative path, or the absolute one when the package is not below `cwd`.
 */
export function shippedPath(fromPackageRoot: string, cwd: string = process.cwd()): string {
  const root = packageRoot();
  if (root === undefined) return fromPackageRoot;
  const absolute = join(root, ...fromPackageRoot.split('/'));
  const path = relative(cwd, absolute);
  return path.startsWith('..') || isAbsolute(path) ? absolute : path.split('\\').join('/');
}

/** The folder of the nearest package.json named `ep-stats` above this module, if any. */
function packageRoot(): string | undefined {
  let folder = dirname(thisModule());
  for (;;) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest) && nameOf(manifest) === 'ep-stats') return folder;
    const parent = dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
}

function nameOf(manifest: string): unknown {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
  } catch {
    return undefined;
  }
}

/** This module's file: `__filename` where `import.meta` does not exist (CommonJS), else its URL. */
function thisModule(): string {
  return typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);
}
