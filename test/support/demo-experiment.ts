import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * The demo experiment without its CUPED metric, which goal rows cannot evaluate: for tests of the goals and
 * by-unit paths of the demo events. Written under node_modules/.cache (relative to the repository root, as
 * the program's tests pass paths) from fixtures/examples/demo-events.experiment.json, so it follows the
 * committed demo.
 */
export function demoGoalsExperiment(): string {
  const source = JSON.parse(
    readFileSync(join(ROOT, 'fixtures', 'examples', 'demo-events.experiment.json'), 'utf8'),
  ) as { metrics: { cuped?: unknown }[] };
  const withoutCuped = { ...source, metrics: source.metrics.filter((metric) => metric.cuped === undefined) };
  const relative = join('node_modules', '.cache', 'ep-stats-tests', 'demo-events-goals.experiment.json');
  const path = join(ROOT, relative);
  mkdirSync(join(path, '..'), { recursive: true });
  const temporary = `${path}.${process.pid}`;
  writeFileSync(temporary, `${JSON.stringify(withoutCuped, null, 2)}\n`);
  renameSync(temporary, path);
  return relative;
}
