import { describe, expect, it } from 'vitest';
import { assertEvaluation, TestDaoFactory, TestData } from '../../src/testing/index.js';
import { experimentOfRequest, loadReferenceCases, type ReferenceCase } from '../support/reference-cases.js';
import { withFilters } from './reference-experiment.js';

// The reference's by-unit and wide-input tests: goals from the test data (filters applied by the Dao),
// evaluated, and compared with the spreadsheet evaluations at the reference's tolerances.

const cases = loadReferenceCases();
const caseNamed = (name: string): ReferenceCase => {
  const found = cases.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no reference case ${name}`);
  return found;
};

describe('TestDao and evaluateByUnit reproduce the spreadsheet', () => {
  for (const name of ['fixture-test_real_by_unit', 'fixture-test_trigger_evaluate']) {
    it(`${name}`, async () => {
      const { request } = caseNamed(name);
      const experiment = withFilters(experimentOfRequest(request), request);
      const dao = await new TestDaoFactory().getDao();
      const evaluation = experiment.evaluateByUnit(await dao.getUnitGoals(experiment));
      await dao.close();
      assertEvaluation(evaluation, TestData.loadEvaluations(request.id), { unitType: experiment.unitType });
    });
  }

  it('test-trigger keeps the three French units that clicked product 1', async () => {
    const { request } = caseNamed('fixture-test_trigger_evaluate');
    const experiment = withFilters(experimentOfRequest(request), request);
    const evaluation = experiment.evaluateByUnit(
      await (await new TestDaoFactory().getDao()).getUnitGoals(experiment),
    );
    expect(evaluation.exposures.map((row) => [row.expVariantId, row.exposures])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });
});

describe('TestData wide rows and evaluateWideAgg reproduce the spreadsheet', () => {
  it('fixture-test_simple_metric', () => {
    const referenceCase = caseNamed('fixture-test_simple_metric');
    const experiment = experimentOfRequest(referenceCase.request, referenceCase.simple_metrics ?? false);
    const evaluation = experiment.evaluateWideAgg(TestData.loadGoalsSimpleAgg('test-simple-metric'));
    assertEvaluation(evaluation, TestData.loadEvaluations('test-simple-metric'));
  });
});
