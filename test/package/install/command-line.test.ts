/**
 * The `ep-stats` command of the packed tarball. Without its optional peer dependencies it names them and
 * the command that installs them; after that install (the versions of the repository's devDependencies) it
 * prints its version, evaluates the bundled example and serves the REST API until SIGTERM.
 *
 * Each consumer is copied out of the repository's `node_modules/.cache` first (see `isolatedCopy`): from
 * there Node would find the repository's own commander and fastify.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONVERSION_REQUEST } from '../../server/support/conversion-request.js';
import { consumer } from '../support/packed-package.js';
import {
  devDependencySpecs,
  type IsolatedCopy,
  isolatedCopy,
  REPOSITORY_MANIFEST,
  userEnv,
} from './support/installed-tree.js';

/** Packages every command needs (its message may name more, e.g. zod since it validates experiment files). */
const COMMAND_PEERS = ['commander', 'csv-parse'];
/** What `ep-stats serve` needs besides (zod is on either list, depending on the version of the command). */
const SERVER_PEERS = ['fastify', '@fastify/swagger', '@fastify/swagger-ui', 'zod', 'prom-client', 'piscina'];

/** The documented install for the command (README, and the command's own message). */
const CLI_PACKAGES = [...COMMAND_PEERS, ...SERVER_PEERS];

const INSTALL_TIMEOUT = 900_000;

/** The bundled example of `ep-stats evaluate --help`. */
const EXAMPLE = 'node_modules/ep-stats/fixtures/examples/test-dimension';

/** The POST /evaluate request of docs/rest-api.md. */
/** The reference's conversion experiment, two of its variants. */
const EVALUATE_REQUEST = { ...CONVERSION_REQUEST, variants: ['a', 'b'] };

/** What a command did. */
interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment of npx: a user's, and never a download of some registry package named ep-stats. */
function npxEnv(): NodeJS.ProcessEnv {
  return { ...userEnv(), npm_config_yes: 'false' };
}

