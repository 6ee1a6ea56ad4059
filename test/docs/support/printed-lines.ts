/**
 * Comparing a block of printed output shown on a page with what a command printed: line by line, trailing
 * spaces aside (the checks `cli-stderr`, `scorecard-excerpt`, `excerpt` and `excerpt-output`).
 */

/** The lines of `text` without trailing spaces, without the blank lines at its end. */
export function printedLines(text: string): string[] {
  const result = text.split('\n').map((line) => line.trimEnd());
  while (result.length > 0 && result[result.length - 1] === '') result.pop();
  return result;
}

/**
 * The 0-based line of `output`, from `from` on, where the lines of `block` start, contiguous and in order;
 * -1 when they do not appear (or `block` is empty).
 */
export function blockStart(block: readonly string[], output: readonly string[], from = 0): number {
  if (block.length === 0) return -1;
  for (let start = from; start + block.length <= output.length; start++) {
    if (block.every((line, offset) => output[start + offset] === line)) return start;
  }
  return -1;
}
