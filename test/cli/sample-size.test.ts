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
      stderr:
        'error: `--mean` must be a conversion rate between 0 and 1 (no `--std` is given), received 1.4.\n',
    });
  });

  it.each([
    [
      ['--minimum-effect', '-0.1', '--mean', '0.2'],
      'error: `--minimum-effect` must be zero or greater (a relative effect: 0.05 is 5 %), received -0.1.\n',
    ],
    [
      ['--minimum-effect', '0.1', '--mean', '0.2', '--std', '-1.2'],
      'error: `--std` must be zero or greater (a standard deviation), received -1.2.\n',
    ],
  ])('rejects %j with exit code 1, naming the option', async (options, stderr) => {
    const result = await runCli(['sample-size', '--variants', '2', ...options]);
    expect(result).toEqual({ code: 1, stdout: '', stderr });
  });

  it('rejects fewer than two variants with exit code 1, naming --variants', async () => {
    const result = await runCli([
      'sample-size',
      '--variants',
      '1',
      '--minimum-effect',
      '0.1',
      '--mean',
      '0.2',
    ]);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: `--variants` must be at least 2 (the control and one other variant), received 1.\n',
    });
  });

  it.each(['--confidence-level', '--power'])(
    'rejects %s outside (0, 1) as a usage error naming the option',
    async (option) => {
      const { code, stderr } = await runCli([
        'sample-size',
        '--variants',
        '2',
        '--minimum-effect',
        '0.1',
        '--mean',
        '0.2',
        option,
        '1.5',
      ]);
      expect(code).toBe(2);
      expect(stderr).toContain(`option '${option} <`);
      expect(stderr).toContain('expected a number strictly between 0 and 1, received "1.5"');
    },
  );

  it.each([
    [
      ['--minimum-effect', '0', '--mean', '0.4'],
      'Infinity (a minimum effect of 0 cannot be detected with any sample size)\n',
    ],
    [
      ['--minimum-effect', '0.1', '--mean', '0', '--std', '1'],
      'Infinity (a mean of 0 makes every relative effect 0, which no sample size can detect)\n',
    ],
    [
      ['--minimum-effect', '0.1', '--mean', '0.2', '--std', '0'],
      '0 (a standard deviation of 0 means no noise: any difference is certain without units)\n',
    ],
    [
      ['--minimum-effect', '0.05', '--mean', '0'],
      'NaN (a conversion rate of 0 or 1 has no variance to test against)\n',
    ],
    [
      ['--minimum-effect', '0.5', '--mean', '0.8'],
      'NaN (the rate to detect, mean x (1 + minimum effect) = 1.2, is above 1)\n',
    ],
    [
      ['--minimum-effect', '0.1', '--mean', '0', '--std', '0'],
      'NaN (with no effect to detect (mean x minimum effect = 0) and no variance the formula is 0 / 0)\n',
    ],
  ])('explains the degenerate answer of %j in words next to the number', async (options, stdout) => {
    const result = await runCli(['sample-size', '--variants', '2', ...options]);
    expect(result).toEqual({ code: 0, stdout, stderr: '' });
  });

  it('keeps --json output machine-readable and explains a degenerate answer on stderr', async () => {
    const result = await runCli([
      'sample-size',
      '--variants',
      '2',
      '--minimum-effect',
      '0',
      '--mean',
      '0.4',
      '--json',
    ]);
    expect(result).toEqual({
      code: 0,
      stdout: '{"sample_size_per_variant":Infinity}\n',
      stderr:
        'note: sample_size_per_variant is Infinity: a minimum effect of 0 cannot be detected with any sample size\n',
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
