/**
 * The package's size and speed goals, checked by the install tests and printed beside the measured figures
 * by `bench/package.bench.ts`.
 */

/** Most packages a plain `npm install ep-stats` may put into node_modules, ep-stats included. */
export const MAX_CORE_PACKAGES = 15;

/** Most bytes the files of that install's node_modules may take (10 MB). */
export const MAX_CORE_NODE_MODULES_BYTES = 10 * 1024 * 1024;

/**
 * Largest packed tarball (`npm pack`'s `size`), in bytes. Measured 711,417 bytes (63 files) on 2026-12-08,
 * after metric sums and CUPED (library, SQL statements, wire fields: 645,713 bytes), then planned SRM weights,
 * report-wide corrections, one-sided tests, confidence sequences, segments and daily timelines with their
 * SQL statements and wire fields; 577,310 bytes on 2026-12-07 after the matrix kernels, 498,783 before with
 * the @stdlib functions bundled into dist/. The budget is the measurement plus about 15 %, so that growth is
 * a decision rather than an accident: raise it, with a new measurement here, when a change needs more.
 */
export const PACKED_BUDGET_BYTES = 818_000;

/** Largest unpacked package (`npm pack`'s `unpackedSize`): 3,120,722 bytes measured then, plus about 15 %. */
export const UNPACKED_BUDGET_BYTES = 3_590_000;

/** Goal for `await import('ep-stats')` in a fresh process (median of fresh processes), in milliseconds. */
export const MAX_IMPORT_MILLISECONDS = 50;
