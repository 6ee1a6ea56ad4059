/**
 * Runs every fenced `@example` of the public API as a test (see `scripts/extract-examples.ts`; the
 * annotations `// =>` and `// throws` are those of `test/support/doc-runner.ts`).
 */
import { afterAll, it } from 'vitest';
import { type ExportLocation, extractExamples } from '../scripts/extract-examples.js';
import { createExampleRunner } from './support/doc-runner.js';

function list(locations: readonly ExportLocation[]): string {
  return locations.map(({ symbol, file, line }) => `  ${symbol} (${file}:${line})`).join('\n');
}

const { examples, withoutExample, withoutFence } = extractExamples();
const runner = createExampleRunner();

afterAll(() => {
  runner.dispose();
});

it('every export of the entry points has an @example', () => {
  if (withoutExample.length > 0) {
    throw new Error(`${withoutExample.length} export(s) have no @example:\n${list(withoutExample)}`);
  }
});

it('every @example has a ```ts fence', () => {
  if (withoutFence.length > 0) {
    throw new Error(`${withoutFence.length} @example tag(s) have no \`\`\`ts fence:\n${list(withoutFence)}`);
  }
});

for (const example of examples) {
  it(example.name, () => runner.run(example));
}
