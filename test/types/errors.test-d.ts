/**
 * The error classes, pinned: one base class with a `code` union, and the members of each subclass, so that
 * `instanceof` narrows a caught `unknown` to typed fields.
 */
import { describe, expectTypeOf, test } from 'vitest';
import {
  DataError,
  type DataErrorLocation,
  EpStatsError,
  type EpStatsErrorOptions,
  type ErrorCode,
  ExpressionError,
  type Span,
  ValidationError,
} from '../../src/index.js';

describe('EpStatsError', () => {
  test('is an Error with a code', () => {
    expectTypeOf<EpStatsError>().toExtend<Error>();
    expectTypeOf<EpStatsError['code']>().toEqualTypeOf<ErrorCode>();
    expectTypeOf<ErrorCode>().toEqualTypeOf<'expression' | 'validation' | 'data'>();
    expectTypeOf(EpStatsError).constructorParameters.toEqualTypeOf<
      [code: ErrorCode, message: string, options?: EpStatsErrorOptions]
    >();
    expectTypeOf<EpStatsErrorOptions>().toEqualTypeOf<{ readonly cause?: unknown }>();
  });

  test('every error of the library is one', () => {
    expectTypeOf<DataError>().toExtend<EpStatsError>();
    expectTypeOf<ValidationError>().toExtend<EpStatsError>();
    expectTypeOf<ExpressionError>().toExtend<EpStatsError>();
  });
});

describe('DataError', () => {
  test('names the row and column', () => {
    expectTypeOf<DataError['row']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<DataError['column']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<DataError['reason']>().toEqualTypeOf<string>();
    expectTypeOf(DataError).constructorParameters.toEqualTypeOf<
      [reason: string, location?: DataErrorLocation, options?: EpStatsErrorOptions]
    >();
    expectTypeOf<DataErrorLocation>().toEqualTypeOf<{ readonly row?: number; readonly column?: string }>();
  });
});

describe('ValidationError', () => {
  test('names the path of the field', () => {
    expectTypeOf<ValidationError['path']>().toEqualTypeOf<readonly (string | number)[]>();
    expectTypeOf(ValidationError).constructorParameters.toEqualTypeOf<
      [message: string, path?: readonly (string | number)[], options?: EpStatsErrorOptions]
    >();
  });
});

describe('ExpressionError', () => {
  test('names the span in the text', () => {
    expectTypeOf<Pick<ExpressionError, 'reason' | 'text' | 'excerpt' | 'span'>>().toEqualTypeOf<{
      readonly reason: string;
      readonly text: string;
      readonly excerpt: string;
      readonly span: Span;
    }>();
    expectTypeOf<Span>().toEqualTypeOf<{ readonly start: number; readonly end: number }>();
  });
});

describe('instanceof', () => {
  test('narrows a caught error to the typed fields', () => {
    const caught: unknown = new DataError('bad');
    if (caught instanceof DataError) expectTypeOf(caught.row).toEqualTypeOf<number | undefined>();
    if (caught instanceof ValidationError)
      expectTypeOf(caught.path).toEqualTypeOf<readonly (string | number)[]>();
    if (caught instanceof ExpressionError) expectTypeOf(caught.span.start).toEqualTypeOf<number>();
    if (caught instanceof EpStatsError) expectTypeOf(caught.code).toEqualTypeOf<ErrorCode>();
  });
});
