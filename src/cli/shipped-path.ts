import { isAbsolute, join, relative } from 'node:path';
import { packageFolder } from '../testing/index.js';

/**
 * The path of a file that ships with the package (e.g. `fixtures/examples/x.json`), as a user types it from
 * the current folder: `fixtures/examples/x.json` in a clone of the repository,
 * `node_modules/ep-stats/fixtures/examples/x.json` in a project that installed ep-stats. Used by the help
 * texts, so that their examples run as printed.
 *
 * @param fromPackageRoot - The path inside the package, with `/` separators.
 * @param cwd - The folder the path is relative to.
 * @returns The relative path, the absolute one when the package is not below `cwd`, or `fromPackageRoot`
 *   itself when the package folder cannot be found.
 */
export function shippedPath(fromPackageRoot: string, cwd: string = process.cwd()): string {
  let root: string;
  try {
    root = packageFolder();
  } catch {
    return fromPackageRoot;
  }
  const absolute = join(root, ...fromPackageRoot.split('/'));
  const path = relative(cwd, absolute);
  return path.startsWith('..') || isAbsolute(path) ? absolute : path.split('\\').join('/');
}
