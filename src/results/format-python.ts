import { formatLocale } from 'd3-format';
import { ValidationError } from '../errors/validation-error.js';

/**
 * d3's number formatter, used for the digits of fixed and scientific notation of non-negative numbers; sign,
 * grouping, padding, exact ties, exponent digits and non-finite values are handled here, as Python does.
 */
const locale = formatLocale({ decimal: '.', thousands: ',', grouping: [3], currency: ['$', ''], minus: '-' });

/** `[[fill]align][sign][0][width][,][.precision][type]`, the part of Python's grammar that is supported. */
const SPEC = /^(?:([\s\S])?([<>=^]))?([-+ ])?(0)?(\d+)?(,)?(?:\.(\d+))?([eEfFgG%])?$/u;

const ALLOWED =
  'one replacement field `{}` or `{:SPEC}` (`{0:SPEC}` also works) with SPEC ' +
  '`[[fill]align][sign][0][width][,][.precision][type]`, type one of `e E f F g G %` or none, ' +
  'and `{{` / `}}` for literal braces';

/** Largest precision for `e`, `f` and `%`; `g` keeps at most 17 significant digits. */
const MAX_PRECISION = 20;
const MAX_SIGNIFICANT_DIGITS = 17;

type Align = '<' | '>' | '=' | '^';
type FloatType = 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' | '';

interface FormatSpec {
  readonly fill: string;
  readonly align: Align;
  readonly sign: '-' | '+' | ' ';
  readonly width: number;
  readonly grouping: boolean;
  readonly precision: number | undefined;
  readonly type: FloatType;
}

/** A formatted absolute value: integer digits (no separators) and everything after them. */
interface Body {
  readonly integer: string;
  readonly rest: string;
}

/**
 * Formats a number with a Python `str.format` template, printing what Python prints for a float.
 *
 * @remarks
 * Metric definitions carry their display format in Python's format-specification mini-language (e.g.
 * `'{:.2%}'`, `'${:,.2f}'`), and result tables use `'{:+,.1%}'` for impacts and `'{:,.3f}'` for p-values.
 * The template holds exactly one replacement field, `{}`, `{:SPEC}` or `{0:SPEC}`, with optional literal
 * text around it (`{{` and `}}` for literal braces). SPEC is `[[fill]align][sign][0][width][,][.precision][type]`:
 *
 * - type `f` / `F` fixed point, `%` fixed point of `100 * value` followed by `%`, `e` / `E` scientific
 *   notation with at least two exponent digits (`1.000e-07`), `g` / `G` general format (scientific when
 *   the exponent is below -4 or at least the precision, trailing zeros removed), each with precision 6 when
 *   none is given; no type and no precision prints the shortest representation that reads back to the same
 *   number, as Python's `repr` (`0.1`, `1234.0`, `1e-07`, `1e+16`);
 * - sign `-` (default), `+` or space; `,` groups thousands; width, fill and alignment (`<`, `>` — the
 *   default, `^`, `=` padding after the sign); `0` before the width pads with zeros after the sign, and
 *   with `,` the zeros are grouped too (`{:010,.2f}` prints `001,234.57`).
 *
 * Rounding is to nearest with exact ties to even, as in Python (`{:.2f}` of `0.125` is `0.12`; `{:.1%}`
 * of `0.0125` is `1.2%`, because `0.0125 * 100` is exactly `1.25`). Negative zero and negative values that
 * round to zero keep their minus sign (`-0.00`). NaN prints `nan` and infinities `inf` / `-inf` (upper case
 * for `F`, `E`, `G`; followed by `%` for type `%`, as in Python). NaN never shows a minus sign.
 *
 * Not supported (they throw): `#`, `_` and `z` options, integer and string types (`d`, `x`, `s`, ... which
 * Python rejects for floats too), a precision without a type, precision above 20 (above 17 for `g`),
 * nested fields, conversions (`!r`) and field names other than `0`.
 *
 * @param template - A Python format template with one replacement field, e.g. `'{:.2%}'` or `'${:,.2f}'`.
 * @param value - The number to format.
 * @returns The formatted text.
 * @throws {@link ValidationError} when the template has no replacement field or more than one, or a
 *   specification outside the supported subset; the message quotes the template and says what is allowed.
 *
 * @example
 * ```ts
 * import { formatPython, ValidationError } from 'ep-stats';
 * formatPython('{:.2%}', 0.2380952381); // => '23.81%'
 * formatPython('{:+,.1%}', 0.1307692308); // => '+13.1%'
 * formatPython('${:,.2f}', 1234.5678); // => '$1,234.57'
 * formatPython('{:.1f} ‰', 0.5); // => '0.5 ‰'
 * formatPython('{}', 0.1); // => '0.1'
 * formatPython('{:.3e}', 1e-7); // => '1.000e-07'
 * formatPython('{:.2f}', 0.125); // => '0.12'
 * formatPython('{:.2%}', Number.NaN); // => 'nan%'
 * formatPython('{:>8.1f}', -2.5); // => '    -2.5'
 * formatPython('{:d}', 1); // throws ValidationError
 * ```
 * @public
 */
