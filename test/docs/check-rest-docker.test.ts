/**
 * Checks the Docker commands of docs/rest-api.md (directive `<!-- check: rest-docker -->`) against the
 * repository's `Dockerfile`. Docker itself does not run here: the check reads the Dockerfile and runs the
 * command its image would run.
 *
 * - `docker build -t <tag> .` builds the repository's `Dockerfile`, and the page names the image's command
 *   (its last `CMD`, there is no `ENTRYPOINT`) as `node dist/cli.js serve ...`;
 * - each `docker run` runs that tag, publishes a port the image `EXPOSE`s and its command listens on,
 *   sets only `EP_STATS_*` variables that `ep-stats serve` reads, and every path such a variable names in
 *   the container lies in a mounted volume (`-v <host>:<container>[:ro]`) whose host side is a path of the
 *   repository (`$PWD` is the repository) or a file the user provides;
 * - then the image's command runs from the sources (see `support/rest-cli.ts`) on a free port with the
 *   variables of the `docker run`, their container paths mapped to the host paths; it must answer
 *   `GET /health` and exit with 0 on SIGTERM. The user's file `db-url` (the secret of
 *   `EP_STATS_DATABASE_FILE`) holds the URL of a database of the PostgreSQL test server made for this
 *   check, with the demo events in the table the command names (skipped when no PostgreSQL runs here).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { samplesChecked } from '../../scripts/site-samples.js';
import { PostgresClient } from '../../src/sql/index.js';
import { startServe } from '../cli/run-cli.js';
import { createDemoEventsTable } from '../sql/support/event-tables.js';
import { postgresTestUrl } from '../sql/support/postgres.js';
import { freePort, readByServe, serveEnv } from './support/rest-cli.js';
import { ROOT } from './support/rest-data.js';
import { createScratch } from './support/rest-scratch.js';
import { type ShellCommand, shellCommands } from './support/shell-lines.js';

/** The image's instructions: the last stage's `CMD` and `ENTRYPOINT` (JSON form) and `EXPOSE` ports. */
function readDockerfile(path: string): { cmd: string[]; entrypoint?: string[]; exposed: number[] } {
  const lines = readFileSync(path, 'utf8').replace(/\\\n/g, ' ').split('\n');
  const stages = lines.map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
  const from = stages.map((line) => /^FROM\s/i.test(line)).lastIndexOf(true);
  const last = stages.slice(Math.max(from, 0));
  const json = (instruction: string): string[] | undefined => {
    const line = [...last]
      .reverse()
      .find((candidate) => candidate.toUpperCase().startsWith(`${instruction} `));
    return line === undefined ? undefined : (JSON.parse(line.slice(instruction.length).trim()) as string[]);
  };
  const exposed = last
    .filter((line) => /^EXPOSE\s/i.test(line))
    .flatMap((line) =>
      line
        .slice('EXPOSE'.length)
        .trim()
        .split(/\s+/)
        .map((port) => Number.parseInt(port, 10)),
    );
  const entrypoint = json('ENTRYPOINT');
  return { cmd: json('CMD') ?? [], ...(entrypoint === undefined ? {} : { entrypoint }), exposed };
}

/** The options of a `docker run` command and its image. */
function dockerRun(command: ShellCommand): {
  ports: [number, number][];
  volumes: { host: string; container: string }[];
  env: Record<string, string>;
  image: string;
} {
  const [docker, run, ...words] = command.words;
  expect([docker, run]).toEqual(['docker', 'run']);
  const ports: [number, number][] = [];
  const volumes: { host: string; container: string }[] = [];
  const env: Record<string, string> = {};
  let image: string | undefined;
  for (let index = 0; index < words.length; index++) {
    const word = words[index] as string;
    const value = words[index + 1] ?? '';
    if (word === '-p') {
      const [host, container] = value.split(':').map(Number);
      ports.push([host as number, container as number]);
      index++;
    } else if (word === '-v') {
      const [host, container] = value.split(':');
      volumes.push({ host: host as string, container: container as string });
      index++;
    } else if (word === '-e') {
      const at = value.indexOf('=');
      env[value.slice(0, at)] = value.slice(at + 1);
      index++;
    } else if (!word.startsWith('-') && image === undefined) image = word;
    else throw new Error(`docker run option not understood by the check: ${word}`);
  }
  return { ports, volumes, env, image: image ?? '' };
}

const scratch = createScratch();
const postgresUrl = postgresTestUrl();
const database = `docs_rest_docker_${process.pid}`;
let admin: PostgresClient | undefined;

