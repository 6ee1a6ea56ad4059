/**
 * The packages every command loads (they are optional peer dependencies of ep-stats): the argument parser,
 * the CSV reader, and zod, which validates experiment files against the REST API's request schema.
 */
const COMMAND_PACKAGES = ['commander', 'csv-parse', 'zod'] as const;

/** The packages `ep-stats serve` loads in addition (those of `ep-stats/server`). */
const SERVER_PACKAGES = [
  'fastify',
  '@fastify/swagger',
  '@fastify/swagger-ui',
  'prom-client',
  'piscina',
] as const;

/** Module specifiers to resolve for each package (csv-parse has no main entry, only subpaths). */
const SPECIFIER: Readonly<Record<string, string>> = { 'csv-parse': 'csv-parse/sync' };

/**
 * The packages that `ep-stats <command>` needs, in install order.
 *
 * @param command - The first argument on the command line (`serve`, `evaluate`, ...), if any.
 */
export function packagesFor(command: string | undefined): readonly string[] {
  return command === 'serve' ? [...COMMAND_PACKAGES, ...SERVER_PACKAGES] : COMMAND_PACKAGES;
}

/**
 * Those of `packages` that cannot be resolved from the command's own location.
 *
 * @param packages - Package names.
 * @param resolve - Resolves a module specifier or throws (`import.meta.resolve` of the command).
 */
export function missingPackages(
  packages: readonly string[],
  resolve: (specifier: string) => string,
): string[] {
  return packages.filter((name) => {
    try {
      resolve(SPECIFIER[name] ?? name);
      return false;
    } catch {
      return true;
    }
  });
}

/**
 * The message printed when packages are missing: which ones, and the command that installs them.
 *
 * @param command - The command that needs them (`undefined` for the bare `ep-stats`).
 * @param missing - The missing packages (not empty).
 * @param needed - All the packages the command needs.
 */
export function missingPackagesMessage(
  command: string | undefined,
  missing: readonly string[],
  needed: readonly string[],
): string {
  const what =
    command === undefined || command.startsWith('-') ? 'the ep-stats command' : `ep-stats ${command}`;
  return (
    `error: ${what} needs ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not installed ` +
    `(the library alone does not bring them). Install them next to ep-stats:\n  npm install ${needed.join(' ')}\n`
  );
}
