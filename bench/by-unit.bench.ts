/**
 * By-unit evaluation (`Experiment.evaluateByUnit`) of 10,000 and 1,000,000 units with 3 goal rows each, in
 * every input shape. The goals are for column arrays with string unit ids: 10,000 units within 3 ms, and
 * 1,000,000 units within 400 ms with a peak resident set size of at most 450 MB, input included. Each 1M
 * workload runs in a process of its own (`by-unit-workload.ts`) so that its peak RSS is its own. Each
 * figure's name says its goal and whether it is met; `report` marks figures without a goal.
 *
 * Run alone with `npm run bench -- by-unit`.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { experiment, SHAPES, type Shape, unitGoals } from './by-unit-input.js';
import type { Measurement } from './measure.js';
import { medianMilliseconds, withGoal } from './measure.js';

/** The shape the goals are for. */
const GOAL_SHAPE: Shape = 'columns, string ids';
const MAX_MS_10K = 3;
const MAX_MS_1M = 400;
const MAX_RSS_MB_1M = 450;

/** The 1M workload of a shape in a child process (the same Node options as this one). */
function workload(shape: Shape, units: number): { ms: number; peakRssMb: number; baseRssMb: number } {
  const script = fileURLToPath(new URL('./by-unit-workload.ts', import.meta.url));
  const output = execFileSync(process.execPath, [...process.execArgv, script, shape, String(units)], {
    encoding: 'utf8',
    maxBuffer: 1024 * 1024,
  });
  return JSON.parse(output.trim().split('\n').pop()!) as { ms: number; peakRssMb: number; baseRssMb: number };
}

/** `npm run bench` entry. */
export function runByUnitBench(): Measurement[] {
  const results: Measurement[] = [];
  for (const shape of SHAPES) {
    const goals = unitGoals(10_000, shape);
    const ms = medianMilliseconds(() => experiment.evaluateByUnit(goals), 7, 20);
    const name = `evaluateByUnit 10,000 units x 3 goals, ${shape}`;
    results.push({
      name: shape === GOAL_SHAPE ? withGoal(name, ms, MAX_MS_10K, 'ms') : `${name} (report)`,
      value: ms,
      unit: 'ms',
    });
  }
  for (const shape of SHAPES) {
    const { ms, peakRssMb, baseRssMb } = workload(shape, 1_000_000);
    const name = `evaluateByUnit 1,000,000 units x 3 goals, ${shape}`;
    const goal = shape === GOAL_SHAPE;
    results.push({
      name: goal ? withGoal(name, ms, MAX_MS_1M, 'ms') : `${name} (report)`,
      value: ms,
      unit: 'ms',
    });
    const rssName = `${name}: peak RSS of its process, input included`;
    results.push({
      name: goal ? withGoal(rssName, peakRssMb, MAX_RSS_MB_1M, 'MB') : `${rssName} (report)`,
      value: peakRssMb,
      unit: 'MB',
    });
    if (goal) {
      results.push({
        name: `${name}: RSS of its process before the input (report)`,
        value: baseRssMb,
        unit: 'MB',
      });
    }
  }
  return results;
}
