import { linearQuantile, winsorize } from '../statistics/winsorize.js';

/** Below this many values sorting is as fast as selecting. */
const SELECT_FROM = 256;

/**
 * {@link winsorize} in linear time: the same thresholds and the same capped values, found by selecting
 * the two order statistics each quantile reads instead of sorting all the values.
 *
 * @remarks
 * {@link linearQuantile} reads only the values of ranks `floor(h)` and `floor(h) + 1`; quickselect puts
 * them at those positions of a copy and the same interpolation runs on it. A `NaN` value (whose place in a
 * sort `<` cannot find) and short inputs go to {@link winsorize}. A threshold may come out as `0` where
 * sorting gives `-0`; the capped values then differ only in the sign of a zero, which no sum or square
 * computed from them shows.
 *
 * @param values - Values to cap (modified).
 * @param lowerQuantile - Lower quantile in [0, 1).
 * @param upperQuantile - Upper quantile in (0, 1].
 * @internal
 */
export function winsorizeBySelection(
  values: Float64Array,
  lowerQuantile: number,
  upperQuantile: number,
): void {
  if (!(lowerQuantile > 0) && !(upperQuantile < 1)) return;
  if (values.length < SELECT_FROM || hasNaN(values)) {
    winsorize(values, lowerQuantile, upperQuantile);
    return;
  }
  const scratch = Float64Array.from(values);
  const lower = lowerQuantile > 0 ? quantileBySelection(scratch, lowerQuantile) : undefined;
  const upper = upperQuantile < 1 ? quantileBySelection(scratch, upperQuantile) : undefined;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (lower !== undefined && value < lower) values[i] = lower;
    else if (upper !== undefined && value > upper) values[i] = upper;
  }
}

/** {@link linearQuantile} of the values (reordered, not sorted), which must not hold NaN. */
function quantileBySelection(values: Float64Array, q: number): number {
  const n = values.length;
  const rank = Math.floor((n - 1) * q);
  select(values, rank);
  if (rank + 1 < n) {
    // The next rank is the smallest value after `rank`.
    let smallest = rank + 1;
    for (let i = rank + 2; i < n; i++) if (values[i]! < values[smallest]!) smallest = i;
    swap(values, rank + 1, smallest);
  }
  return linearQuantile(values, q);
}

/**
 * Reorders values so that position `k` holds the value of rank `k` with no larger value before it and no
 * smaller one after it (Hoare's quickselect with a median-of-three pivot; sorts the rest of the range when
 * partitioning does not shrink it fast enough, so the time stays O(n log n) at worst).
 */
function select(values: Float64Array, k: number): void {
  let left = 0;
  let right = values.length - 1;
  let budget = 2 * Math.ceil(Math.log2(values.length)) + 8;
  while (right > left) {
    if (budget-- === 0) {
      values.subarray(left, right + 1).sort();
      return;
    }
    const middle = (left + right) >>> 1;
    if (values[middle]! < values[left]!) swap(values, middle, left);
    if (values[right]! < values[left]!) swap(values, right, left);
    if (values[right]! < values[middle]!) swap(values, right, middle);
    const pivot = values[middle]!;
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        swap(values, i, j);
        i++;
        j--;
      }
    }
    // Now values[left..j] <= pivot, values[i..right] >= pivot and values between j and i equal the pivot.
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}

function hasNaN(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i]!)) return true;
  return false;
}

function swap(values: Float64Array, a: number, b: number): void {
  const value = values[a]!;
  values[a] = values[b]!;
  values[b] = value;
}
