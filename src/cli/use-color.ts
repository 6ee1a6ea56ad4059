/**
 * Whether to colour terminal output.
 *
 * @remarks
 * `--color` forces colour and `--no-color` turns it off; otherwise colour is used when the stream is a
 * terminal and the `NO_COLOR` environment variable is unset or empty (https://no-color.org).
 *
 * @param flag - The `--color` / `--no-color` option, `undefined` when neither was given.
 * @param stream - The stream written to.
 * @param env - The environment.
 * @returns Whether to write ANSI colour escapes.
 */
export function useColor(
  flag: boolean | undefined,
  stream: { readonly isTTY?: boolean },
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (flag !== undefined) return flag;
  return stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '');
}
