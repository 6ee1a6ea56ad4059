import { ValidationError } from '../errors/validation-error.js';
import { AGGREGATED_COLUMNS } from '../expression/evaluate-aggregated.js';
import { BREAKDOWN_COLUMN, selectGoalRows, splitGoalRows } from '../goals/split-goal-rows.js';
import type { MultipleTestingCorrection } from '../statistics/correct-for-multiple-testing.js';
import {
  type CorrectionHook,
  type CorrectionHookCells,
  type CorrectionScope,
  correctAcrossEvaluations,
} from './correct-evaluation-families.js';
import type { EvaluateOptions } from './evaluate-options.js';
import type { Evaluation, EvaluationWarning } from './evaluation.js';
import { experimentWith } from './experiment-with.js';

/**
 * Label of the segment into which the segments beyond the top {@link Experiment.breakdownTop} of a
 * breakdown are folded.
 *
 * @example
 * ```ts
 * import { OTHER_SEGMENT } from 'ep-stats';
 * OTHER_SEGMENT; // => '(other)'
 * ```
 * @public
 */
export const OTHER_SEGMENT = '(other)';

/**
 * Default number of segments kept per breakdown before the rest are folded into {@link OTHER_SEGMENT}.
 *
 * @example
 * ```ts
 * import { DEFAULT_BREAKDOWN_TOP } from 'ep-stats';
 * DEFAULT_BREAKDOWN_TOP; // => 20
 * ```
 * @public
 */
export const DEFAULT_BREAKDOWN_TOP = 20;

/**
 * One block of a {@link SegmentedEvaluation}: the evaluation of the rows of one value of one breakdown.
 *
 * @example
 * ```ts
 * import type { EvaluationSegment } from 'ep-stats';
 * const label = (segment: EvaluationSegment) => `${segment.breakdown}=${segment.value}`;
 * label.length; // => 1
 * ```
 * @public
 */
export interface EvaluationSegment {
  /** The breakdown (dimension column), e.g. `country`. */
  readonly breakdown: string;
  /** The segment value, {@link NO_VALUE_SEGMENT} for an empty cell, {@link OTHER_SEGMENT} for the folded rest. */
  readonly value: string;
  /** For {@link OTHER_SEGMENT}: the values folded into it, sorted; absent otherwise. */
  readonly folded?: readonly string[];
  /** Exposed units of the segment over all variants (the sum of its evaluation's exposures), its rank key. */
  readonly exposures: number;
  /**
   * The evaluation of the segment's rows alone, exactly as evaluating those rows would give it; with
   * `correctionScope: 'report'`, with the p-values and intervals of the treatments corrected across all blocks.
   */
  readonly evaluation: Evaluation;
}

/**
 * A warning of a {@link SegmentedEvaluation}, tagged with the segment that raised it (absent for the
 * overall block).
 *
 * @example
 * ```ts
 * import type { SegmentWarning } from 'ep-stats';
 * const warning: SegmentWarning = { code: 'empty-input', message: 'no rows', segment: { breakdown: 'country', value: 'CZ' } };
 * warning.segment?.value; // => 'CZ'
 * ```
 * @public
 */
export interface SegmentWarning extends EvaluationWarning {
  readonly segment?: { readonly breakdown: string; readonly value: string };
}

/**
 * Options of {@link Experiment.evaluateAggSegments} and {@link Experiment.evaluateByUnitSegments}.
 *
 * @example
 * ```ts
 * import type { SegmentEvaluateOptions, SegmentWarning } from 'ep-stats';
 * const seen: SegmentWarning[] = [];
 * const options: SegmentEvaluateOptions = { onWarning: (warning) => seen.push(warning), timestamp: 0 };
 * options.timestamp; // => 0
 * ```
 * @public
 */
export interface SegmentEvaluateOptions {
  /** Called with each warning of the blocks kept in the result, tagged with its segment. */
  readonly onWarning?: (warning: SegmentWarning) => void;
  /** Evaluation time in unix seconds, the same for every block (default: now). */
  readonly timestamp?: number;
}

