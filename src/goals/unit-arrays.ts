/** The typed arrays a unit goal table allocates. @internal */
export type UnitArray = Uint8Array | Uint16Array | Int32Array | Float64Array;

/** The constructor of a {@link UnitArray}. @internal */
export interface UnitArrayType<T extends UnitArray> {
  new (length: number): T;
  new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

/**
 * Where the large typed arrays of a unit goal table come from: fresh arrays ({@link FRESH_ARRAYS}), or
 * arrays reused from an earlier evaluation ({@link reusedArrays}).
 *
 * @internal
 */
export interface UnitArrays {
  /** A zero-filled array of `length` elements. */
  zeros<T extends UnitArray>(type: UnitArrayType<T>, length: number): T;
  /** Whether the arrays are reused: then they need not be copied to free spare room. */
  readonly reused: boolean;
}

/** Fresh arrays, owned by whoever keeps them. @internal */
export const FRESH_ARRAYS: UnitArrays = Object.freeze({
  zeros: <T extends UnitArray>(type: UnitArrayType<T>, length: number): T => new type(length),
  reused: false,
});

/** Arrays smaller than this many bytes are allocated fresh: reuse pays for large arrays only. */
const REUSED_FROM = 1 << 16;

/** A free buffer serves an array of at least 1/`FIT` of its size. */
const FIT = 2;

/** At most this many free buffers are kept. */
const MAX_FREE = 64;

/**
 * Buffers reused from one evaluation to the next, so that evaluating large data again allocates nothing:
 * no page of fresh memory to map, no garbage for the collector to find, no growth of the heap.
 *
 * @remarks
 * An evaluation takes the pool ({@link reusedArrays}), builds its table from it and gives every buffer back
 * when done ({@link UnitArrayPool.release}); nothing that outlives the evaluation may hold an array of it.
 * Free buffers are held through `WeakRef`s: a full garbage collection between evaluations may free them,
 * and the next evaluation then allocates afresh.
 */
class UnitArrayPool implements UnitArrays {
  readonly reused = true;
  inUse = false;
  private free: WeakRef<ArrayBuffer>[] = [];
  private taken: ArrayBuffer[] = [];

  zeros<T extends UnitArray>(type: UnitArrayType<T>, length: number): T {
    const bytes = length * type.BYTES_PER_ELEMENT;
    if (bytes < REUSED_FROM) return new type(length);
    const buffer = this.take(bytes);
    if (buffer !== undefined) return new type(buffer, 0, length).fill(0) as T;
    const array = new type(length);
    this.taken.push(array.buffer as ArrayBuffer);
    return array;
  }

  /** Gives every buffer taken back to the pool. */
  release(): void {
    for (const buffer of this.taken) this.free.push(new WeakRef(buffer));
    this.taken = [];
    if (this.free.length > MAX_FREE) this.free.splice(0, this.free.length - MAX_FREE);
    this.inUse = false;
  }

  /** The smallest free buffer of at least `bytes` (and at most {@link FIT} times as many), if any. */
  private take(bytes: number): ArrayBuffer | undefined {
    let best: ArrayBuffer | undefined;
    let bestIndex = -1;
    this.free = this.free.filter((reference) => reference.deref() !== undefined);
    this.free.forEach((reference, index) => {
      const buffer = reference.deref();
      if (buffer === undefined || buffer.byteLength < bytes || buffer.byteLength > FIT * bytes) return;
      if (best === undefined || buffer.byteLength < best.byteLength) {
        best = buffer;
        bestIndex = index;
      }
    });
    if (best === undefined) return undefined;
    this.free.splice(bestIndex, 1);
    this.taken.push(best);
    return best;
  }
}

const pool = new UnitArrayPool();

/**
 * The pool of reused arrays for one evaluation, with the function that gives them back (call it once the
 * evaluation is done, in `finally`); fresh arrays and a no-op while another evaluation uses the pool (an
 * evaluation started from a callback of another one).
 *
 * @internal
 */
export function reusedArrays(): { arrays: UnitArrays; release: () => void } {
  if (pool.inUse) return { arrays: FRESH_ARRAYS, release: () => {} };
  pool.inUse = true;
  return { arrays: pool, release: () => pool.release() };
}
