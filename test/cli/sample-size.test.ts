import { describe, expect, it } from 'vitest';
import { parseJsonWithNonFinite, runCli } from './run-cli.js';

// Expected sizes: the reference's REST API examples (spec section 8).
describe.concurrent('ep-stats sample-size', () => {
  it('uses the standard deviation when given: (2, 0.1, 0.2, 1.2) -> 56512', async () => {
    const result = await runCli([
      'sample-size',
      '--variants',
      '2',
      '--minimum-effect',
      '0.1',
      '--mean',
      '0.2',
      '--std',
      '1.2',
    ]);
    expect(result).toEqual({ code: 0, stdout: '56512\n', stderr: '' });
  });

  it('uses the Bernoulli formula without --std: (2, 0.05, 0.4) -> 9489', async () => {
    const { code, stdout } = await runCli([
      'sample-size',
      '--variants',
      '2',
      '--minimum-effect',
      '0.05',
      '--mean',
      '0.4',
    ]);
    expect([code, stdout]).toEqual([0, '9489\n']);
  });

  it('prints JSON with --json: (3, 0.05, 0.4) -> 11492', async () => {
    const { code, stdout } = await runCli([
      'sample-size',
      '--variants',
      '3',
      '--minimum-effect',
      '0.05',
      '--mean',
      '0.4',
      '--json',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ sample_size_per_variant: 11492 });
  });

  it('writes NaN as a bare token: (2, 0.1, 0, 0) -> NaN', async () => {
    const { code, stdout } = await runCli([
      'sample-size',
      '--variants',
      '2',
      '--minimum-effect',
      '0.1',
      '--mean',
      '0',
      '--std',
      '0',
      '--json',
    ]);
    expect(code).toBe(0);
    expect(stdout).toBe('{"sample_size_per_variant":NaN}\n');
    expect(parseJsonWithNonFinite(stdout)).toEqual({ sample_size_per_variant: Number.NaN });
  });

  it('rejects a Bernoulli mean above one with exit code 1', async () => {
    const result = await runCli([
      'sample-size',
      '--variants',
      '2',
      '--minimum-effect',
      '0.05',
      '--mean',
      '1.4',
    ]);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: mean must be between zero and one, received 1.4.\n',
    });
  });

  it('rejects option values that are not numbers with exit code 2', async () => {
    const { code, stderr } = await runCli([
      'sample-size',
      '--variants',
      'two',
      '--minimum-effect',
      '0.05',
      '--mean',
      '0.4',
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain("option '--variants <n>' argument 'two' is invalid");
  });
});
