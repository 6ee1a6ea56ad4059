import type { Expression, GoalReference } from './ast.js';
import { collectGoals } from './collect-goals.js';
import { completeDimensions, dimensionNames } from './complete-dimensions.js';
import { parseExpression } from './parse-expression.js';

/**
 * A metric's parsed nominator and denominator with the goals they read.
 *
 * @example
 * ```ts
 * import { parseMetricExpressions, type MetricExpressions } from 'ep-stats';
 * const parsed: MetricExpressions = parseMetricExpressions('count(u.unit.click)', 'count(u.unit.exposure)');
 * parsed.goals.length; // => 2
 * ```
 * @public
 */
export interface MetricExpressions {
  /** The nominator tree, as parsed. */
  readonly nominator: Expression;
  /** The denominator tree, as parsed. */
  readonly denominator: Expression;
  /** The distinct goals of both, in order of first appearance, each completed to the metric's dimensions. */
  readonly goals: readonly GoalReference[];
}

/**
 * Parses a metric's nominator and denominator and lists their goals with completed dimensions.
 *
 * @remarks
 * Goals are collected from the nominator, then the denominator ({@link collectGoals}), and each is completed
 * ({@link completeDimensions}) with every dimension name that any goal of the metric mentions
 * ({@link dimensionNames}). The trees themselves are returned as parsed. The result is frozen.
 *
 * @param nominator - The nominator expression text.
 * @param denominator - The denominator expression text.
 * @returns The two trees and the completed goals.
 * @throws {@link ExpressionError} when either text does not parse; its `text` tells which one.
 *
 * @example
 * ```ts
 * import { goalKey, parseMetricExpressions } from 'ep-stats';
 * const { goals } = parseMetricExpressions('count(t.global.conversion(x=1, y=2))', 'count(t.global.conversion(x=1))');
 * goals.map(goalKey); // => ['t.global.conversion[x=1, y=2]', 't.global.conversion[x=1]']
 * goals[1]?.dimensions.map((dimension) => dimension.name); // => ['x', 'y']
 * ```
 * @public
 */
export function parseMetricExpressions(nominator: string, denominator: string): MetricExpressions {
  const nominatorTree = parseExpression(nominator);
  const denominatorTree = parseExpression(denominator);
  const goals = collectGoals(nominatorTree, denominatorTree);
  const names = dimensionNames(goals);
  return Object.freeze({
    nominator: nominatorTree,
    denominator: denominatorTree,
    goals: Object.freeze(goals.map((goal) => completeDimensions(goal, names))),
  });
}