export function formatPython(template: string, value: number): string {
  return pythonFormatter(template)(value);
}

/**
 * Compiles a Python `str.format` template into a function, validating it once.
 *
 * @remarks
 * `pythonFormatter(template)(value)` is {@link formatPython}`(template, value)`; use it to format many
 * numbers with one template and to reject a bad template before any number is formatted.
 *
 * @param template - A Python format template with one replacement field, e.g. `'{:,.3f}'`.
 * @returns A function formatting a number with the template.
 * @throws {@link ValidationError} for a template outside the supported subset (see {@link formatPython}).
 *
 * @example
 * ```ts
 * import { pythonFormatter, ValidationError } from 'ep-stats';
 * const pValue = pythonFormatter('{:,.3f}');
 * [0.8244735669, 0.0004, 1].map(pValue); // => ['0.824', '0.000', '1.000']
 * pythonFormatter('{} and {}'); // throws ValidationError
 * ```
 * @public
 */
export function pythonFormatter(template: string): (value: number) => string {
  const { prefix, field, suffix } = splitTemplate(template);
  const spec = parseSpec(field, template);
  return (value: number) => `${prefix}${formatValue(value, spec)}${suffix}`;
}

function invalid(template: string, problem: string): ValidationError {
  return new ValidationError(
    `Invalid format template ${JSON.stringify(template)}: ${problem}. Allowed is ${ALLOWED}.`,
  );
}

/** Splits a template into the literal text before and after its replacement field and the field's text. */
function splitTemplate(template: string): { prefix: string; field: string; suffix: string } {
  const literals = [''];
  let field: string | undefined;
  for (let index = 0; index < template.length; index += 1) {
    const char = template[index]!;
    const next = template[index + 1];
    if ((char === '{' && next === '{') || (char === '}' && next === '}')) {
      literals[literals.length - 1] += char;
      index += 1;
    } else if (char === '}') {
      throw invalid(template, `single '}' at position ${index} (write '}}' for a literal brace)`);
    } else if (char === '{') {
      const end = template.indexOf('}', index + 1);
      if (end < 0) throw invalid(template, `unmatched '{' at position ${index}`);
      const content = template.slice(index + 1, end);
      if (content.includes('{')) throw invalid(template, 'nested replacement fields are not supported');
      if (field !== undefined) throw invalid(template, 'it has more than one replacement field');
      field = content;
      literals.push('');
      index = end;
    } else {
      literals[literals.length - 1] += char;
    }
  }
  if (field === undefined) throw invalid(template, 'it has no replacement field');
  return { prefix: literals[0]!, field, suffix: literals[1]! };
}

