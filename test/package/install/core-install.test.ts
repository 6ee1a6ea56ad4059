/**
 * `npm install ep-stats` of the packed tarball, with nothing else: what it installs (few, small packages, no
 * install scripts, no engine warnings, also under `--engine-strict`) and what loading the package does in a
 * fresh Node.js process (only its runtime dependencies, no Node.js built-in from its own files, no
 * environment variable read), from ESM and from CommonJS with the same numbers.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Consumer, consumer, packedTarball } from '../support/packed-package.js';
import { MAX_CORE_NODE_MODULES_BYTES, MAX_CORE_PACKAGES } from './support/budgets.js';
import { isNodeInternalFrame, type ProbeReport, probeImport } from './support/import-probe.js';
import {
  dependencyClosure,
  type InstalledPackage,
  type IsolatedCopy,
  installedPackages,
  installScripts,
  isolatedCopy,
  packageOfFile,
  treeBytes,
  userEnv,
} from './support/installed-tree.js';

/** The runtime dependencies the package declares; everything else is an optional peer dependency. */
const RUNTIME_DEPENDENCIES = ['d3-format', 'fastest-levenshtein', 'ndarray', 'ndarray-ops'];

/** How long installing (and, before it, building and packing) may take. */
const INSTALL_TIMEOUT = 900_000;

let core: Consumer;
let packages: InstalledPackage[];

beforeAll(() => {
  core = consumer('core');
  packages = installedPackages(join(core.dir, 'node_modules'));
}, INSTALL_TIMEOUT);

const names = (list: readonly InstalledPackage[]) =>
  list.map((p) => `${p.name}@${p.manifest.version}`).sort();

