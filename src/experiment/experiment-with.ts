/**
 * A copy of `experiment` (same prototype, same fields) with `fields` set on it: the experiment as it would be
 * defined with those fields, for one evaluation (a timeline's day, a segmented evaluation's corrected block).
 * The experiment itself is not changed.
 *
 * @internal
 */
export function experimentWith<T extends object>(
  experiment: T,
  fields: Readonly<Record<string, unknown>>,
): T {
  const descriptors: PropertyDescriptorMap = Object.getOwnPropertyDescriptors(experiment);
  for (const [name, value] of Object.entries(fields)) descriptors[name] = { value, enumerable: true };
  return Object.create(Object.getPrototypeOf(experiment) as object, descriptors) as T;
}
