/**
 * Loads an optional dependency with a dynamic `import()`, so that `ep-stats/sql` loads without it; when it
 * is missing, the error says which package to install and for what.
 *
 * @internal
 */
export async function importOptional<T>(
  load: () => Promise<T>,
  packageName: string,
  purpose: string,
): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw new Error(
      `${purpose} needs the optional dependency \`${packageName}\`, which could not be loaded: ` +
        `install it with \`npm install ${packageName}\` (${error instanceof Error ? error.message : String(error)})`,
      { cause: error },
    );
  }
}
