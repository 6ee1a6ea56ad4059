const UNIT = 'test_unit_type';
const EXPOSURES = `count(${UNIT}.global.exposure)`;

/** The reference's conversion experiment (`test-conversion` of the bundled test data) as a request body. */
export const CONVERSION_REQUEST = {
  id: 'test-conversion',
  control_variant: 'a',
  unit_type: UNIT,
  metrics: [
    { id: 1, name: 'Click-through Rate', nominator: `count(${UNIT}.unit.click)`, denominator: EXPOSURES },
  ],
  checks: [{ id: 1, name: 'SRM', denominator: EXPOSURES }],
};

/**
 * {@link CONVERSION_REQUEST} with a variant `z` that has no rows in test-conversion: zero exposures, so its
 * mean (0 / 0) is NaN.
 */
export const WITH_EMPTY_VARIANT_REQUEST = { ...CONVERSION_REQUEST, variants: ['a', 'b', 'z'] };
