import { execFile, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  watch,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  requireWritableTarget,
  temporaryPathFor,
  writeFileAtomically,
  writeNewTextFile,
} from '../../src/cli/atomic-file.js';
import { CliError } from '../../src/cli/cli-error.js';
import { DuckDbClient } from '../../src/sql/index.js';
import { type CliResult, commandArgs, ROOT, runCli } from './run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'ep-stats-cli-atomic-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A fresh folder holding one file `name` with `content`. */
function folderWith(name: string, content: string | Buffer): { folder: string; file: string } {
  const folder = mkdtempSync(join(scratch, 'case-'));
  const file = join(folder, name);
  writeFileSync(file, content);
  return { folder, file };
}

/** Temporary files the command may leave: `.<name>.<pid>.<random>.tmp`, DuckDB's `tmp_...`. */
const TEMPORARY = /^(\..+\.\d+\.[0-9a-f]+\.tmp|tmp_.*)$/;

const ORIGINAL = 'exp_id,exp_variant_id\noriginal,content\n';

/** Runs `ep-stats ...args` with files limited to 20 KiB (`ulimit -f 20`): writes past it fail as on a full disk. */
function runCliOnFullDisk(args: readonly string[]): Promise<CliResult> {
  const script = 'ulimit -f 20; exec "$0" "$@"';
  const command = [process.execPath, ...commandArgs(), ...args];
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', script, ...command],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1,
          stdout,
          stderr,
        });
      },
    );
  });
}

describe.concurrent('output files of ep-stats generate-events', () => {
  it('refuses to replace an existing --out file without --force (exit 2, file unchanged)', async () => {
    for (const name of ['events.csv', 'events.parquet']) {
      const { folder, file } = folderWith(name, ORIGINAL);
      const { code, stdout, stderr } = await runCli(['generate-events', '--out', file, '--units', '10']);
      expect([code, stdout]).toEqual([2, '']);
      expect(stderr).toBe(
        `error: the --out file ${JSON.stringify(file)} already exists; add --force to replace it\n`,
      );
      expect(readFileSync(file, 'utf8')).toBe(ORIGINAL);
      expect(readdirSync(folder)).toEqual([name]);
    }
  });

  it('refuses a directory as --out, even with --force', async () => {
    const folder = mkdtempSync(join(scratch, 'case-'));
    const target = join(folder, 'events.csv');
    mkdirSync(target);
    const { code, stderr } = await runCli(['generate-events', '--out', target, '--force']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot write the --out file .*events\.csv": it is a directory/);
  });

  it('replaces an existing file with --force (CSV and Parquet), leaving no temporary file', async () => {
    const csv = folderWith('events.csv', ORIGINAL);
    const result = await runCli(['generate-events', '--out', csv.file, '--force', '--units', '10']);
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(readFileSync(csv.file, 'utf8')).toMatch(/^exp_id,exp_variant_id,unit_type,unit_id,date,goal,/);
    expect(readdirSync(csv.folder)).toEqual(['events.csv']);

    const parquet = folderWith('events.parquet', ORIGINAL);
    const written = await runCli(['generate-events', '--out', parquet.file, '--force', '--units', '10']);
    expect([written.code, written.stderr]).toEqual([0, '']);
    const client = await DuckDbClient.open();
    const [row] = await client.query('SELECT COUNT(*) AS n FROM read_parquet($1)', [parquet.file]);
    await client.close();
    expect(Number(row?.n)).toBeGreaterThan(10);
    expect(readdirSync(parquet.folder)).toEqual(['events.parquet']);
  });

  it.skipIf(process.platform === 'win32')(
    'leaves the original file and no temporary file when the disk fills (CSV and Parquet)',
    async () => {
      // `ulimit -f 20`: writes past 20 KiB fail with EFBIG, as on a full disk.
      for (const [name, units] of [
        ['events.csv', '2000'],
        ['events.parquet', '1000'],
      ] as const) {
        const { folder, file } = folderWith(name, ORIGINAL);
        const { code, stdout, stderr } = await runCliOnFullDisk([
          'generate-events',
          '--out',
          file,
          '--force',
          '--units',
          units,
        ]);
        expect([code, stdout], name).toEqual([2, '']);
        expect(stderr, name).toMatch(/^error: cannot write the --out file .*: .*(EFBIG|File too large)/);
        expect(readFileSync(file, 'utf8'), name).toBe(ORIGINAL);
        expect(readdirSync(folder), name).toEqual([name]);
      }
    },
    60_000,
  );
});

/** What a `generate-events --force --units 50000` over `file` left when sent `signal` while writing. */
async function signalWhileWriting(
  signal: NodeJS.Signals,
  original: Buffer,
): Promise<{
  ended: NodeJS.Signals | number | null;
  sawTemporary: boolean;
  sizes: number[];
  left: string[];
  file: Buffer;
}> {
  const { folder, file } = folderWith('existing.csv', original);
  const args = [...commandArgs(), 'generate-events', '--out', file, '--force'];
  const child = spawn(process.execPath, [...args, '--units', '50000'], { cwd: ROOT, stdio: 'ignore' });
  const sizes: number[] = [];
  let sawTemporary = false;
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => {
    child.on('exit', (code, received) => resolve(received ?? code));
  });
  const check = () => {
    sizes.push(statSync(file).size);
    if (!sawTemporary && readdirSync(folder).some((entry) => TEMPORARY.test(entry))) {
      sawTemporary = true;
      child.kill(signal);
    }
  };
  // Signal as soon as the temporary file appears (watched, and polled in case an event is missed).
  const watcher = watch(folder, check);
  const poll = setInterval(check, 2);
  const fallback = setTimeout(() => child.kill('SIGKILL'), 150_000);
  const ended = await exited;
  clearInterval(poll);
  clearTimeout(fallback);
  watcher.close();
  return {
    ended,
    sawTemporary,
    sizes,
    left: readdirSync(folder).filter((entry) => entry !== 'existing.csv'),
    file: readFileSync(file),
  };
}

