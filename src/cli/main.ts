#!/usr/bin/env node
/**
 * The `ep-stats` command: `evaluate`, `generate-events`, `sample-size` and `serve`. See docs/cli.md.
 *
 * The command's libraries (commander, csv-parse, and for `serve` fastify and its plugins) are optional peer
 * dependencies: this entry checks that they resolve before it loads the program, so that a missing one is
 * named with the command that installs it instead of surfacing as a module-resolution stack trace.
 */
import { missingPackages, missingPackagesMessage, packagesFor } from './required-packages.js';

const command = process.argv[2];
const needed = packagesFor(command);
const missing = missingPackages(needed, (specifier) => import.meta.resolve(specifier));
if (missing.length > 0) {
  process.stderr.write(missingPackagesMessage(command, missing, needed));
  process.exitCode = 1;
} else {
  // A promise chain rather than top-level await: the entry is also compiled (then discarded) as CommonJS.
  Promise.all([import('./program.js'), import('./report-error.js')]).then(
    ([{ runProgram }, { reportError }]) =>
      runProgram(process.argv).then(
        (exitCode) => {
          if (exitCode !== undefined) process.exitCode = exitCode;
        },
        (error: unknown) => {
          process.exitCode = reportError(error, true);
        },
      ),
  );
}
