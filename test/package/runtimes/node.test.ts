/**
 * The baseline of the runtime tests: the README's quick start, run with Node from a project that installed the
 * packed tarball, prints the README's numbers. The other runtimes must print exactly what Node prints.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED_LINES, nodeLines, quickStartConsumer } from './quick-start.js';

describe('the quick start under Node', () => {
  let dir = '';
  beforeAll(() => {
    dir = quickStartConsumer('runtimes-node');
  }, 900_000);

  it('prints the README numbers (the Python reference values for b and the SRM check)', () => {
    expect(nodeLines(dir)).toEqual(EXPECTED_LINES);
  });
});
