/**
 * Runs after tsup (`npm run build`): deletes the CommonJS files that no library entry reaches (the command
 * is ESM only, so its CommonJS twin and the chunks only that twin loads would be shipped unused), then the
 * build's metafiles.
 */
import { readFileSync, rmSync } from 'node:fs';
import { config } from '../tsup.config.js';

interface Metafile {
  readonly outputs: Record<string, { readonly imports?: readonly { readonly path: string }[] }>;
}

// The command and the server's worker module are loaded as ESM only.
const entries = Object.keys((config as { entry: Record<string, string> }).entry).filter(
  (name) => name !== 'cli' && name !== 'statistics-worker',
);
const meta = JSON.parse(readFileSync('dist/metafile-cjs.json', 'utf8')) as Metafile;
const reached = new Set<string>();
const visit = (file: string): void => {
  if (reached.has(file) || !(file in meta.outputs)) return;
  reached.add(file);
  for (const dependency of meta.outputs[file]?.imports ?? []) visit(dependency.path);
};
for (const name of entries) visit(`dist/${name}.cjs`);
const unused = Object.keys(meta.outputs).filter((file) => !reached.has(file));
for (const file of unused) rmSync(file, { force: true });
rmSync('dist/metafile-cjs.json', { force: true });
rmSync('dist/metafile-esm.json', { force: true });
console.log(`prune-dist: removed ${unused.length} CommonJS files only the command would load`);
