/**
 * Check `expression-error`: a sample of an `ExpressionError`'s message, `reason (at character N)` then the
 * expression and its carets, is exactly the message that `parseExpression` throws for the expression on the
 * sample's second line.
 */
import { describe, expect, it } from 'vitest';
import { samplesChecked } from '../../scripts/site-samples.js';
import { ExpressionError, parseExpression } from '../../src/index.js';

describe('the expression errors of the documentation', () => {
  const samples = samplesChecked('expression-error');
  it('has samples', () => {
    expect(samples.length).toBeGreaterThan(0);
  });
  for (const sample of samples) {
    it(`${sample.name} (line ${sample.line})`, () => {
      const expected = sample.code.replace(/\n$/, '');
      const expression = expected.split('\n')[1] ?? '';
      let thrown: unknown;
      try {
        parseExpression(expression);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ExpressionError);
      expect((thrown as ExpressionError).message).toBe(expected);
    });
  }
});
