import { describe, expect, it } from 'vitest';
import { TestDao, TestData } from '../../src/testing/index.js';
import { loadReferenceCases } from '../support/reference-cases.js';
import { dataRequestOf, multiset } from './reference-experiment.js';

// The goals of each reference case are the rows the reference's TestDao returned for its request (dates and
// filters applied). Cases whose goals were written by hand (experiment ids absent from the CSVs) are skipped.
const aggregatedIds = new Set(TestData.loadGoalsAgg().map((row) => String(row.exp_id)));
const unitIds = new Set(TestData.loadGoalsByUnit().map((row) => String(row.exp_id)));
const cases = loadReferenceCases().filter((c) => c.source === 'fixture');
const aggregatedCases = cases.filter(
  (c) => c.kind === 'agg' && (aggregatedIds.has(c.request.id) || c.goals.length === 0),
);
const unitCases = cases.filter((c) => c.kind === 'by_unit' && unitIds.has(c.request.id));

describe('TestDao.getAggGoals returns the rows of the reference TestDao', () => {
  it('covers the aggregated reference cases of goals_agg.csv, with dates and filters', () => {
    expect(aggregatedCases.length).toBe(35);
    expect(aggregatedCases.some((c) => c.request.date_from !== null)).toBe(true);
    expect(aggregatedCases.some((c) => (c.request.filters ?? []).length > 0)).toBe(true);
  });

  for (const referenceCase of aggregatedCases) {
    it(`${referenceCase.name} (${referenceCase.request.id})`, async () => {
      const rows = await new TestDao().getAggGoals(dataRequestOf(referenceCase.request));
      expect(multiset(rows)).toEqual(multiset(referenceCase.goals));
    });
  }
});

describe('TestDao.getUnitGoals returns the rows of the reference TestDao', () => {
  it('covers the by-unit reference cases of goals_by_unit.csv, with trigger and exposure filters', () => {
    expect(unitCases.map((c) => c.request.id).sort()).toEqual(['test-real-valued', 'test-trigger']);
  });

  for (const referenceCase of unitCases) {
    it(`${referenceCase.name} (${referenceCase.request.id})`, async () => {
      const rows = await new TestDao().getUnitGoals(dataRequestOf(referenceCase.request));
      expect(multiset(rows)).toEqual(multiset(referenceCase.goals));
    });
  }
});
