/**
 * The scratch folder the `ep-stats serve` command lines of docs/rest-api.md run in: it has the repository's
 * `node_modules` and `fixtures` (linked), so that the commands find the program's packages and the bundled
 * files by the paths the page writes, and a copy of the bundled demo events under the name of any events
 * file a command names that the repository does not have (`events.parquet`: the user's own file).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT } from './rest-data.js';

/** The bundled events every user's own events file stands for. */
export const DEMO_EVENTS = join(ROOT, 'fixtures', 'events', 'demo-events.parquet');

/** A scratch folder (see the module's header) and its removal. */
export interface Scratch {
  readonly dir: string;
  /** Copies the demo events to `path` (relative to the folder) unless the path exists there. */
  provideEvents(path: string): void;
  dispose(): void;
}

/** Creates a {@link Scratch} folder. */
export function createScratch(): Scratch {
  const dir = mkdtempSync(join(tmpdir(), 'ep-stats-docs-rest-'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  symlinkSync(join(ROOT, 'fixtures'), join(dir, 'fixtures'));
  return {
    dir,
    provideEvents(path) {
      const target = join(dir, path);
      if (existsSync(target)) return;
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(DEMO_EVENTS, target);
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
