import { describe, expect, it } from 'vitest';
import { type EvaluationWarning, ValidationError } from '../../src/index.js';
import { compareWithReference } from '../support/compare-evaluation.js';
import { experimentOfRequest, loadReferenceCases } from '../support/reference-cases.js';

const cases = loadReferenceCases().filter((c) => c.kind === 'agg');

describe('evaluateAgg matches the reference outputs', () => {
  it('covers every aggregated reference case', () => {
    expect(cases.length).toBe(39);
  });

  for (const referenceCase of cases) {
    const { expected, request } = referenceCase;
    if ('error' in expected) {
      it(`${referenceCase.name} is rejected like the reference (${expected.error.type})`, () => {
        let caught: unknown;
        try {
          experimentOfRequest(request).evaluateAgg(referenceCase.goals as never);
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(ValidationError);
        if (expected.error.type === 'ValueError') {
          expect((caught as Error).message).toBe(expected.error.message);
        } else {
          // The reference's parser reports these as "Expected ~ term"; ours names the offending word.
          expect((caught as Error).message).toMatch(/are supported but `(sum|session)` received/);
        }
      });
      continue;
    }

    it(referenceCase.name, () => {
      const warnings: EvaluationWarning[] = [];
      const evaluation = experimentOfRequest(request).evaluateAgg(referenceCase.goals as never, {
        onWarning: (warning) => warnings.push(warning),
      });
      expect(compareWithReference(evaluation, expected)).toEqual([]);
      const negativeVariance = referenceCase.warnings.some((w) => w.includes('Negative variance'));
      expect(warnings.some((w) => w.code === 'negative-variance')).toBe(negativeVariance);
    });
  }
});
