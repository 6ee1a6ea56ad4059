/**
 * Checks the `npm install` line of docs/rest-api.md (directive `<!-- check: rest-install -->`) against what
 * the package needs:
 *
 * - it installs `ep-stats` (the package.json name) and then exactly the packages that the `ep-stats serve`
 *   command checks for and names in its missing-package message (`packagesFor('serve')` of
 *   src/cli/required-packages.ts, the list its `npm install ...` line is built from);
 * - each of them is an optional peer dependency in package.json;
 * - the line has every peer dependency that `ep-stats/server` loads (its source modules' imports,
 *   transitively; its other packages are dependencies or bundled into the build), and the sentence after
 *   the fence, "(`a` and `b` are for the `ep-stats` command; `ep-stats/server` alone
 *   needs the other <n>.)", names the rest and counts these.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { samplesChecked } from '../../scripts/site-samples.js';
import { packagesFor } from '../../src/cli/required-packages.js';
import { ROOT } from './support/rest-data.js';
import { packagesLoadedBy } from './support/rest-imports.js';
import { shellCommands } from './support/shell-lines.js';

interface Manifest {
  name: string;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}
const MANIFEST = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
const NUMBERS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

describe('the npm install line of docs/rest-api.md', () => {
  const samples = samplesChecked('rest-install');
  it('has a sample', () => {
    expect(samples.length).toBeGreaterThanOrEqual(1);
  });

  for (const sample of samples) {
    it(`${sample.name} (line ${sample.line})`, () => {
      const commands = shellCommands(sample.code);
      expect(commands).toHaveLength(1);
      const [npm, install, own, ...peers] = commands[0]?.words ?? [];
      expect([npm, install, own]).toEqual(['npm', 'install', MANIFEST.name]);
      expect([...peers].sort()).toEqual([...packagesFor('serve')].sort());
      for (const name of peers) {
        expect(MANIFEST.peerDependencies?.[name], `${name} is a peer dependency`).toBeDefined();
        expect(MANIFEST.peerDependenciesMeta?.[name]?.optional, `${name} is optional`).toBe(true);
      }

      // The peer dependencies it loads (the other packages are dependencies or bundled into the build).
      const server = [...packagesLoadedBy(join(ROOT, 'src', 'server', 'index.ts'))].filter(
        (name) => MANIFEST.peerDependencies?.[name] !== undefined,
      );
      expect(peers, 'the line has every package ep-stats/server loads').toEqual(
        expect.arrayContaining(server),
      );

      const text = readFileSync(join(ROOT, sample.page), 'utf8');
      const after = text.slice(text.indexOf(sample.code) + sample.code.length);
      const sentence =
        /\((.+?) are for the `ep-stats` command; `ep-stats\/server` alone needs the other (\w+)\.\)/s.exec(
          after,
        );
      expect(sentence, 'the sentence after the fence').not.toBeNull();
      const commandOnly = [...(sentence?.[1] ?? '').matchAll(/`([^`]+)`/g)].map((match) => match[1]);
      expect(commandOnly.sort()).toEqual(peers.filter((name) => !server.includes(name)).sort());
      expect(sentence?.[2]).toBe(NUMBERS[server.length]);
    });
  }
});