function parseSpec(field: string, template: string): FormatSpec {
  const colon = field.indexOf(':');
  const name = colon < 0 ? field : field.slice(0, colon);
  const text = colon < 0 ? '' : field.slice(colon + 1);
  if (name.includes('!')) throw invalid(template, `conversion ${JSON.stringify(name)} is not supported`);
  if (name !== '' && name !== '0') {
    throw invalid(template, `field name ${JSON.stringify(name)} is not supported (use '' or '0')`);
  }
  const match = SPEC.exec(text);
  if (match === null) {
    throw invalid(template, `format specification ${JSON.stringify(text)} is not supported for numbers`);
  }
  const [, fill, align, sign, zero, width, grouping, precision, type = ''] = match;
  const digits = precision === undefined ? undefined : Number(precision);
  if (digits !== undefined) {
    if (type === '') throw invalid(template, 'a precision needs a type (f, e, g or %)');
    const limit = type === 'g' || type === 'G' ? MAX_SIGNIFICANT_DIGITS : MAX_PRECISION;
    if (digits > limit) throw invalid(template, `precision ${digits} is above ${limit}`);
  }
  return {
    // `0` before the width means fill `0` and alignment `=`, unless a fill or alignment is given.
    fill: fill ?? (zero === undefined ? ' ' : '0'),
    align: (align ?? (zero === undefined ? '>' : '=')) as Align,
    sign: (sign ?? '-') as FormatSpec['sign'],
    width: width === undefined ? 0 : Number(width),
    grouping: grouping !== undefined,
    precision: digits,
    type: type as FloatType,
  };
}

function formatValue(value: number, spec: FormatSpec): string {
  // Type `%` formats 100 * value (which may overflow to infinity, as in Python).
  const scaled = spec.type === '%' ? value * 100 : value;
  const negative = scaled < 0 || Object.is(scaled, -0);
  const signText = negative ? '-' : spec.sign === '-' ? '' : spec.sign;
  const finite = Number.isFinite(scaled);
  const word = Number.isNaN(scaled) ? 'nan' : 'inf';
  const body: Body = finite
    ? formatFinite(Math.abs(scaled), spec)
    : { integer: '', rest: /[EFG]/.test(spec.type) ? word.toUpperCase() : word };
  const rest = spec.type === '%' ? `${body.rest}%` : body.rest;
  let integer = body.integer;
  if (finite && spec.grouping) {
    // With `0` padding (fill `0`, alignment `=`) the padding zeros are grouped too.
    const zeroPadded = spec.fill === '0' && spec.align === '=';
    integer = groupThousands(integer, zeroPadded ? spec.width - signText.length - rest.length : 0);
  }
  return pad(signText, `${integer}${rest}`, spec);
}

function pad(signText: string, digits: string, spec: FormatSpec): string {
  const padding = Math.max(0, spec.width - [...signText].length - [...digits].length);
  const fill = (count: number) => spec.fill.repeat(count);
  switch (spec.align) {
    case '<':
      return `${signText}${digits}${fill(padding)}`;
    case '^':
      return `${fill(Math.floor(padding / 2))}${signText}${digits}${fill(padding - Math.floor(padding / 2))}`;
    case '=':
      return `${signText}${fill(padding)}${digits}`;
    default:
      return `${fill(padding)}${signText}${digits}`;
  }
}

/** Formats a finite, non-negative number (the sign is handled by the caller). */
function formatFinite(value: number, spec: FormatSpec): Body {
  const precision = spec.precision ?? 6;
  switch (spec.type) {
    case '':
      return splitBody(pythonRepr(value));
    case 'f':
    case 'F':
    case '%':
      return fixed(value, precision);
    case 'e':
    case 'E':
      return exponential(value, precision, false, spec.type === 'E');
    default:
      return general(value, Math.max(precision, 1), spec.type === 'G');
  }
}

function fixed(value: number, precision: number, trim = false): Body {
  const tie = evenTie(value, precision);
  let text: string;
  if (tie !== undefined) {
    const digits = tie.toString().padStart(precision + 1, '0');
    const point = digits.length - precision;
    text = precision > 0 ? `${digits.slice(0, point)}.${digits.slice(point)}` : digits;
  } else if (value >= 1e21) {
    // Doubles this large are integers; `toFixed` would switch to scientific notation.
    text = `${BigInt(value)}${precision > 0 ? `.${'0'.repeat(precision)}` : ''}`;
  } else {
    text = locale.format(`.${precision}f`)(value);
  }
  return splitBody(trim ? trimZeros(text) : text);
}

