/**
 * One by-unit workload in a process of its own, so that its peak resident set size is its own: builds the
 * input of a shape (`process.argv[2]`, one of `SHAPES`) for `process.argv[3]` units, evaluates it in warm
 * runs and prints `{ ms, peakRssMb, baseRssMb }` as JSON: the median time, the process's peak RSS (VmHWM,
 * input included) and its RSS before the input was built. Started by `by-unit.bench.ts`.
 */
import { readFileSync } from 'node:fs';
import { experiment, SHAPES, type Shape, unitGoals } from './by-unit-input.js';
import { medianMilliseconds } from './measure.js';

/** A field of `/proc/self/status` in MB (Linux), else the largest RSS Node knows of. */
function statusMegabytes(field: 'VmHWM' | 'VmRSS'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
    if (match !== null) return Number(match[1]) / 1024;
  } catch {
    // not Linux
  }
  return field === 'VmHWM' ? process.resourceUsage().maxRSS / 1024 : process.memoryUsage().rss / 1024 / 1024;
}

const shape = process.argv[2] as Shape;
const units = Number(process.argv[3]);
if (!SHAPES.includes(shape) || !(units > 0)) throw new Error(`usage: by-unit-workload.ts <shape> <units>`);
const baseRssMb = statusMegabytes('VmRSS');
const goals = unitGoals(units, shape);
const ms = medianMilliseconds(() => experiment.evaluateByUnit(goals), 5, 1);
console.log(JSON.stringify({ ms, peakRssMb: statusMegabytes('VmHWM'), baseRssMb }));
