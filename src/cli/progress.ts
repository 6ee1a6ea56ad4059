/** Where {@link startProgress} writes: standard error, or a test double. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/** A running progress line. */
export interface Progress {
  /** Changes the text shown next to the spinner. */
  update(label: string): void;
  /** Erases the line and stops the timer (idempotent). */
  stop(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const INTERVAL_MS = 100;
/** Carriage return, then "erase to the end of the line". */
const CLEAR_LINE = '\r\x1b[K';

/**
 * Shows a spinner with the elapsed time while a long step runs (`⠹ querying events.parquet 3.2s`), on one
 * line that is redrawn in place and erased at the end.
 *
 * @remarks
 * Only on a terminal: when the stream is not a TTY (a pipe, a file, a CI log) nothing is written, so the
 * output of scripts stays clean. The timer is unreferenced and never keeps the process alive.
 *
 * @param label - What is being done.
 * @param stream - Where to draw, standard error by default.
 * @param now - Clock in milliseconds (for tests).
 * @returns The progress line, to update and stop.
 */
export function startProgress(
  label: string,
  stream: ProgressStream = process.stderr,
  now: () => number = Date.now,
): Progress {
  if (stream.isTTY !== true) return { update: () => {}, stop: () => {} };
  const start = now();
  let text = label;
  let frame = 0;
  const draw = () => {
    const seconds = ((now() - start) / 1000).toFixed(1);
    stream.write(`${CLEAR_LINE}${FRAMES[frame % FRAMES.length]} ${text} ${seconds}s`);
    frame += 1;
  };
  draw();
  const timer = setInterval(draw, INTERVAL_MS);
  timer.unref();
  let stopped = false;
  return {
    update: (next) => {
      text = next;
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      stream.write(CLEAR_LINE);
    },
  };
}

/**
 * Runs an asynchronous step under a {@link startProgress} line, erased when the step settles.
 *
 * @param label - What is being done.
 * @param task - The step; it may change the label.
 * @param stream - Where to draw, standard error by default.
 * @returns What the step resolves to.
 */
export async function withProgress<T>(
  label: string,
  task: (progress: Progress) => Promise<T>,
  stream: ProgressStream = process.stderr,
): Promise<T> {
  const progress = startProgress(label, stream);
  try {
    return await task(progress);
  } finally {
    progress.stop();
  }
}
