import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerServeCommand } from '../../src/cli/serve-command.js';
import { CONVERSION_REQUEST } from '../server/support/conversion-request.js';
import { commandArgs, ROOT } from './run-cli.js';

const serverAvailable = existsSync(join(ROOT, 'src', 'server', 'index.ts'));

/** Resolves with the first match of `pattern` in the child's stdout. */
function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match !== null) resolve(match);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.on('exit', (code) =>
      reject(new Error(`exited with ${code} before printing its URL:\n${output}${errors}`)),
    );
  });
}

function exitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe('ep-stats serve', () => {
  it.skipIf(!serverAvailable)(
    'serves /health on the port it picked and exits with 0 on SIGTERM',
    async () => {
      const child = spawn(
        process.execPath,
        [
          ...commandArgs(),
          'serve',
          '--test-data',
          '--host',
          '127.0.0.1',
          '--port',
          '0',
          '--statistics-threads',
          '2',
        ],
        { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      try {
        const [, url] = await waitForOutput(child, /listening on (http:\/\/\S+)/);
        expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(url).not.toMatch(/:0$/);
        const response = await fetch(`${url}/health`);
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ message: 'ep-stats-api is ready' });
        // --test-data serves the bundled reference test data (it passes TestDaoFactory to the server).
        const evaluation = await fetch(`${url}/evaluate?strict=true`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(CONVERSION_REQUEST),
        });
        expect(evaluation.status).toBe(200);
        const result = (await evaluation.json()) as { exposure: { stats: { count: number }[] } };
        expect(result.exposure.stats.map((stat) => stat.count)).toEqual([21, 26, 30]);
        const exited = exitCode(child);
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    },
  );

  it('rejects a --statistics-threads that is not a whole number of at least 0', async () => {
    const program = new Command('ep-stats').exitOverride();
    registerServeCommand(program);
    let errors = '';
    for (const command of program.commands) {
      command.exitOverride().configureOutput({ writeErr: (text) => (errors += text) });
    }
    await expect(
      program.parseAsync(['serve', '--test-data', '--statistics-threads', '-1'], { from: 'user' }),
    ).rejects.toThrow();
    expect(errors).toContain(
      "option '--statistics-threads <n>' argument '-1' is invalid. expected a whole number at least 0",
    );
  });

  it('says in its help which data it serves', () => {
    const program = new Command('ep-stats');
    registerServeCommand(program);
    const serve = program.commands.find((command) => command.name() === 'serve');
    expect(serve?.description()).toBe(
      'run the REST API over an events file, a database table or the bundled test data',
    );
    let help = '';
    serve?.configureOutput({ writeOut: (text) => (help += text) }).outputHelp();
    expect(help.replace(/\s+/g, ' ')).toContain(
      'Exactly one data source is required: --events <file> (EP_STATS_EVENTS), --database <DuckDB file or ' +
        'postgres:// URL> (EP_STATS_DATABASE, or EP_STATS_DATABASE_FILE',
    );
    expect(help.replace(/\s+/g, ' ')).toContain('or --test-data (EP_STATS_TEST_DATA=1: the bundled goals');
  });
});
