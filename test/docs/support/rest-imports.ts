/**
 * The packages a module of the sources loads: the bare specifiers of every import (static, dynamic and
 * `export ... from`) of the module and of the source modules it imports, transitively.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ts from 'typescript';

/** The package of a bare specifier (`@fastify/swagger/x` -> `@fastify/swagger`, `csv-parse/sync` -> `csv-parse`). */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

/**
 * The packages (not `node:` built-ins) that `entry` (a `.ts` file) and the source modules it imports load.
 * Throws on a relative import that does not resolve to a source file.
 */
export function packagesLoadedBy(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (fileName.startsWith('.')) {
        const base = resolve(dirname(file), fileName);
        const target = [base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), base].find(
          (candidate) => existsSync(candidate),
        );
        if (target === undefined) throw new Error(`${file}: cannot resolve ${fileName}`);
        if (/\.[mc]?ts$/.test(target)) visit(target);
      } else if (!fileName.startsWith('node:')) {
        packages.add(packageOf(fileName));
      }
    }
  };
  visit(resolve(entry));
  return packages;
}