/**
 * The evaluation of an experiment overall and per segment of each breakdown.
 *
 * @example
 * ```ts
 * import type { SegmentedEvaluation } from 'ep-stats';
 * const countries = (result: SegmentedEvaluation) => result.segments.filter((s) => s.breakdown === 'country');
 * countries.length; // => 1
 * ```
 * @public
 */
export interface SegmentedEvaluation {
  /** The evaluation of the totals. */
  readonly overall: Evaluation;
  /**
   * Per breakdown (in definition order), its kept segments by decreasing exposures (ties by value), then
   * {@link OTHER_SEGMENT} when some were folded.
   */
  readonly segments: readonly EvaluationSegment[];
  /** Every warning of every block, tagged with its segment. */
  readonly warnings: readonly SegmentWarning[];
}

/** Goal-row columns that cannot be breakdowns. */
const RESERVED_COLUMNS: ReadonlySet<string> = new Set([
  'exp_id',
  'exp_variant_id',
  'unit_type',
  'agg_type',
  'goal',
  'unit_id',
  ...AGGREGATED_COLUMNS,
  'pre_days',
  BREAKDOWN_COLUMN,
]);

const DIMENSION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Validates `breakdowns` and `breakdownTop` of an experiment.
 *
 * @param dimensions - The dimensions the experiment's goals constrain: a breakdown may not be one of them.
 * @internal
 */
export function validateBreakdowns(
  breakdowns: unknown,
  top: unknown,
  dimensions: readonly string[],
): [readonly string[], number] {
  const names: string[] = [];
  if (breakdowns != null) {
    if (!Array.isArray(breakdowns)) {
      throw new ValidationError('`breakdowns` must be an array of dimension names', ['breakdowns']);
    }
    breakdowns.forEach((name: unknown, index) => {
      if (typeof name !== 'string' || !DIMENSION_NAME.test(name)) {
        throw new ValidationError(
          `breakdown ${JSON.stringify(name)} is not a dimension name: use letters, digits and \`_\`, starting with a letter or \`_\``,
          ['breakdowns', index],
        );
      }
      if (RESERVED_COLUMNS.has(name)) {
        throw new ValidationError(`breakdown \`${name}\` is a column of the goal rows, not a dimension`, [
          'breakdowns',
          index,
        ]);
      }
      if (names.includes(name)) {
        throw new ValidationError(`breakdown \`${name}\` is given twice`, ['breakdowns', index]);
      }
      if (dimensions.includes(name)) {
        throw new ValidationError(
          `breakdown \`${name}\` is a dimension a goal of the experiment constrains; split by another dimension, or remove the condition on \`${name}\` from the goals`,
          ['breakdowns', index],
        );
      }
      names.push(name);
    });
  }
  const count = top ?? DEFAULT_BREAKDOWN_TOP;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
    throw new ValidationError(
      `\`breakdownTop\` must be a whole number of at least 1, received ${String(top)}`,
      ['breakdownTop'],
    );
  }
  return [Object.freeze(names), count];
}

/** What the segmented evaluation needs of an experiment. @internal */
export interface SegmentedExperiment {
  readonly breakdowns: readonly string[];
  readonly breakdownTop: number;
  readonly correction: MultipleTestingCorrection;
  readonly correctionScope: CorrectionScope;
}

/** A block of the result with the rows it evaluates. */
interface Block {
  readonly breakdown?: string;
  readonly value?: string;
  readonly folded?: readonly string[];
  readonly rows: readonly number[];
  evaluation: Evaluation;
}

/**
 * Evaluates the totals and every segment of every breakdown with `evaluate` (the experiment's `evaluateAgg`
 * or `evaluateByUnit` of the experiment it is given), folding each breakdown's segments beyond the top
 * `breakdownTop` by exposures into {@link OTHER_SEGMENT}. With `correctionScope: 'report'` (and a
 * correction), the treatment cells of every block of the result are corrected as one family: every block is
 * evaluated once for its p-values, then again with the family's adjusted p-values and interval levels.
 *
 * @internal
 */
