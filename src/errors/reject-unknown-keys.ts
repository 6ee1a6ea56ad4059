import { didYouMean } from '../text/closest-name.js';
import { ValidationError } from './validation-error.js';

/**
 * The known keys of an options type, listed once as `{ key: true }` so that the compiler checks the list
 * against the type (a missing or a stray key does not compile).
 *
 * @param keys - Every key of `T`, each set to `true`, in the order messages list them.
 * @returns The keys, in the order given.
 * @internal
 */
export function optionKeys<T>(keys: { readonly [K in keyof Required<T>]: true }): ReadonlySet<string> {
  return new Set(Object.keys(keys));
}

/**
 * How {@link rejectUnknownKeys} words its message and where it points.
 *
 * @example
 * ```ts
 * import type { UnknownKeyVocabulary } from 'ep-stats';
 * const vocabulary: UnknownKeyVocabulary = { noun: 'field', path: ['metrics', 0] };
 * vocabulary.noun; // => 'field'
 * ```
 * @public
 */
export interface UnknownKeyVocabulary {
  /** What a key is called: `option` (the default) for the library, `field` for a file or a request body. */
  readonly noun?: string;
  /** Path of the object itself, prepended to the key in the error's `path` (default: none). */
  readonly path?: readonly (string | number)[];
}

/**
 * Throws when an options object has a key its type does not declare, so that a misspelled option is an
 * error instead of being silently dropped. The library checks every options object with it; front ends
 * (the command's experiment files, an adopter's own request format) use it for their own objects.
 *
 * @remarks
 * Only own enumerable keys are checked, in insertion order; the first unknown one is reported as
 * "Unknown option `minimumEfect` of Metric (did you mean `minimumEffect`?). Known options: id, name, ..."
 * with `path` `[...vocabulary.path, key]`. The suggestion is the closest known key that the object does not
 * already have (see `closestName`; `nominator` next to a given `denominator` suggests `numerator`), left
 * out when none is close. A value that is not an object is left to the caller's own checks.
 *
 * @param options - The object as the caller passed it.
 * @param known - The declared keys (`optionKeys`).
 * @param owner - What the options configure, as the message names it (`Metric`, `metrics[0]`).
 * @param vocabulary - The noun for a key and the path of the object.
 * @throws {@link ValidationError} for the first unknown key.
 *
 * @example
 * ```ts
 * import { rejectUnknownKeys, ValidationError } from 'ep-stats';
 * const known = new Set(['id', 'minimum_effect']);
 * rejectUnknownKeys({ id: 1, minimum_effect: 0.1 }, known, 'metrics[0]', { noun: 'field' }); // => undefined
 * rejectUnknownKeys({ id: 1, minimum_efect: 0.1 }, known, 'metrics[0]', { noun: 'field' }); // throws ValidationError
 * ```
 * @public
 */
export function rejectUnknownKeys(
  options: unknown,
  known: ReadonlySet<string>,
  owner: string,
  vocabulary: UnknownKeyVocabulary = {},
): void {
  if (typeof options !== 'object' || options === null) return;
  for (const key in options) {
    if (!Object.hasOwn(options, key) || known.has(key)) continue;
    const noun = vocabulary.noun ?? 'option';
    const unused = [...known].filter((name) => !Object.hasOwn(options, name));
    throw new ValidationError(
      `Unknown ${noun} \`${key}\` of ${owner}${didYouMean(key, unused)}. Known ${noun}s: ${[...known].join(', ')}`,
      [...(vocabulary.path ?? []), key],
    );
  }
}
