import { ValidationError } from '../errors/validation-error.js';

/**
 * Checks an SRM check's planned allocation (`expectedWeights`) when the check is built: a plain object
 * with at least one variant, every weight a positive finite number.
 *
 * @param value - The option as the caller passed it.
 * @returns A frozen copy.
 * @throws {@link ValidationError} with path `['expectedWeights']` when it is not an object or names no
 *   variant, `['expectedWeights', variant]` for a weight that is not a positive finite number.
 * @internal
 */
export function validateExpectedWeights(value: unknown): Readonly<Record<string, number>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(
      `\`expectedWeights\` must be an object of variant id -> planned weight, e.g. { a: 90, b: 10 }, received ${describe(value)}.`,
      ['expectedWeights'],
    );
  }
  const entries = Object.entries(value);
  if (entries.length === 0) {
    throw new ValidationError(
      '`expectedWeights` names no variant; give every variant its planned weight, e.g. { a: 90, b: 10 }, or leave the option out for an equal split.',
      ['expectedWeights'],
    );
  }
  const weights: Record<string, number> = {};
  for (const [variant, weight] of entries) {
    if (!(typeof weight === 'number' && weight > 0 && Number.isFinite(weight))) {
      throw new ValidationError(
        `\`expectedWeights\` of variant '${variant}' must be a positive finite number (a planned weight such as 90 or 0.9), received ${describe(weight)}.`,
        ['expectedWeights', variant],
      );
    }
    Object.defineProperty(weights, variant, { value: weight, enumerable: true });
  }
  return Object.freeze(weights);
}

/**
 * The planned weights in the order of the evaluated variants.
 *
 * @remarks
 * Both directions must match: a variant of the data without a weight has no expected count, and a weight
 * of a variant that is not evaluated would silently be dropped (its share renormalised onto the others),
 * hiding the very mismatch the check looks for. A planned variant that got no rows at all is evaluated
 * with zero exposures when it is among the experiment's explicit `variants`.
 *
 * @param weights - Validated weights ({@link validateExpectedWeights}).
 * @param variants - Variant ids in the order of the exposure vector, or `undefined` when the source does
 *   not say.
 * @throws {@link ValidationError} with path `['expectedWeights']` when `variants` is undefined, and
 *   `['expectedWeights', variant]` naming the first variant without a weight, or else the first weighted
 *   variant that is not evaluated (the message lists all of them).
 * @internal
 */
export function weightsOfVariants(
  weights: Readonly<Record<string, number>>,
  variants: readonly string[] | undefined,
): Float64Array {
  if (variants === undefined) {
    throw new ValidationError(
      '`expectedWeights` needs the variant ids of the exposures, and this goal source has no `variants`; give the AggregatedGoalSource its `variants` in vector order.',
      ['expectedWeights'],
    );
  }
  const unweighted = variants.filter((variant) => !Object.hasOwn(weights, variant));
  if (unweighted.length > 0) {
    throw new ValidationError(
      `\`expectedWeights\` has no weight for variant${plural(unweighted)} ${quoted(unweighted)} of the data (variants ${quoted(variants)}, weights for ${quoted(Object.keys(weights))}); give every evaluated variant its planned weight.`,
      ['expectedWeights', unweighted[0]!],
    );
  }
  const evaluated = new Set(variants);
  const absent = Object.keys(weights).filter((variant) => !evaluated.has(variant));
  if (absent.length > 0) {
    throw new ValidationError(
      `\`expectedWeights\` names variant${plural(absent)} ${quoted(absent)}, not among the evaluated variants ${quoted(variants)}; list ${absent.length === 1 ? 'it' : 'them'} in the experiment's \`variants\` to count zero exposures, or remove the weight.`,
      ['expectedWeights', absent[0]!],
    );
  }
  return Float64Array.from(variants, (variant) => weights[variant]!);
}

function quoted(variants: readonly string[]): string {
  return variants.map((variant) => `'${variant}'`).join(', ');
}

function plural(variants: readonly string[]): string {
  return variants.length === 1 ? '' : 's';
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  return String(value);
}
