import { afterEach, describe, expect, it, vi } from 'vitest';
import { startProgress, withProgress } from '../../src/cli/progress.js';

/** A stream that records what is written. */
function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, writes, write: (text: string) => writes.push(text) };
}

describe('progress line', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('draws a spinner with the elapsed time on a terminal, redraws it in place and erases it', () => {
    vi.useFakeTimers();
    let now = 1_000;
    const terminal = stream(true);
    const progress = startProgress('querying events.parquet', terminal, () => now);
    expect(terminal.writes).toEqual(['\r\x1b[K⠋ querying events.parquet 0.0s']);
    now += 1_250;
    progress.update('computing goals');
    vi.advanceTimersByTime(100);
    expect(terminal.writes.at(-1)).toBe('\r\x1b[K⠙ computing goals 1.3s');
    progress.stop();
    progress.stop();
    expect(terminal.writes.at(-1)).toBe('\r\x1b[K');
    const count = terminal.writes.length;
    vi.advanceTimersByTime(1_000);
    expect(terminal.writes).toHaveLength(count);
  });

  it('writes nothing when the stream is not a terminal', async () => {
    vi.useFakeTimers();
    const pipe = stream(false);
    const result = await withProgress('querying', async () => 42, pipe);
    vi.advanceTimersByTime(1_000);
    expect([result, pipe.writes]).toEqual([42, []]);
  });

  it('erases the line when the step fails', async () => {
    const terminal = stream(true);
    await expect(
      withProgress(
        'querying',
        async () => {
          throw new Error('boom');
        },
        terminal,
      ),
    ).rejects.toThrow('boom');
    expect(terminal.writes.at(-1)).toBe('\r\x1b[K');
  });
});
