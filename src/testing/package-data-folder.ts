import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package whose files are located. */
const PACKAGE_NAME = 'ep-stats';

/** Where the reference test data lives inside the package. */
const DATA_FOLDER = join('fixtures', 'ep-stats');

/**
 * The folder of the ep-stats package that this code belongs to: the repository in a clone, or
 * `node_modules/ep-stats` where it is installed. Its `fixtures/` hold the bundled reference test data and
 * the examples that `ep-stats evaluate --help` names.
 *
 * @remarks
 * Walks up from this module's own location (the sources under `src/testing/`, or the build under `dist/`)
 * to the first folder whose `package.json` names the package `ep-stats`, so the folder is found the same way
 * from the sources, from the ES module build and from the CommonJS build, installed or not.
 *
 * @param from - Where to start walking up (a file URL or path); this module's location by default.
 * @returns The absolute path of the package folder.
 * @throws `Error` when no enclosing `ep-stats` package is found.
 *
 * @example
 * ```ts
 * import { packageFolder } from 'ep-stats/testing';
 * typeof packageFolder(); // => 'string'
 * ```
 * @public
 */
export function packageFolder(from: string = thisModule()): string {
  const start = from.startsWith('file:') ? fileURLToPath(from) : from;
  let folder = dirname(start);
  for (;;) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest) && nameOf(manifest) === PACKAGE_NAME) return folder;
    const parent = dirname(folder);
    if (parent === folder) {
      throw new Error(
        `Cannot find the ${PACKAGE_NAME} package: no package.json named ${PACKAGE_NAME} above ${start}`,
      );
    }
    folder = parent;
  }
}

/**
 * The folder holding the bundled reference test data (`<package folder>/fixtures/ep-stats`).
 *
 * @param from - Where to start looking for the package folder (see {@link packageFolder}).
 * @returns The absolute path of the data folder.
 * @throws `Error` when no enclosing `ep-stats` package or no data folder is found.
 *
 * @internal
 */
export function packageDataFolder(from: string = thisModule()): string {
  const folder = packageFolder(from);
  const data = join(folder, DATA_FOLDER);
  if (!existsSync(data)) {
    throw new Error(
      `The ${PACKAGE_NAME} package at ${folder} has no ${DATA_FOLDER} folder; reinstall the package ` +
        `(its "files" must include ${DATA_FOLDER})`,
    );
  }
  return data;
}

function nameOf(manifest: string): unknown {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
  } catch {
    return undefined;
  }
}

/**
 * This module's location: `__filename` in the CommonJS build (where `import.meta` does not exist), the
 * module URL in the ES module build and in the sources.
 */
function thisModule(): string {
  return typeof __filename === 'string' ? __filename : import.meta.url;
}
