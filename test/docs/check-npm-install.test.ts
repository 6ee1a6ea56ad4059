/**
 * Check `npm-install <command>`: an `sh` sample of `npm install` lines installs exactly what `ep-stats
 * <command>` needs: `ep-stats` and the packages the command checks before it runs (`packagesFor` of
 * src/cli/required-packages.ts, in its order), which must be peer dependencies of package.json. It is also
 * the line the command prints when they are missing (`missingPackagesMessage`), with `ep-stats` in front.
 * `npm-install library` is the library alone (`ep-stats`, nothing else). Words `+<package>` after the command
 * name optional peer dependencies the sample adds on purpose (`+@duckdb/node-api` for `--events`); each must
 * be an optional peer dependency of package.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../scripts/extract-examples.js';
import { samplesChecked } from '../../scripts/site-samples.js';
import { missingPackagesMessage, packagesFor } from '../../src/cli/required-packages.js';
import { commandLines } from './support/cli-commands.js';

const samples = samplesChecked('npm-install');
const manifest = JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'package.json'), 'utf8')) as {
  name: string;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
};

describe('the npm install lines of the documentation', () => {
  it('has samples', () => {
    expect(samples.length).toBeGreaterThan(0);
  });
  for (const sample of samples) {
    it(`${sample.name} (line ${sample.line})`, () => {
      const [command, ...extraWords] = sample.check?.args ?? [];
      expect(command, 'the directive names the ep-stats command: npm-install <command>').toBeDefined();
      const extras = extraWords.map((word) => word.replace(/^\+/, ''));
      for (const word of extraWords) expect(word, 'extra packages are written +<package>').toMatch(/^\+./);
      for (const name of extras) {
        expect(
          manifest.peerDependenciesMeta?.[name]?.optional,
          `${name} is an optional peer dependency`,
        ).toBe(true);
      }
      const lines = commandLines(sample.code);
      expect(lines.length).toBe(1);
      const [npm, install, ...packages] = lines[0]?.words ?? [];
      expect([npm, install]).toEqual(['npm', 'install']);
      if (command === 'library') {
        expect(packages).toEqual([manifest.name, ...extras]);
        return;
      }
      const needed = packagesFor(command);
      expect(packages).toEqual([manifest.name, ...needed, ...extras]);
      for (const name of needed) expect(manifest.peerDependencies, name).toHaveProperty([name]);
      const message = missingPackagesMessage(command, [...needed], needed);
      expect(message.trimEnd().split('\n').at(-1)?.trim()).toBe(`npm install ${needed.join(' ')}`);
    });
  }
});
