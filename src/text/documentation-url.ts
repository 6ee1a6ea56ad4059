/**
 * Where the documentation pages live (the `docs/` folder of the repository), so that messages and help
 * texts name a page that resolves wherever the package is installed: `${DOCUMENTATION_URL}numerics.md`.
 *
 * @example
 * ```ts
 * import { DOCUMENTATION_URL } from 'ep-stats';
 * `${DOCUMENTATION_URL}statistics.md`; // => 'https://github.com/ep-stats/ep-stats-ts/blob/main/docs/statistics.md'
 * ```
 * @public
 */
export const DOCUMENTATION_URL = 'https://github.com/ep-stats/ep-stats-ts/blob/main/docs/';
