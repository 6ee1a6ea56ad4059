/**
 * The REST page's shell samples beyond starting the program (`startServe` of test/cli/run-cli.ts, lines read
 * by ./shell-lines.ts): the environment of a `serve` child, the request of a documented `curl`, output with
 * `...` elisions, and which `EP_STATS_*` variables `serve` reads.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SOURCE_VARIABLES } from '../../../src/cli/serve-data-source.js';
import { serverSettingsFromEnv } from '../../../src/server/index.js';
import { ROOT } from '../../cli/run-cli.js';
import type { ShellCommand } from './shell-lines.js';

export { freePort } from '../../sql/support/free-port.js';

/** The environment of a child: the test's, without the developer's EP_STATS_* variables, plus `env`. */
export function serveEnv(env: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const name of Object.keys(base)) {
    if (name.startsWith('EP_STATS_') && name !== 'EP_STATS_DEV_STATISTICS_WORKER') delete base[name];
  }
  return { ...base, ...env };
}

/** The request of a documented `curl` command. */
export interface CurlRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Record<string, string>;
  /** The body: `-d <text>`, or `-d @<file>` read from the file (relative to `cwd`). */
  readonly body?: string;
}

/**
 * Reads a `curl` command's request: `-X <method>`, `-H '<name>: <value>'`, `-d <data>` / `-d @<file>`
 * (POST unless `-X` says otherwise), `-s` (ignored) and the URL; `$NAME` in a word is replaced by
 * `variables[NAME]`. Any other option is an error, so that the check sees every part of the request.
 */
export function curlRequest(
  command: ShellCommand,
  variables: Readonly<Record<string, string>> = {},
  cwd: string = ROOT,
): CurlRequest {
  const words = command.words.map((word) =>
    word.replace(/\$(\w+)/g, (whole, name: string) => variables[name] ?? whole),
  );
  if (words[0] !== 'curl') throw new Error(`not a curl command: ${words.join(' ')}`);
  let method: string | undefined;
  let url: URL | undefined;
  let body: string | undefined;
  const headers: Record<string, string> = {};
  for (let index = 1; index < words.length; index++) {
    const word = words[index] as string;
    const next = () => {
      index++;
      return words[index] ?? '';
    };
    if (word === '-s') continue;
    if (word === '-X') method = next();
    else if (word === '-H') {
      const header = next();
      const at = header.indexOf(':');
      headers[header.slice(0, at).trim().toLowerCase()] = header.slice(at + 1).trim();
    } else if (word === '-d') {
      const data = next();
      body = data.startsWith('@') ? readFileSync(join(cwd, data.slice(1)), 'utf8') : data;
    } else if (!word.startsWith('-') && url === undefined) url = new URL(word);
    else throw new Error(`curl option not understood by the check: ${word}`);
  }
  if (url === undefined) throw new Error(`curl without a URL: ${words.join(' ')}`);
  return {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    url,
    headers,
    ...(body === undefined ? {} : { body }),
  };
}

/** Sends a {@link CurlRequest} with fetch to `base` (the URL's scheme, host and port replaced by `base`'s). */
export async function sendCurl(request: CurlRequest, base: string): Promise<Response> {
  const target = new URL(`${request.url.pathname}${request.url.search}`, base);
  return fetch(target, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
}

/**
 * Whether `actual` matches printed output in which `...` stands for any text left out: the pieces between
 * the `...` appear in `actual` in order, the first at its start and the last at its end.
 */
export function matchesElided(actual: string, printed: string): boolean {
  const pieces = printed.split('...');
  if (pieces.length === 1) return actual === printed;
  if (!actual.startsWith(pieces[0] as string)) return false;
  let position = (pieces[0] as string).length;
  for (const piece of pieces.slice(1, -1)) {
    const found = actual.indexOf(piece, position);
    if (found < 0) return false;
    position = found + piece.length;
  }
  const last = pieces[pieces.length - 1] as string;
  return actual.length - last.length >= position && actual.endsWith(last);
}

/**
 * Whether `ep-stats serve` reads the environment variable `name` (set to `value`): a data source variable
 * (`EP_STATS_EVENTS`, ...) or a setting that `serverSettingsFromEnv` reads (or refuses for its value).
 */
export function readByServe(name: string, value: string): boolean {
  if ((Object.values(SOURCE_VARIABLES) as string[]).includes(name)) return true;
  try {
    return Object.keys(serverSettingsFromEnv({ [name]: value })).length > 0;
  } catch {
    return true;
  }
}
