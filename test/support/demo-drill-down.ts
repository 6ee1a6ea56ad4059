/**
 * The experiment of the drill-down and timeline guide in the wire format (a `POST /evaluate` body, also an
 * experiment file): the demo events' conversion rate and revenue per user with the SRM check, over the 10
 * days of the demo, evaluated on its last day.
 */
export const DEMO_EXPOSURES = 'count(user.global.exposure)';

export const DEMO_BODY = {
  id: 'demo',
  control_variant: 'a',
  unit_type: 'user',
  date_from: '2024-01-01',
  date_to: '2024-01-10',
  date_for: '2024-01-10',
  metrics: [
    {
      id: 1,
      name: 'Conversion rate',
      nominator: 'unique(user.unit.conversion)',
      denominator: DEMO_EXPOSURES,
    },
    {
      id: 2,
      name: 'Revenue per user',
      nominator: 'value(user.unit.conversion)',
      denominator: DEMO_EXPOSURES,
    },
  ],
  checks: [{ id: 1, name: 'SRM', denominator: DEMO_EXPOSURES }],
};

/** The days of the demo, `2024-01-01` to `2024-01-10`. */
export const DEMO_DAYS = Array.from(
  { length: 10 },
  (_, index) => `2024-01-${String(index + 1).padStart(2, '0')}`,
);
