import { ExpressionError } from '../src/expression/expression-error.js';
import { parseExpression } from '../src/expression/parse-expression.js';
import { type Measurement, meanMilliseconds } from './measure.js';

/** Metric definitions as written in the reference fixtures. */
const DEFINITIONS: readonly string[] = [
  'count(test_unit_type.unit.click)',
  'count(test_unit_type.global.exposure)',
  'value(test_unit_type.unit.conversion)',
  'unique(test_unit_type.unit.click)',
  'count(test_unit_type.unit.view(element=button-%))',
  'count(test_unit_type.unit.view(element=^button-1, product>1))',
  'count(test_unit_type.unit.view(element=^button-1, product!=1))',
  'count(test_unit_type.unit.view(element=button-1, product=p-1))',
  'value(test_unit_type.unit.conversion(product=p_1))',
  'value(test_unit_type.unit.conversion) - value(test_unit_type.unit.refund)',
  `
                    count(test_unit_type.unit.click_1)
                    - count(test_unit_type.unit.click_2)
                    + count(test_unit_type.unit.click_3)
                `,
];

const SIZE = 100_000;

/** Inputs of about 100 kB that stress the parser; each either parses or fails with an ExpressionError. */
function largeInputs(): [string, string][] {
  const term = 'count(u.unit.a)';
  const sumTerms = Math.ceil(SIZE / (term.length + 3));
  const depth = Math.floor((SIZE - term.length) / 2);
  let garbage = '';
  let seed = 12_345;
  for (let index = 0; index < SIZE; index++) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    garbage += String.fromCharCode(32 + (seed % 95));
  }
  return [
    ['100 kB sum `count(u.unit.a) + …` (fails: deeper than 1000)', Array(sumTerms).fill(term).join(' + ')],
    ['100 kB product of parenthesised 500-term sums', nestedSums(sumTerms)],
    [`100 kB parentheses ${depth} deep around one goal`, `${'('.repeat(depth)}${term}${')'.repeat(depth)}`],
    ['100 kB of random printable characters (fails)', garbage],
    ['100 kB dimension value', `count(u.unit.a(x=${'ab-1 '.repeat(SIZE / 5)}))`],
    ['100 kB of whitespace then a goal', `${' \n\t'.repeat(SIZE / 3)}${term}`],
  ];
}

/** `(t + t + … ) * (t + …) * …`: groups of 500 terms, so the tree stays within the depth limit. */
function nestedSums(terms: number): string {
  const group = `(${Array(500).fill('count(u.unit.a)').join(' + ')})`;
  return Array(Math.ceil(terms / 500))
    .fill(group)
    .join(' * ');
}

function parseOrFail(text: string): void {
  try {
    parseExpression(text);
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
  }
}

/**
 * Measures the expression parser: mean time per realistic metric definition, and time per ~100 kB input of
 * several adversarial shapes (long sums, deep parentheses, garbage, a huge dimension value).
 *
 * @returns One row per measurement.
 */
export function runParseBench(): Measurement[] {
  const perDefinition = meanMilliseconds(
    () => {
      for (const definition of DEFINITIONS) parseExpression(definition);
    },
    2_000,
    20_000,
  );
  const rows: Measurement[] = [
    {
      name: 'parse one reference metric definition (mean)',
      value: (perDefinition * 1000) / DEFINITIONS.length,
      unit: 'µs',
    },
  ];
  for (const [name, text] of largeInputs()) {
    rows.push({ name: `parse ${name}`, value: meanMilliseconds(() => parseOrFail(text), 3, 20), unit: 'ms' });
  }
  return rows;
}
