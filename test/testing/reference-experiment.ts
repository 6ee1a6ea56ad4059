import { Experiment, Filter, type FilterScope } from '../../src/index.js';
import type { ReferenceRequest } from '../support/reference-cases.js';

/** The filters of a reference request (`value` in the request is `values` here). */
export function filtersOfRequest(request: ReferenceRequest): Filter[] {
  return (request.filters ?? []).map(
    (filter) =>
      new Filter({
        scope: filter.scope as FilterScope,
        dimension: filter.dimension ?? null,
        values: filter.value ?? null,
        goal: filter.goal ?? null,
      }),
  );
}

/** What a data access reads of a reference request: id, dates and filters (no metrics, no checks). */
export function dataRequestOf(request: ReferenceRequest): Experiment {
  return new Experiment({
    id: request.id,
    controlVariant: request.control_variant,
    unitType: request.unit_type,
    dateFrom: request.date_from,
    dateTo: request.date_to,
    dateFor: request.date_for,
    filters: filtersOfRequest(request),
  });
}

/** A complete experiment with the request's filters added. */
export function withFilters(experiment: Experiment, request: ReferenceRequest): Experiment {
  const filters = filtersOfRequest(request);
  if (filters.length === 0) return experiment;
  return new Experiment({
    id: experiment.id,
    controlVariant: experiment.controlVariant,
    unitType: experiment.unitType,
    metrics: experiment.metrics,
    checks: experiment.checks,
    dateFrom: experiment.dateFrom,
    dateTo: experiment.dateTo,
    dateFor: experiment.dateFor,
    confidenceLevel: experiment.confidenceLevel,
    variants: experiment.variants,
    nullHypothesisRate: experiment.nullHypothesisRate,
    filters,
  });
}

/** A row as text, for comparing multisets of rows: keys sorted, `null` / missing cells `''`, numbers as text. */
export function rowKey(row: Readonly<Record<string, unknown>>): string {
  const entries = Object.entries(row)
    .map(([key, cell]) => [key, cell === null || cell === undefined ? '' : String(cell)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(entries);
}

/** The rows of a multiset, as sorted row keys. */
export function multiset(rows: readonly Readonly<Record<string, unknown>>[]): string[] {
  return rows.map(rowKey).sort();
}
