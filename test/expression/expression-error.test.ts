import { describe, expect, it } from 'vitest';
import { EpStatsError } from '../../src/errors/ep-stats-error.js';
import { ExpressionError } from '../../src/expression/expression-error.js';

describe('ExpressionError', () => {
  it('carries code, name, reason, text, span and a message with position and excerpt', () => {
    const error = new ExpressionError('Bad `day`.', 'count(u.day.a)', { start: 8, end: 11 });
    expect(error).toBeInstanceOf(EpStatsError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ExpressionError');
    expect(error.code).toBe('expression');
    expect(error.reason).toBe('Bad `day`.');
    expect(error.text).toBe('count(u.day.a)');
    expect(error.span).toEqual({ start: 8, end: 11 });
    expect(error.excerpt).toBe('count(u.day.a)\n        ^^^');
    expect(error.message).toBe('Bad `day`. (at character 8)\ncount(u.day.a)\n        ^^^');
  });

  it('shows one caret for an empty span at the end of the text', () => {
    expect(new ExpressionError('End.', '1 +', { start: 3, end: 3 }).excerpt).toBe('1 +\n   ^');
  });

  it('shows only the line holding the start of the span, carets cut at its end', () => {
    const error = new ExpressionError('Bad.', 'a\nbcd\nef', { start: 3, end: 7 });
    expect(error.excerpt).toBe('bcd\n ^^');
  });

  it('handles a span starting at the first character of a text that starts with a newline', () => {
    expect(new ExpressionError('Bad.', '\nabc', { start: 0, end: 1 }).excerpt).toBe('\n^');
  });

  it('cuts a long line to a window around the fault, marked with `…`', () => {
    const text = `${'a'.repeat(100)}$${'b'.repeat(100)}`;
    const error = new ExpressionError('Bad.', text, { start: 100, end: 101 });
    const [line, carets] = error.excerpt.split('\n');
    expect(line).toBe(`…${'a'.repeat(20)}$${'b'.repeat(39)}…`);
    expect(carets).toBe(`${' '.repeat(21)}^`);
  });

  it('keeps the window inside the line near its end', () => {
    const text = `${'a'.repeat(100)}$`;
    const [line, carets] = new ExpressionError('Bad.', text, { start: 100, end: 101 }).excerpt.split('\n');
    expect(line).toBe(`…${'a'.repeat(59)}$`);
    expect(carets).toBe(`${' '.repeat(60)}^`);
  });

  it('shows tabs and control characters as spaces and unpaired surrogates as U+FFFD, keeping carets aligned', () => {
    const error = new ExpressionError('Bad.', '\t\u0000\ud800x', { start: 3, end: 4 });
    expect(error.excerpt).toBe('  \ufffdx\n   ^');
  });

  it('clamps a span outside the text', () => {
    const error = new ExpressionError('Bad.', 'abc', { start: -4, end: 99 });
    expect(error.span).toEqual({ start: 0, end: 3 });
  });

  it('keeps the cause', () => {
    const cause = new Error('inner');
    expect(new ExpressionError('Bad.', 'x', { start: 0, end: 1 }, { cause }).cause).toBe(cause);
  });
});
