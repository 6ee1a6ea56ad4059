/**
 * The optional `kind` of a metric in the REST request (and the command line's experiment file, which shares
 * its shape): passed to the `Metric`, derived from the denominator when omitted, rejected with its path when
 * it is neither 'mean' nor 'ratio'.
 */
import { describe, expect, it } from 'vitest';
import { evaluateRequestSchema, toExperiment } from '../../src/wire/index.js';

const request = (metric: Record<string, unknown>) => ({
  id: 'shop',
  control_variant: 'a',
  unit_type: 'user',
  metrics: [
    {
      id: 1,
      name: 'Revenue per order',
      nominator: 'value(user.unit.order)',
      denominator: 'count(user.unit.order)',
      ...metric,
    },
  ],
  checks: [],
});

describe('metric kind on the wire', () => {
  it('is derived when omitted and taken when given', () => {
    expect(toExperiment(evaluateRequestSchema.parse(request({}))).metrics[0]!.kind).toBe('ratio');
    expect(toExperiment(evaluateRequestSchema.parse(request({ kind: 'mean' }))).metrics[0]!.kind).toBe(
      'mean',
    );
    expect(toExperiment(evaluateRequestSchema.parse(request({ kind: null }))).metrics[0]!.kind).toBe('ratio');
  });

  it('names the field of a value that is no kind', () => {
    const result = evaluateRequestSchema.safeParse(request({ kind: 'median' }));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['metrics', 0, 'kind']);
  });
});
