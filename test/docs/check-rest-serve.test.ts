/**
 * Runs the `ep-stats serve` command lines of docs/rest-api.md (directive `<!-- check: rest-serve -->`, one
 * command per line, `# comments` allowed): each starts the real program from the sources (`npx ep-stats`,
 * `ep-stats` and `node dist/cli.js`, the build, all stand for it; see `support/rest-cli.ts`), which must
 * print its address and serving line, answer `GET /health` with 200 and exit with 0 on SIGTERM.
 *
 * Substitutions, because the machine's ports 8080 and 9000 may be taken: a fixed port (`--port 8080`,
 * `EP_STATS_PORT=9000`) is replaced by a free port, and the program must listen on exactly that port (so
 * `EP_STATS_PORT` must be read); a command without a port gets `--port <free>` appended, and the address
 * its comment names (`http://127.0.0.1:8080`) must be the default of `DEFAULT_SERVER_OPTIONS`. The commands
 * run in a scratch folder (`support/rest-scratch.ts`) where an events file the repository does not have
 * (`events.parquet`, the user's own) is a copy of the bundled demo events. Every `EP_STATS_*` variable a
 * command sets must be one that `ep-stats serve` reads (a data source variable, or a setting of
 * `serverSettingsFromEnv`).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { samplesChecked } from '../../scripts/site-samples.js';
import { DEFAULT_SERVER_OPTIONS } from '../../src/server/index.js';
import { startServe } from '../cli/run-cli.js';
import { freePort, readByServe, serveEnv } from './support/rest-cli.js';
import { createScratch } from './support/rest-scratch.js';
import { epStatsArguments, type ShellCommand, shellCommands } from './support/shell-lines.js';

const scratch = createScratch();
afterAll(() => scratch.dispose());

/** Runs one command as the header says and checks it. */
async function checkServeCommand(command: ShellCommand): Promise<void> {
  const args = epStatsArguments(command.words) ?? [];
  expect(args[0], command.words.join(' ')).toBe('serve');
  const env = { ...command.env };
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith('EP_STATS_')) expect(readByServe(name, value), `${name} is read`).toBe(true);
  }
  const port = await freePort();
  const portAt = args.indexOf('--port');
  if (portAt >= 0) args[portAt + 1] = String(port);
  else if (env.EP_STATS_PORT !== undefined) env.EP_STATS_PORT = String(port);
  else {
    args.push('--port', String(port));
    const claimed = /https?:\/\/[\w.]+:\d+/.exec(command.comment)?.[0];
    if (claimed !== undefined) {
      expect(claimed, 'the default address').toBe(
        `http://${DEFAULT_SERVER_OPTIONS.host}:${DEFAULT_SERVER_OPTIONS.port}`,
      );
    }
  }
  const eventsAt = args.indexOf('--events');
  const events = eventsAt >= 0 ? args[eventsAt + 1] : env.EP_STATS_EVENTS;
  if (events !== undefined) scratch.provideEvents(events);
  const host =
    (args.includes('--host') ? args[args.indexOf('--host') + 1] : env.EP_STATS_HOST) ?? '127.0.0.1';
  const served = await startServe(args, { env: serveEnv(env), cwd: scratch.dir });
  try {
    expect(served.url).toBe(`http://${host}:${port}`);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ message: 'ep-stats-api is ready' });
  } finally {
    expect(await served.stop(), served.stderr()).toBe(0);
  }
}

describe('the ep-stats serve commands of docs/rest-api.md', () => {
  const samples = samplesChecked('rest-serve');
  it('has samples', () => {
    expect(samples.length).toBeGreaterThanOrEqual(2);
  });

  for (const sample of samples) {
    for (const [index, command] of shellCommands(sample.code).entries()) {
      it(`${sample.name} (line ${sample.line}) command ${index + 1}: ${command.words.slice(0, 4).join(' ')}`, async () => {
        await checkServeCommand(command);
      });
    }
  }
});
