import { describe, expect, it } from 'vitest';
import { obrienFlemingConfidenceLevel } from '../../src/statistics/obrien-fleming.js';
import { decodeNumber, readFixture } from '../support/fixtures.js';

interface SequentialReference {
  name: string;
  request: { date_from: string; date_to: string; date_for: string };
  expected: { metrics: { confidence_level: number }[] };
}

const DAY_MS = 86_400_000;
const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);

describe('obrienFlemingConfidenceLevel reproduces the reference sequential experiments', () => {
  for (const name of ['first_day', 'middle', 'last_day', 'today']) {
    const reference = readFixture<SequentialReference>(
      `reference-outputs/fixture-test_sequential_${name}.json`,
    );
    const { date_from: from, date_to: to, date_for: day } = reference.request;
    const totalLength = days(from, to) + 1;
    // The experiment clamps the day to the length; the function itself does not.
    const actualDay = Math.min(days(from, day) + 1, totalLength);
    const expected = reference.expected.metrics[0]!.confidence_level;
    it(`${reference.name}: day ${actualDay} of ${totalLength} gives ${expected}`, () => {
      // Rounded to 4 decimals on both sides, so equal exactly.
      expect(obrienFlemingConfidenceLevel(0.95, totalLength, actualDay)).toBe(expected);
    });
  }
});

interface ObrienFlemingCase {
  confidenceLevel: number;
  totalLength: number;
  actualDay: number;
  expected: number | string;
}

describe('obrienFlemingConfidenceLevel', () => {
  const { obrienFleming } = readFixture<{ obrienFleming: ObrienFlemingCase[] }>('statistics.json');

  it(`equals the formula evaluated with SciPy on ${obrienFleming.length} cases (scripts/generate-statistics-fixtures.py)`, () => {
    const mismatches = obrienFleming
      .map((c) => ({
        ...c,
        actual: obrienFlemingConfidenceLevel(c.confidenceLevel, c.totalLength, c.actualDay),
      }))
      .filter((c) => c.actual !== decodeNumber(c.expected));
    expect(mismatches).toEqual([]);
  });

  it('caps the level at 0.9999 early in the experiment and returns the nominal level on the last day', () => {
    expect(obrienFlemingConfidenceLevel(0.95, 30, 1)).toBe(0.9999);
    expect(obrienFlemingConfidenceLevel(0.9, 30, 30)).toBe(0.9);
  });

  it('does not clamp a day past the end (the level drops below the nominal one)', () => {
    expect(obrienFlemingConfidenceLevel(0.95, 14, 28)).toBeLessThan(0.95);
  });
});