describe('npm install ep-stats (the packed tarball alone)', () => {
  it('declares only the runtime dependencies, every other package as an optional peer', () => {
    const installed = packages.find((p) => p.name === 'ep-stats');
    expect(installed).toBeDefined();
    expect(Object.keys(installed?.manifest.dependencies ?? {}).sort()).toEqual(RUNTIME_DEPENDENCIES);
    const peers = Object.keys(installed?.manifest.peerDependencies ?? {});
    const requiredPeers = peers.filter(
      (peer) => installed?.manifest.peerDependenciesMeta?.[peer]?.optional !== true,
    );
    expect(requiredPeers).toEqual([]);
  });

  it(`installs at most ${MAX_CORE_PACKAGES} packages`, () => {
    expect(packages.length, names(packages).join('\n')).toBeLessThanOrEqual(MAX_CORE_PACKAGES);
    // The walk finds what npm reports (npm ls lists the project itself first).
    const listed = spawnSync('npm', ['ls', '--all', '--parseable'], { cwd: core.dir, encoding: 'utf8' });
    const lines = listed.stdout
      .split('\n')
      .filter((line) => line.startsWith(join(core.dir, 'node_modules', sep)));
    expect(lines.length).toBe(packages.length);
  });

  it('installs at most 10 MB', () => {
    const bytes = treeBytes(join(core.dir, 'node_modules'));
    const bySize = packages.map((p) => `${p.name}: ${(treeBytes(p.dir) / 1024).toFixed(0)} kB`).join('\n');
    expect(bytes, bySize).toBeLessThanOrEqual(MAX_CORE_NODE_MODULES_BYTES);
  });

  it('installs no package with an install script', () => {
    expect(installScripts(packages)).toEqual([]);
  });

  it('installs without an engine warning', () => {
    expect(core.installLog).not.toContain('EBADENGINE');
  });

  it(
    'installs with --engine-strict',
    () => {
      const dir = mkdtempSync(join(realpathSync(tmpdir()), 'ep-stats-engine-strict-'));
      try {
        writeFileSync(
          join(dir, 'package.json'),
          JSON.stringify({ name: 'consumer-engine-strict', version: '1.0.0', private: true }),
        );
        const install = spawnSync(
          'npm',
          ['install', '--engine-strict', '--no-audit', '--no-fund', '--prefer-offline', packedTarball()],
          { cwd: dir, encoding: 'utf8' },
        );
        expect(install.status, install.stderr).toBe(0);
        expect(install.stderr).not.toContain('EBADENGINE');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    INSTALL_TIMEOUT,
  );
});

describe('loading ep-stats in a fresh node process', () => {
  let copy: IsolatedCopy;
  let allowed: Set<string>;
  let esm: ProbeReport;
  let cjs: ProbeReport;

  beforeAll(() => {
    copy = isolatedCopy(core.dir, 'core-import');
    allowed = new Set(['ep-stats', ...dependencyClosure(copy.dir, 'ep-stats')]);
    esm = probeImport(copy.dir, 'esm');
    cjs = probeImport(copy.dir, 'cjs');
  }, INSTALL_TIMEOUT);
  afterAll(() => copy?.dispose());

  const ownFile = (path: string | undefined) =>
    path?.includes(`${sep}node_modules${sep}ep-stats${sep}`) === true;

  for (const system of ['esm', 'cjs'] as const) {
    const report = () => (system === 'esm' ? esm : cjs);
    const how = system === 'esm' ? "import('ep-stats')" : "require('ep-stats')";

    it(`${how} loads the package and no package but its runtime dependencies`, () => {
      expect(report().exports).toContain('Experiment');
      const entry = system === 'esm' ? 'index.js' : 'index.cjs';
      expect(report().files).toContain(join(copy.dir, 'node_modules', 'ep-stats', 'dist', entry));
      const outside = report().files.filter((file) => {
        const name = packageOfFile(file);
        return name === undefined || !allowed.has(name);
      });
      expect(outside, `runtime dependency closure: ${[...allowed].sort().join(', ')}`).toEqual([]);
    });

    it(`${how} loads no Node.js built-in from ep-stats' own files`, () => {
      const builtins = report()
        .requests.filter((request) => request.resolved?.startsWith('node:') && ownFile(request.parent))
        .map((request) => `${request.specifier} from ${request.parent}`);
      expect(builtins).toEqual([]);
    });

    it(`${how} reads no environment variable`, () => {
      // Node.js's own loader reads a variable or two (WATCH_REPORT_DEPENDENCIES); only reads by package code count.
      const reads = report()
        .envReads.filter((read) => !isNodeInternalFrame(read.caller))
        .map((read) => `${read.operation} ${read.key} ${read.caller}`);
      expect(reads).toEqual([]);
    });
  }

  it('gives the same numbers from CommonJS as from ESM', () => {
    const evaluation = (load: string) => `${load}
const experiment = new Experiment({
  id: 'button-colour',
  controlVariant: 'a',
  unitType: 'user',
  metrics: [new Metric({ id: 1, name: 'CTR', nominator: 'count(user.unit.click)', denominator: 'count(user.global.exposure)' })],
  checks: [new SrmCheck({ id: 1, name: 'SRM', denominator: 'count(user.global.exposure)' })],
});
const row = (variant, aggType, goal, n) => ({ exp_id: 'button-colour', exp_variant_id: variant, unit_type: 'user',
  agg_type: aggType, goal, count: n, sum_sqr_count: n, sum_value: n, sum_sqr_value: n, count_unique: n });
const evaluation = experiment.evaluateAgg([row('a', 'global', 'exposure', 21), row('a', 'unit', 'click', 5),
  row('b', 'global', 'exposure', 26), row('b', 'unit', 'click', 7)]);
console.log(JSON.stringify({
  metrics: evaluation.metrics.map((m) => [m.expVariantId, m.mean, m.diff, m.pValue, m.confidenceLower, m.confidenceUpper]),
  checks: evaluation.checks.map((c) => [c.variableId, c.value]),
}));
`;
    writeFileSync(
      join(copy.dir, 'evaluate.mjs'),
      evaluation("import { Experiment, Metric, SrmCheck } from 'ep-stats';"),
    );
    writeFileSync(
      join(copy.dir, 'evaluate.cjs'),
      evaluation("const { Experiment, Metric, SrmCheck } = require('ep-stats');"),
    );
    const run = (file: string) => {
      const result = spawnSync(process.execPath, [file], { cwd: copy.dir, env: userEnv(), encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stderr).toBe('');
      return JSON.parse(result.stdout) as {
        metrics: [string, number, number, number, number, number][];
        checks: [string, number][];
      };
    };
    const fromEsm = run('evaluate.mjs');
    const fromCjs = run('evaluate.cjs');
    expect(fromCjs).toEqual(fromEsm);
    // The Python reference's README numbers for this data: diff 0.1307692308, p-value 0.8244735669 for b.
    const b = fromEsm.metrics.find(([variant]) => variant === 'b');
    expect(b?.[2]).toBeCloseTo(0.1307692308, 9);
    expect(b?.[3]).toBeCloseTo(0.8244735669, 9);
  });
});
