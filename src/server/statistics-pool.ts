import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import {
  runStatisticsJob,
  type StatisticsJob,
  type StatisticsJobResult,
  toJobError,
} from './statistics-job.js';

/** Runs {@link StatisticsJob}s on worker threads or, with no threads, on the event loop. @internal */
export interface StatisticsRunner {
  /** Worker threads at most (0: the event loop). */
  readonly threads: number;
  /** Runs a job; never rejects. */
  run(job: StatisticsJob): Promise<StatisticsJobResult>;
  /** Ends the worker threads (jobs still running are answered as failed). */
  close(): Promise<void>;
}

/**
 * The default number of statistics threads: one per evaluation slot, but no more than the machine's
 * parallelism minus one (the event loop's), and at least one.
 *
 * @internal
 */
export function defaultStatisticsThreads(concurrency: number): number {
  return Math.max(1, Math.min(concurrency, availableParallelism() - 1));
}

/** Idle threads beyond the first end after this many ms (a new one starts in about 50 ms). */
const IDLE_TIMEOUT_MS = 60_000;

/**
 * Creates the runner of the statistics half of `POST /evaluate`.
 *
 * @remarks
 * With `threads` > 0 the jobs run on a piscina pool of at most `threads` worker threads, created at the
 * first job (so a server that never evaluates starts no thread); one thread stays, the others end after a
 * minute idle. The goals are copied to the worker (structured clone); goals that cannot be copied (a
 * Dao's own objects with methods) are evaluated on the event loop instead. A worker that dies (e.g. out
 * of memory) fails its job only. With `threads` = 0 every job runs on the event loop after a
 * `setImmediate`, so that requests already waiting are served first.
 *
 * @param threads - Worker threads at most; 0 for none.
 * @internal
 */
export function createStatisticsRunner(threads: number): StatisticsRunner {
  let pool: Piscina<StatisticsJob, StatisticsJobResult> | undefined;
  let closed = false;
  const onLoop = async (job: StatisticsJob) => {
    await new Promise<void>((resolve) => setImmediate(resolve));
    return runStatisticsJob(job);
  };
  if (threads === 0) return { threads, run: onLoop, close: async () => {} };
  return {
    threads,
    async run(job) {
      if (closed) return { ok: false, kind: 'evaluation-failed', error: closedError() };
      pool ??= new Piscina({
        filename: workerUrl(),
        name: 'runStatisticsJob',
        minThreads: 1,
        maxThreads: threads,
        idleTimeout: IDLE_TIMEOUT_MS,
      });
      try {
        return await pool.run(job);
      } catch (error) {
        if (isDataCloneError(error)) return onLoop(job);
        return { ok: false, kind: 'evaluation-failed', error: toJobError(error) };
      }
    },
    async close() {
      closed = true;
      const running = pool;
      pool = undefined;
      await running?.destroy();
    },
  };
}

function closedError() {
  return toJobError(new Error('The statistics threads were closed (the server is shutting down)'));
}

function isDataCloneError(error: unknown): boolean {
  return error instanceof Error && error.name === 'DataCloneError';
}

/**
 * The worker module next to this one: `statistics-worker.js` in the built package (this code is in a
 * chunk at the root of `dist/`, ESM or CommonJS), or from the TypeScript sources a bootstrap that
 * registers tsx in the worker first.
 */
function workerUrl(): string {
  const meta = import.meta as { url?: string };
  const here = typeof meta.url === 'string' ? meta.url : pathToFileURL(__filename).href;
  const file = here.endsWith('.ts') ? './statistics-worker-source.mjs' : './statistics-worker.js';
  return new URL(file, here).href;
}
