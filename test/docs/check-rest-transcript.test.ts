/**
 * Replays the terminal transcript of docs/rest-api.md (directive `<!-- check: rest-transcript -->`): `$ `
 * lines are commands, the lines after each its output.
 *
 * The `ep-stats serve ...` command starts the real program from the sources (see `support/rest-cli.ts`)
 * with `--port <free port>` appended (port 8080 may be taken here); what it prints, without its JSON log
 * lines (which the page says the transcript leaves out) and with that port written as the transcript's
 * port, must be the transcript's output lines exactly, and the transcript's port must
 * be the default port (`DEFAULT_SERVER_OPTIONS`). Each `curl ...` command is sent with fetch to that server
 * (`-d @file` read from the repository); its body, with the transcript's line breaks removed (each newline
 * and the indentation after it), must match the printed output where `...` stands for text left out.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { samplesChecked } from '../../scripts/site-samples.js';
import { DEFAULT_SERVER_OPTIONS } from '../../src/server/index.js';
import { type ServeProcess, startServe } from '../cli/run-cli.js';
import { curlRequest, freePort, matchesElided, sendCurl, serveEnv } from './support/rest-cli.js';
import { epStatsArguments, transcriptBlocks } from './support/shell-lines.js';

const running: ServeProcess[] = [];
afterAll(async () => {
  for (const served of running) await served.stop();
});

describe('the transcript of docs/rest-api.md', () => {
  const samples = samplesChecked('rest-transcript');
  it('has a sample', () => {
    expect(samples.length).toBeGreaterThanOrEqual(1);
  });

  for (const sample of samples) {
    it(`${sample.name} (line ${sample.line})`, async () => {
      const blocks = transcriptBlocks(sample.code);
      let served: ServeProcess | undefined;
      for (const { command, output } of blocks) {
        if (command.words[0] === 'curl') {
          expect(served, 'a server started before the curl command').toBeDefined();
          const response = await sendCurl(curlRequest(command), (served as ServeProcess).url);
          const body = await response.text();
          expect(response.status, body).toBe(200);
          const printed = output.replace(/\n[ \t]*/g, '');
          expect(matchesElided(body, printed), `${body}\ndoes not match\n${printed}`).toBe(true);
          continue;
        }
        const args = epStatsArguments(command.words) ?? [];
        expect(args[0], command.words.join(' ')).toBe('serve');
        expect(args).not.toContain('--port');
        const port = await freePort();
        served = await startServe([...args, '--port', String(port)], { env: serveEnv({}) });
        running.push(served);
        const shown = /:(\d+)\n/.exec(output)?.[1];
        expect(Number(shown), 'the transcript shows the default port').toBe(DEFAULT_SERVER_OPTIONS.port);
        const printed = served
          .stdout()
          .split('\n')
          .filter((line) => !line.startsWith('{"level":'))
          .join('\n');
        expect(printed.trim().replaceAll(`:${port}`, `:${shown}`)).toBe(output);
      }
    });
  }
});
