/**
 * Output files of the command are never half-written: each is written to a temporary file in the target's
 * folder and renamed over the target only once complete, so that the target holds either its old content or
 * the new, whole.
 */
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fsyncSync,
  linkSync,
  lstatSync,
  openSync,
  renameSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { usageError } from './cli-error.js';
import { describeFsError } from './read-input-file.js';

/** Signals on which a write in progress removes its temporary file before the process ends. */
const CLEANUP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Checks, before any work, that an output file may be written: it does not exist, or `force` is set and it
 * is not a directory.
 *
 * @param path - The path as given.
 * @param option - The option that named it (`--out`), for the message.
 * @param force - Whether an existing file may be replaced (`--force`).
 * @throws {@link CliError} with exit code 2 when the file exists without `force`, or is a directory.
 */
export function requireWritableTarget(path: string, option: string, force: boolean): void {
  let isDirectory: boolean;
  try {
    isDirectory = lstatSync(path).isDirectory();
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === 'ENOENT') return;
    throw usageError(
      `cannot write the ${option} file ${JSON.stringify(path)}: ${describeFsError(error)}`,
      error,
    );
  }
  if (isDirectory) {
    throw usageError(`cannot write the ${option} file ${JSON.stringify(path)}: it is a directory`);
  }
  if (!force) {
    throw usageError(`the ${option} file ${JSON.stringify(path)} already exists; add --force to replace it`);
  }
}

/**
 * The temporary file a write of `target` goes through: in the same folder (so that the rename is atomic),
 * hidden, unique (`.<name>.<pid>.<random>.tmp`).
 *
 * @param target - The file to write.
 * @returns The temporary path.
 */
export function temporaryPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Options of {@link writeFileAtomically}. */
export interface AtomicWriteOptions {
  /** Replace an existing target; without it the target must not exist when the write completes. */
  readonly force: boolean;
  /**
   * Other files the writer may leave next to the temporary file when it fails (e.g. DuckDB's
   * `tmp_<name>`), removed with it.
   */
  readonly companions?: (temporary: string) => readonly string[];
}

/**
 * Writes a file through a temporary file in its folder: `write` fills the temporary path, which is then
 * flushed to disk (fsync) and renamed over `target`.
 *
 * @remarks
 * On any failure (an error of `write`, of the flush or of the rename) the temporary file (and its
 * companions) are removed and the target is left as it was; so are they when the process receives SIGINT,
 * SIGTERM or SIGHUP while writing (it then ends by that signal). Only a SIGKILL or a crash of the machine
 * can leave a temporary file behind, never a truncated target. Without `force` the temporary file is
 * hard-linked to the target (which fails if the target appeared meanwhile) rather than renamed over it,
 * where the file system has hard links. An existing target's permissions are kept.
 *
 * @param target - The file to write.
 * @param write - Writes the complete content to the path it is given (which does not exist yet).
 * @param options - Whether to replace an existing file; extra files to clean up.
 * @throws What `write` throws; the file system's error for the flush or the rename; `EEXIST` when the target
 *   appeared during the write without `force`.
 */
export async function writeFileAtomically(
  target: string,
  write: (temporary: string) => void | Promise<void>,
  options: AtomicWriteOptions,
): Promise<void> {
  const temporary = temporaryPathFor(target);
  const leftovers = [temporary, ...(options.companions?.(temporary) ?? [])];
  const cleanUp = () => {
    for (const path of leftovers) {
      try {
        unlinkSync(path);
      } catch {
        // Not there (or not removable): nothing more to do.
      }
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    cleanUp();
    removeHandlers();
    process.kill(process.pid, signal);
  };
  const removeHandlers = () => {
    for (const signal of CLEANUP_SIGNALS) process.off(signal, onSignal);
  };
  for (const signal of CLEANUP_SIGNALS) process.on(signal, onSignal);
  try {
    await write(temporary);
    await syncFile(temporary, target);
    commit(temporary, target, options.force);
  } catch (error) {
    cleanUp();
    throw error;
  } finally {
    removeHandlers();
  }
  syncFolder(dirname(target));
}

/**
 * Writes text to a new file and flushes it to disk (for {@link writeFileAtomically}'s `write`).
 *
 * @remarks
 * Asynchronous, so that a signal received while writing is handled (the temporary file removed) rather
 * than lost.
 *
 * @param path - The file to create; it must not exist.
 * @param text - The content, written as UTF-8.
 */
export async function writeNewTextFile(path: string, text: string): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes the written file to disk and gives it the permissions of the file it replaces. */
async function syncFile(temporary: string, target: string): Promise<void> {
  try {
    chmodSync(temporary, statSync(target).mode & 0o7777);
  } catch {
    // No target yet (or permissions that cannot be copied): the new file keeps its own.
  }
  const handle = await open(temporary, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Puts the temporary file in the target's place. */
function commit(temporary: string, target: string, force: boolean): void {
  if (force) {
    renameSync(temporary, target);
    return;
  }
  try {
    // Fails with EEXIST if the target appeared since it was checked: never replace it without --force.
    linkSync(temporary, target);
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === 'EEXIST') throw error;
    // No hard links on this file system: check, then rename (a narrow race, but no half-written file).
    let exists = true;
    try {
      lstatSync(target);
    } catch {
      exists = false;
    }
    if (exists) throw error;
    renameSync(temporary, target);
    return;
  }
  try {
    unlinkSync(temporary);
  } catch {
    // The target is complete; a temporary name that cannot be removed is only a leftover.
  }
}

/** Flushes the folder's entry of the renamed file, where the platform allows it (not on Windows). */
function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(folder, 'r');
    fsyncSync(fd);
  } catch {
    // Best effort: the file itself is complete either way.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