/** `npx ep-stats ...args` in `dir`, as the documentation writes it. */
function npx(dir: string, args: readonly string[]): Run {
  const result = spawnSync('npx', ['ep-stats', ...args], {
    cwd: dir,
    env: npxEnv(),
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * The packages a missing-package message names (`error: ... needs a, b, which are not installed ...`) and
 * those of its `npm install ...` line.
 */
function missingMessage(stderr: string): { named: string[]; install: string[] } {
  const needs = /^error: .+? needs (.+?), which (?:is|are) not installed/m.exec(stderr);
  const install = /^\s+npm install (.+)$/m.exec(stderr);
  expect(needs, stderr).not.toBeNull();
  expect(install, stderr).not.toBeNull();
  return { named: needs?.[1]?.split(', ') ?? [], install: install?.[1]?.trim().split(/\s+/) ?? [] };
}

/** JSON with the bare NaN and Infinity tokens the command and the server write (as null). */
function parseLenientJson(text: string): unknown {
  return JSON.parse(
    text.replace(/"(?:\\.|[^"\\])*"|-?Infinity|NaN/g, (token) => (token.startsWith('"') ? token : 'null')),
  );
}

describe('ep-stats without its optional peer dependencies', () => {
  let core: IsolatedCopy;
  beforeAll(() => {
    core = isolatedCopy(consumer('core').dir, 'cli-core');
  }, INSTALL_TIMEOUT);
  afterAll(() => core?.dispose());

  /** Checks the message of a missing package: it names `expected`, and an install line that covers them. */
  const expectMissingMessage = (run: Run, expected: readonly string[]) => {
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toBe('');
    const { named, install } = missingMessage(run.stderr);
    expect(named).toEqual(expect.arrayContaining([...expected]));
    expect(install).toEqual(expect.arrayContaining(named));
    // Only optional peer dependencies, and within the install that the tests below make.
    const optionalPeers = Object.keys(REPOSITORY_MANIFEST.peerDependencies ?? {}).filter(
      (name) => REPOSITORY_MANIFEST.peerDependenciesMeta?.[name]?.optional === true,
    );
    expect(optionalPeers).toEqual(expect.arrayContaining(install));
    expect(CLI_PACKAGES).toEqual(expect.arrayContaining(install));
  };

  for (const args of [['--version'], ['evaluate', '--help']]) {
    it(`\`npx ep-stats ${args.join(' ')}\` names commander and csv-parse and how to install them`, () => {
      expectMissingMessage(npx(core.dir, args), COMMAND_PEERS);
    });
  }

  it('`npx ep-stats serve` names fastify and the other server packages', () => {
    expectMissingMessage(npx(core.dir, ['serve']), [...COMMAND_PEERS, ...SERVER_PEERS]);
  });
});

describe('ep-stats with the packages its message names', () => {
  let cli: IsolatedCopy;
  const children: ChildProcess[] = [];

  beforeAll(() => {
    cli = isolatedCopy(consumer('cli', devDependencySpecs(CLI_PACKAGES)).dir, 'cli-installed');
  }, INSTALL_TIMEOUT);
  afterAll(() => {
    // What a failed test left running: the process group of a detached npx, or the server itself.
    for (const child of children) {
      try {
        if (child.spawnargs[0] === 'npx') process.kill(-(child.pid as number), 'SIGKILL');
        else if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
    cli?.dispose();
  });

  it('`npx ep-stats --version` prints the package version', () => {
    const run = npx(cli.dir, ['--version']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe(REPOSITORY_MANIFEST.version);
  });

  it('`npx ep-stats evaluate --format json` evaluates the bundled example', () => {
    const run = npx(cli.dir, [
      'evaluate',
      '--experiment',
      `${EXAMPLE}.experiment.json`,
      '--goals',
      `${EXAMPLE}.goals.csv`,
      '--format',
      'json',
    ]);
    expect(run.status, run.stderr).toBe(0);
    const definition = JSON.parse(readFileSync(join(cli.dir, `${EXAMPLE}.experiment.json`), 'utf8')) as {
      id: string;
      metrics: { id: number }[];
    };
    const output = parseLenientJson(run.stdout) as {
      exp_id: string;
      metrics: { metric_id: number; exp_variant_id: string; mean: number | null; p_value: number | null }[];
    };
    expect(output.exp_id).toBe(definition.id);
    expect(new Set(output.metrics.map((m) => m.metric_id))).toEqual(
      new Set(definition.metrics.map((m) => m.id)),
    );
    for (const metric of output.metrics) {
      expect(typeof metric.mean, JSON.stringify(metric)).toBe('number');
      expect(typeof metric.p_value, JSON.stringify(metric)).toBe('number');
    }
  });

  it('`ep-stats serve --port 0` answers /health and /evaluate and exits with 0 on SIGTERM', async () => {
    // The installed bin itself, as `npx ep-stats` and a PATH lookup run it. Not through npx here: npx runs
    // it under `sh -c`, and a SIGTERM sent to npx alone reaches that shell, not the server (see below).
    const child = spawn(
      join(cli.dir, 'node_modules', '.bin', 'ep-stats'),
      ['serve', '--test-data', '--port', '0', '--log-level', 'warn'],
      { cwd: cli.dir, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(child);
    const server = watch(child);
    const url = await server.url;

    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ message: 'ep-stats-api is ready' });

    const response = await fetch(`${url}/evaluate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(EVALUATE_REQUEST),
    });
    const text = await response.text();
    expect(response.status, text).toBe(200);
    const body = parseLenientJson(text) as {
      id: string;
      metrics: { id: number; stats: { exp_variant_id: string; mean: number }[] }[];
    };
    expect(body.id).toBe('test-conversion');
    expect(body.metrics[0]?.stats.map((s) => s.exp_variant_id)).toEqual(['a', 'b']);
    expect(body.metrics[0]?.stats[0]?.mean).toBeCloseTo(5 / 21, 12);

    child.kill('SIGTERM');
    const { code, signal } = await server.closed;
    expect({ code, signal }, server.stderr()).toEqual({ code: 0, signal: null });
    expect(server.stderr()).toContain('ep-stats server stopped');
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });

  it.each([
    [
      'ESM',
      'server.mjs',
      "import { buildServer } from 'ep-stats/server';\nimport { TestDaoFactory } from 'ep-stats/testing';",
    ],
    [
      'CommonJS',
      'server.cjs',
      "const { buildServer } = require('ep-stats/server');\nconst { TestDaoFactory } = require('ep-stats/testing');",
    ],
  ])('the installed server (%s) evaluates on its statistics worker thread', (_format, file, imports) => {
    // The worker module is a file of the package (dist/statistics-worker.js) that piscina loads by path;
    // were it missing, the evaluation would fail with 500.
    const program = `${imports}
(async () => {
  const server = buildServer({ daoFactory: new TestDaoFactory(), logLevel: 'silent', statisticsThreads: 1 });
  const response = await server.inject({ method: 'POST', url: '/evaluate?strict=true', payload: ${JSON.stringify(EVALUATE_REQUEST)} });
  process.stdout.write(JSON.stringify({ status: response.statusCode, body: response.json() }));
  await server.close();
})();
`;
    writeFileSync(join(cli.dir, file), program);
    const run = spawnSync(process.execPath, [file], {
      cwd: cli.dir,
      env: userEnv(),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const { status, body } = JSON.parse(run.stdout) as {
      status: number;
      body: { metrics: { stats: { mean: number }[] }[] };
    };
    expect(status).toBe(200);
    expect(body.metrics[0]?.stats[0]?.mean).toBeCloseTo(5 / 21, 12);
  });

  it('`npx ep-stats serve` stops when its process group gets SIGTERM (as from Ctrl-C or a process manager)', async () => {
    const child = spawn('npx', ['ep-stats', 'serve', '--test-data', '--port', '0', '--log-level', 'warn'], {
      cwd: cli.dir,
      env: npxEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    children.push(child);
    const server = watch(child);
    const url = await server.url;
    expect((await fetch(`${url}/health`)).status).toBe(200);
    process.kill(-(child.pid as number), 'SIGTERM');
    await server.closed;
    // npx itself ends by the signal (npm re-raises it when the `sh -c` it ran is killed), so only the
    // server's own goodbye and the closed port tell that the server stopped cleanly.
    expect(server.stderr()).toContain('ep-stats server stopped');
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });
});

/** A running `ep-stats serve`: the URL it prints, its stderr so far, and its end (all output read). */
function watch(child: ChildProcess): {
  url: Promise<string>;
  stderr: () => string;
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
} {
  let stdout = '';
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address after 60 s; stderr:\n${stderr}`)), 60_000);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void closed.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code ?? signal}) before listening; stderr:\n${stderr}`));
    });
  });
  return { url, stderr: () => stderr, closed };
}