function exponential(value: number, precision: number, trim: boolean, upper: boolean): Body {
  const exponent = decimalExponent(value);
  const tie = evenTie(value, precision - exponent)?.toString();
  let [mantissa = '', exponentText = ''] = locale.format(`.${precision}e`)(value).split('e');
  if (tie !== undefined && tie.length === precision + 1) {
    mantissa = precision > 0 ? `${tie[0]}.${tie.slice(1)}` : tie;
    exponentText = String(exponent);
  }
  const power = Number(exponentText);
  const text = `${trim ? trimZeros(mantissa) : mantissa}e${power < 0 ? '-' : '+'}${String(Math.abs(power)).padStart(2, '0')}`;
  return splitBody(upper ? text.toUpperCase() : text);
}

/** Python's `g`: scientific notation when the rounded exponent is below -4 or at least the precision. */
function general(value: number, significantDigits: number, upper: boolean): Body {
  if (value === 0) return { integer: '0', rest: '' };
  const exponent =
    evenTie(value, significantDigits - 1 - decimalExponent(value)) === undefined
      ? decimalExponent(Number(value.toExponential(significantDigits - 1)))
      : decimalExponent(value);
  if (exponent >= -4 && exponent < significantDigits) {
    return fixed(value, significantDigits - 1 - exponent, true);
  }
  return exponential(value, significantDigits - 1, true, upper);
}

/** `1.500` -> `1.5`, `2.000` -> `2`. */
function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** Python's `repr` of a finite non-negative float: shortest digits, scientific outside `[1e-4, 1e16)`. */
function pythonRepr(value: number): string {
  const [mantissa = '0', exponentText = '0'] = value.toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) return `0.${'0'.repeat(-exponent - 1)}${digits}`;
    const integer = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    return `${integer}.${digits.slice(exponent + 1) || '0'}`;
  }
  const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
  return `${digits[0]}${fraction}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

/** The exponent of a positive number in scientific notation (0 for zero). */
function decimalExponent(value: number): number {
  return value === 0 ? 0 : Number(value.toExponential().split('e')[1]);
}

/** `1234.5` -> `{ integer: '1234', rest: '.5' }`. */
function splitBody(text: string): Body {
  const end = text.search(/\D/);
  return end < 0 ? { integer: text, rest: '' } : { integer: text.slice(0, end), rest: text.slice(end) };
}

/** `1234567` -> `1,234,567`; zeros (grouped) are added in front until the result is `minWidth` long. */
function groupThousands(digits: string, minWidth = 0): string {
  let padded = digits;
  while (padded.length + Math.floor((padded.length - 1) / 3) < minWidth) padded = `0${padded}`;
  const groups: string[] = [];
  for (let end = padded.length; end > 0; end -= 3) groups.unshift(padded.slice(Math.max(0, end - 3), end));
  return groups.join(',');
}

/**
 * `toFixed` and `toExponential` round exact ties up, Python to even. When `value` lies exactly halfway
 * between two multiples of `10^-fractionDigits` and the lower one has an even last digit, returns that lower
 * one as an integer count of `10^-fractionDigits`; otherwise (no tie, or a tie that rounds up) `undefined`.
 */
function evenTie(value: number, fractionDigits: number): bigint | undefined {
  if (value === 0 || !Number.isFinite(value)) return undefined;
  const { mantissa, exponent } = decompose(value);
  // value = mantissa * 2^exponent is a tie when 2 * value * 10^fractionDigits is an odd integer.
  const twos = exponent + 1 + fractionDigits;
  if (twos < -53) return undefined;
  const power = (base: bigint, exponentOfBase: number) => base ** BigInt(Math.max(exponentOfBase, 0));
  const numerator = mantissa * power(2n, twos) * power(5n, fractionDigits);
  const denominator = power(2n, -twos) * power(5n, -fractionDigits);
  if (numerator % denominator !== 0n) return undefined;
  const doubled = numerator / denominator;
  if (doubled % 2n === 0n) return undefined;
  const lower = (doubled - 1n) / 2n;
  return lower % 2n === 0n ? lower : undefined;
}

/** A finite positive double as `mantissa * 2^exponent` with an integer mantissa. */
function decompose(value: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const high = view.getUint32(0);
  const biased = (high >>> 20) & 0x7ff;
  const fraction = (BigInt(high & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  return biased === 0
    ? { mantissa: fraction, exponent: -1074 }
    : { mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}
