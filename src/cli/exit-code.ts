/**
 * Exit codes of the `ep-stats` command.
 *
 * @remarks
 * `0` success; `1` the evaluation could not be done because of its input (an invalid experiment definition,
 * malformed goal rows or events, a file whose content is not what it should be, invalid statistical
 * parameters), or `evaluate --fail-on-warning` raised a warning; `2` the command line itself is wrong
 * (unknown option, missing argument, a file path that cannot be read or written, a database that cannot be
 * reached or a table that does not exist, an option value of the wrong form).
 */
export const ExitCode = Object.freeze({ ok: 0, failure: 1, usage: 2 } as const);

/** One of the {@link ExitCode} values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