export function evaluateSegments<E extends SegmentedExperiment, G>(
  experiment: E,
  goals: G,
  evaluate: (experiment: E, goals: G, options: EvaluateOptions) => Evaluation,
  options: SegmentEvaluateOptions,
): SegmentedEvaluation {
  const timestamp = options.timestamp ?? Math.round(Date.now() / 1000);
  const joint = experiment.correctionScope === 'report' && experiment.correction !== 'none';
  const split = splitGoalRows(goals, experiment.breakdowns);
  // The cells each evaluation handed to the correction, when the blocks are corrected jointly.
  const cellsOf = new Map<Evaluation, CorrectionHookCells>();
  const run = (rows: readonly number[]): Evaluation => {
    if (!joint) return evaluate(experiment, selectGoalRows(goals, rows), { timestamp });
    let seen: CorrectionHookCells | undefined;
    const correctionHook: CorrectionHook = (cells) => {
      seen = { ...cells, pValue: Float64Array.from(cells.pValue) };
      return undefined;
    };
    const evaluation = evaluate(experimentWith(experiment, { correctionHook }), selectGoalRows(goals, rows), {
      timestamp,
    });
    if (seen !== undefined) cellsOf.set(evaluation, seen);
    return evaluation;
  };
  const blocks: Block[] = [{ rows: split.totals, evaluation: run(split.totals) }];
  experiment.breakdowns.forEach((breakdown, b) => {
    const ranked = [...split.segments[b]!].map(([value, rows]) => {
      const evaluation = run(rows);
      return { breakdown, value, rows, exposures: totalExposures(evaluation), evaluation };
    });
    ranked.sort((x, y) => y.exposures - x.exposures || compareText(x.value, y.value));
    blocks.push(...ranked.slice(0, experiment.breakdownTop));
    const rest = ranked.slice(experiment.breakdownTop);
    if (rest.length > 0) {
      const rows = rest.flatMap((segment) => segment.rows).sort((x, y) => x - y);
      const folded = Object.freeze(rest.map((segment) => segment.value).sort(compareText));
      blocks.push({ breakdown, value: OTHER_SEGMENT, folded, rows, evaluation: run(rows) });
    }
  });
  if (joint) {
    const corrected = correctAcrossEvaluations(
      experiment.correction,
      blocks.map((block) => cellsOf.get(block.evaluation)),
    );
    blocks.forEach((block, index) => {
      const cells = corrected[index];
      if (cells === undefined) return;
      const correctionHook: CorrectionHook = () => cells;
      block.evaluation = evaluate(
        experimentWith(experiment, { correctionHook }),
        selectGoalRows(goals, block.rows),
        {
          timestamp,
        },
      );
    });
  }
  const overall = blocks[0]!.evaluation;
  const segments = blocks.slice(1).map(({ breakdown, value, folded, evaluation }) =>
    Object.freeze({
      breakdown: breakdown!,
      value: value!,
      ...(folded === undefined ? {} : { folded }),
      exposures: totalExposures(evaluation),
      evaluation,
    }),
  );
  const warnings: SegmentWarning[] = [...overall.warnings];
  for (const { breakdown, value, evaluation } of segments) {
    const segment = Object.freeze({ breakdown, value });
    for (const warning of evaluation.warnings) warnings.push(Object.freeze({ ...warning, segment }));
  }
  if (options.onWarning !== undefined) for (const warning of warnings) options.onWarning(warning);
  return Object.freeze({ overall, segments: Object.freeze(segments), warnings: Object.freeze(warnings) });
}

function totalExposures(evaluation: Evaluation): number {
  let total = 0;
  for (const row of evaluation.exposures) total += row.exposures;
  return total;
}

function compareText(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