// Not concurrently with the tests above: generating 50,000 units takes seconds, and
// the signal must come while the file is being written.
describe('a killed ep-stats generate-events', () => {
  it.skipIf(process.platform === 'win32')(
    'SIGKILL while writing leaves the original byte for byte (and at most a temporary file); SIGTERM leaves no temporary file',
    async () => {
      const original = Buffer.from(ORIGINAL.repeat(1000));
      const [killed, terminated] = await Promise.all([
        signalWhileWriting('SIGKILL', original),
        signalWhileWriting('SIGTERM', original),
      ]);
      for (const [result, signal] of [
        [killed, 'SIGKILL'],
        [terminated, 'SIGTERM'],
      ] as const) {
        expect([result.ended, result.sawTemporary], signal).toEqual([signal, true]);
        expect(result.file.equals(original), signal).toBe(true);
        // The target was never truncated nor replaced while the command ran.
        expect(result.sizes.length, signal).toBeGreaterThan(0);
        expect(
          result.sizes.every((size) => size === original.length),
          signal,
        ).toBe(true);
      }
      expect(killed.left.length).toBeLessThanOrEqual(1);
      for (const entry of killed.left) expect(entry).toMatch(/^\.existing\.csv\.\d+\.[0-9a-f]{12}\.tmp$/);
      expect(terminated.left).toEqual([]);
    },
    240_000,
  );
});

describe('writeFileAtomically', () => {
  it('writes through a hidden, unique temporary file in the same folder', () => {
    const target = join(scratch, 'target.csv');
    const first = temporaryPathFor(target);
    expect(first).toMatch(
      new RegExp(
        `^${scratch.replaceAll('\\', '\\\\')}[/\\\\]\\.target\\.csv\\.${process.pid}\\.[0-9a-f]{12}\\.tmp$`,
      ),
    );
    expect(temporaryPathFor(target)).not.toBe(first);
  });

  it('on an error while writing, removes the temporary file (and its companions) and keeps the original', async () => {
    const { folder, file } = folderWith('events.csv', ORIGINAL);
    const failure = new Error('disk full');
    await expect(
      writeFileAtomically(
        file,
        (temporary) => {
          writeFileSync(temporary, 'half');
          writeFileSync(join(folder, `tmp_${temporary.slice(folder.length + 1)}`), 'duckdb');
          throw failure;
        },
        {
          force: true,
          companions: (temporary) => [join(folder, `tmp_${temporary.slice(folder.length + 1)}`)],
        },
      ),
    ).rejects.toBe(failure);
    expect(readFileSync(file, 'utf8')).toBe(ORIGINAL);
    expect(readdirSync(folder)).toEqual(['events.csv']);
  });

  it('never replaces a target that appeared during the write without force', async () => {
    const folder = mkdtempSync(join(scratch, 'case-'));
    const file = join(folder, 'events.csv');
    await expect(
      writeFileAtomically(
        file,
        async (temporary) => {
          await writeNewTextFile(temporary, 'new');
          writeFileSync(file, ORIGINAL);
        },
        { force: false },
      ),
    ).rejects.toMatchObject({ code: 'EEXIST' });
    expect(readFileSync(file, 'utf8')).toBe(ORIGINAL);
    expect(readdirSync(folder)).toEqual(['events.csv']);
  });

  it('creates a new file and replaces one with force, keeping its permissions', async () => {
    const folder = mkdtempSync(join(scratch, 'case-'));
    const file = join(folder, 'events.csv');
    await writeFileAtomically(file, (temporary) => writeNewTextFile(temporary, 'one'), { force: false });
    expect(readFileSync(file, 'utf8')).toBe('one');
    if (process.platform !== 'win32') {
      const { chmodSync } = await import('node:fs');
      chmodSync(file, 0o640);
    }
    await writeFileAtomically(file, (temporary) => writeNewTextFile(temporary, 'two'), { force: true });
    expect(readFileSync(file, 'utf8')).toBe('two');
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(folder)).toEqual(['events.csv']);
  });

  it('requireWritableTarget: a missing file passes; an existing one needs force', () => {
    const { file } = folderWith('events.csv', ORIGINAL);
    expect(() => requireWritableTarget(join(scratch, 'absent.csv'), '--out', false)).not.toThrow();
    expect(() => requireWritableTarget(file, '--out', true)).not.toThrow();
    expect(() => requireWritableTarget(file, '--out', false)).toThrow(CliError);
    expect(existsSync(file)).toBe(true);
  });
});