/** The URL of a database made for this check, with the demo events in `table` (see the header). */
async function databaseWithEvents(table: string): Promise<string> {
  admin ??= await PostgresClient.connect(postgresUrl);
  await admin.query(`DROP DATABASE IF EXISTS ${database}`, []);
  await admin.query(`CREATE DATABASE ${database}`, []);
  const url = new URL(postgresUrl);
  url.pathname = `/${database}`;
  const client = await PostgresClient.connect(url.href);
  try {
    await createDemoEventsTable(client, table);
  } finally {
    await client.close();
  }
  return url.href;
}

afterAll(async () => {
  scratch.dispose();
  await admin?.query(`DROP DATABASE IF EXISTS ${database}`, []);
  await admin?.close();
});

describe('the Docker commands of docs/rest-api.md', () => {
  const samples = samplesChecked('rest-docker');
  it('has a sample', () => {
    expect(samples.length).toBeGreaterThanOrEqual(1);
  });

  for (const sample of samples) {
    const commands = shellCommands(sample.code);
    const build = commands.find((command) => command.words[1] === 'build');
    const dockerfile = readDockerfile(join(ROOT, 'Dockerfile'));
    const page = readFileSync(join(ROOT, sample.page), 'utf8');

    it(`${sample.name} (line ${sample.line}): docker build`, () => {
      expect(build?.words.slice(0, 3)).toEqual(['docker', 'build', '-t']);
      expect(build?.words[4]).toBe('.');
      expect(existsSync(join(ROOT, 'Dockerfile'))).toBe(true);
      expect(dockerfile.entrypoint).toBeUndefined();
      expect(dockerfile.cmd.slice(0, 3)).toEqual(['node', 'dist/cli.js', 'serve']);
      expect(page.replace(/\s+/g, ' '), 'the page names the image command').toContain(
        `\`${dockerfile.cmd.join(' ')}\``,
      );
    });

    for (const [index, command] of commands.filter((candidate) => candidate.words[1] === 'run').entries()) {
      const run = dockerRun(command);
      const needsDatabase =
        run.env.EP_STATS_DATABASE_FILE !== undefined || run.env.EP_STATS_DATABASE !== undefined;
      it.skipIf(needsDatabase && postgresUrl === '')(
        `${sample.name} (line ${sample.line}): docker run ${index + 1}`,
        async () => {
          expect(run.image).toBe(build?.words[3]);
          const port = Number(dockerfile.cmd[dockerfile.cmd.indexOf('--port') + 1]);
          expect(run.ports.map(([, container]) => container)).toEqual([port]);
          expect(dockerfile.exposed).toContain(port);
          const env: Record<string, string> = {};
          for (const [name, value] of Object.entries(run.env)) {
            expect(name).toMatch(/^EP_STATS_/);
            expect(readByServe(name, value), `${name} is read by ep-stats serve`).toBe(true);
            if (!value.startsWith('/')) {
              env[name] = value;
              continue;
            }
            const volume = run.volumes.find(
              ({ container }) => value.startsWith(`${container}/`) || value === container,
            );
            expect(volume, `${value} lies in a mounted volume`).toBeDefined();
            const host =
              (volume?.host ?? '').replace(/^\$PWD\/?/, '') + value.slice(volume?.container.length ?? 0);
            expect(volume?.host.startsWith('$PWD/'), `${volume?.host} is relative to $PWD`).toBe(true);
            if (existsSync(join(ROOT, host))) {
              env[name] = join(ROOT, host);
            } else {
              // A file the user provides: the secret holding the database URL.
              expect(name, `${host} is not in the repository`).toBe('EP_STATS_DATABASE_FILE');
              const file = join(scratch.dir, posix.basename(host));
              writeFileSync(file, `${await databaseWithEvents(run.env.EP_STATS_TABLE ?? 'events')}\n`);
              env[name] = file;
            }
          }
          const free = await freePort();
          const args = dockerfile.cmd.slice(2);
          args[args.indexOf('--port') + 1] = String(free);
          const served = await startServe(args, { env: serveEnv(env), cwd: scratch.dir });
          try {
            const health = await fetch(`http://127.0.0.1:${free}/health`);
            expect(health.status).toBe(200);
            expect(await health.json()).toEqual({ message: 'ep-stats-api is ready' });
          } finally {
            expect(await served.stop(), served.stderr()).toBe(0);
          }
        },
      );
    }
  }
});
