import { linearQuantile, winsorize } from '../statistics/winsorize.js';

/** Below this many values sorting is as fast as selecting. */
const SELECT_FROM = 256;

/** At most this many values, evenly spaced, estimate the bracket of a quantile ... */
const MAX_SAMPLE = 1024;
/** ... and at least one in this many. */
const SAMPLE_EVERY = 32;

/**
 * {@link winsorize} in linear time: the same thresholds and the same capped values, found by selecting
 * the two order statistics each quantile reads instead of sorting all the values.
 *
 * @remarks
 * {@link linearQuantile} reads only the values of ranks `floor(h)` and `floor(h) + 1`. Those are selected
 * among the few values of a bracket around the quantile, estimated from a sample, in one pass that counts
 * the values below the bracket and copies those in it (see {@link bracketedQuantile}); when the bracket
 * misses the ranks or holds too many values (heavy ties), quickselect puts them in place in a copy of all the
 * values. A `NaN` value (whose place in a sort `<` cannot find) and short inputs go to {@link winsorize}. A
 * threshold may come out as `0` where sorting gives `-0`; the capped values then differ only in the sign of a
 * zero, which no sum or square computed from them shows.
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
  // Where a bracket misses: a copy of all the values, made once.
  let scratch: Float64Array | undefined;
  const quantile = (q: number) => {
    const bracketed = bracketedQuantile(values, q);
    if (bracketed !== undefined) return bracketed;
    scratch ??= Float64Array.from(values);
    return quantileBySelection(scratch, q);
  };
  const lower = lowerQuantile > 0 ? quantile(lowerQuantile) : undefined;
  const upper = upperQuantile < 1 ? quantile(upperQuantile) : undefined;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (lower !== undefined && value < lower) values[i] = lower;
    else if (upper !== undefined && value > upper) values[i] = upper;
  }
}

/**
 * {@link linearQuantile} of the values (not NaN, not modified) from the values of a bracket, or undefined
 * when the bracket misses.
 *
 * @remarks
 * The bracket spans the sample's values a few standard deviations of a sample quantile around the quantile
 * (`-Infinity` and `Infinity` past the sample's ends). One pass counts the values below it and copies those
 * in it into an array sized for four times the values expected there; the bracket misses when that array
 * overflows or the two ranks are not among its values. The ranks are then selected in that array.
 *
 * @internal
 */
export function bracketedQuantile(values: Float64Array, q: number): number | undefined {
  const n = values.length;
  const rank = Math.floor((n - 1) * q);
  const next = Math.min(rank + 1, n - 1);
  const sample = sampleOf(values);
  const size = sample.length;
  const margin = Math.ceil(4 * Math.sqrt(size * q * (1 - q))) + 2;
  const from = Math.floor(q * (size - 1)) - margin;
  const to = Math.ceil(q * (size - 1)) + margin;
  const low = from >= 0 ? sample[from]! : Number.NEGATIVE_INFINITY;
  const high = to < size ? sample[to]! : Number.POSITIVE_INFINITY;
  // Room for four times the values expected in the bracket, and more: ties at its ends add to them.
  const bracket = new Float64Array(Math.min(n, 4 * Math.ceil((n * (to - from + 1)) / size) + 1024));
  let below = 0;
  let length = 0;
  for (let i = 0; i < n; i++) {
    const value = values[i]!;
    if (value < low) below++;
    else if (value <= high) {
      if (length === bracket.length) return undefined;
      bracket[length++] = value;
    }
  }
  if (below > rank || below + length <= next) return undefined;
  const inBracket = bracket.subarray(0, length);
  const k = rank - below;
  select(inBracket, k);
  const a = inBracket[k]!;
  let b = a;
  if (next > rank) {
    // The next rank is the smallest value after `k`.
    b = inBracket[k + 1]!;
    for (let i = k + 2; i < length; i++) if (inBracket[i]! < b) b = inBracket[i]!;
  }
  // linearQuantile reads the values of these two ranks only.
  return linearQuantile({ length: n, [rank]: a, [next]: b }, q);
}

/** One in {@link SAMPLE_EVERY} values (at most {@link MAX_SAMPLE}), evenly spaced over the values, sorted. */
function sampleOf(values: Float64Array): Float64Array {
  const size = Math.min(MAX_SAMPLE, Math.ceil(values.length / SAMPLE_EVERY));
  const step = Math.floor(values.length / size);
  const sample = new Float64Array(size);
  for (let i = 0; i < size; i++) sample[i] = values[i * step]!;
  return sample.sort();
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
