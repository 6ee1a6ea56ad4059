import type { Expression } from '../../src/expression/ast.js';

/** A plain copy of an expression tree without `span` fields, for comparing trees parsed from different text. */
export type Unspanned =
  | { kind: 'number'; value: number }
  | {
      kind: 'goal';
      fn: string;
      unitType: string;
      aggType: string;
      goal: string;
      dimensions: { name: string; operator: string; value: string; storedValue: string }[];
    }
  | { kind: 'binary'; operator: string; left: Unspanned; right: Unspanned };

/** Removes every `span` from a tree (recursively), keeping all other fields. */
export function stripSpans(expr: Expression): Unspanned {
  switch (expr.kind) {
    case 'number':
      return { kind: 'number', value: expr.value };
    case 'goal':
      return {
        kind: 'goal',
        fn: expr.fn,
        unitType: expr.unitType,
        aggType: expr.aggType,
        goal: expr.goal,
        dimensions: expr.dimensions.map((dimension) => ({ ...dimension })),
      };
    case 'binary':
      return {
        kind: 'binary',
        operator: expr.operator,
        left: stripSpans(expr.left),
        right: stripSpans(expr.right),
      };
  }
}
