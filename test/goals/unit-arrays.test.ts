import { describe, expect, it } from 'vitest';
import { FRESH_ARRAYS, reusedArrays } from '../../src/goals/unit-arrays.js';

describe('reusedArrays', () => {
  it('gives back zeroed arrays over the buffers of the last evaluation', () => {
    const first = reusedArrays();
    const dirty = first.arrays.zeros(Float64Array, 100_000).fill(7);
    const targets = first.arrays.zeros(Uint8Array, 300_000).fill(3);
    first.release();

    const second = reusedArrays();
    expect(second.arrays.reused).toBe(true);
    // Smaller than before, in the same buffers, zeroed.
    const totals = second.arrays.zeros(Float64Array, 90_000);
    const rows = second.arrays.zeros(Uint8Array, 290_000);
    expect(totals.buffer).toBe(dirty.buffer);
    expect(rows.buffer).toBe(targets.buffer);
    expect([totals.length, rows.length]).toEqual([90_000, 290_000]);
    expect(totals.every((value) => value === 0) && rows.every((value) => value === 0)).toBe(true);
    second.release();
  });

  it('allocates afresh an array too small to pool or much smaller than any free buffer', () => {
    const first = reusedArrays();
    const large = first.arrays.zeros(Float64Array, 1_000_000);
    first.release();
    const second = reusedArrays();
    expect(second.arrays.zeros(Float64Array, 100).buffer).not.toBe(large.buffer);
    expect(second.arrays.zeros(Float64Array, 400_000).buffer).not.toBe(large.buffer);
    expect(second.arrays.zeros(Float64Array, 600_000).buffer).toBe(large.buffer);
    second.release();
  });

  it('gives fresh arrays to an evaluation started while another one uses the pool', () => {
    const outer = reusedArrays();
    const inner = reusedArrays();
    expect(inner.arrays).toBe(FRESH_ARRAYS);
    inner.release(); // does not give the outer evaluation's buffers back
    const array = outer.arrays.zeros(Float64Array, 100_000);
    expect(reusedArrays().arrays).toBe(FRESH_ARRAYS);
    outer.release();
    const next = reusedArrays();
    expect(next.arrays.zeros(Float64Array, 100_000).buffer).toBe(array.buffer);
    next.release();
  });
});
