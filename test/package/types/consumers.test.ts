/**
 * The packed package's types as consumers compile them: `tsc` with `strict: true, skipLibCheck: false` over a
 * small program (see `consumer-programs.ts`), for every module resolution a user may have (node16 and
 * nodenext from ESM and from CommonJS, bundler with `module: esnext` and `preserve`, and node10 with
 * `module: commonjs`).
 *
 * The core entry `ep-stats` is compiled with nothing installed but the package: its types must stand alone
 * (no `@types/node`, no `@types/ndarray`). The Node.js entries (`ep-stats/testing`, `ep-stats/server`,
 * `ep-stats/sql`) are compiled in a consumer that also installed `@types/node` and the server's peers, as
 * the README tells users to (`pg` and `@duckdb/node-api` are left out: the package loads them only when used).
 *
 * The type tests of `test/types` (vitest `expectTypeOf`), which the repository checks against the sources,
 * are compiled here against the packed declarations too.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumer, ROOT } from '../support/packed-package.js';
import { CORE_PROGRAM, NODE_PROGRAM } from './consumer-programs.js';
import {
  type Compilation,
  compile,
  describeCompilation,
  type IsolatedRoot,
  isolatedRoot,
  isPackageFile,
  writeProject,
} from './scratch-project.js';

const PACKAGE_JSON = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  readonly peerDependencies: Readonly<Record<string, string>>;
  readonly devDependencies: Readonly<Record<string, string>>;
};

/** What users of `ep-stats/server` (and the CLI) install next to the package, as the README says. */
const NODE_PEERS = [
  'fastify',
  '@fastify/swagger',
  '@fastify/swagger-ui',
  'zod',
  'prom-client',
  'piscina',
  'commander',
  'csv-parse',
];

/** `npm install` specs: each peer at the package's peer range, and `@types/node` for the supported Node.js. */
function nodePackages(): string[] {
  const peers = NODE_PEERS.map((name) => {
    const range = PACKAGE_JSON.peerDependencies[name];
    if (range === undefined) throw new Error(`${name} is not a peer dependency of ep-stats`);
    return `${name}@${range}`;
  });
  return [...peers, `@types/node@${PACKAGE_JSON.devDependencies['@types/node'] ?? '^20'}`];
}

/** A consumer's compiler setup: its package.json `type` and its module options. */
interface Scenario {
  readonly name: string;
  readonly type: 'module' | 'commonjs';
  readonly module: string;
  readonly moduleResolution: string;
  /** The declaration files the entries must resolve to. */
  readonly declarations: '.d.ts' | '.d.cts';
}

const SCENARIOS: readonly Scenario[] = [
  { name: 'node16-esm', type: 'module', module: 'node16', moduleResolution: 'node16', declarations: '.d.ts' },
  {
    name: 'node16-cjs',
    type: 'commonjs',
    module: 'node16',
    moduleResolution: 'node16',
    declarations: '.d.cts',
  },
  {
    name: 'nodenext-esm',
    type: 'module',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    declarations: '.d.ts',
  },
  {
    name: 'nodenext-cjs',
    type: 'commonjs',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    declarations: '.d.cts',
  },
  {
    name: 'bundler-esnext',
    type: 'module',
    module: 'esnext',
    moduleResolution: 'bundler',
    declarations: '.d.ts',
  },
  {
    name: 'bundler-preserve',
    type: 'module',
    module: 'preserve',
    moduleResolution: 'bundler',
    declarations: '.d.ts',
  },
  // `node` is node10: no `exports`; the subpaths resolve through `typesVersions`.
  {
    name: 'node10-cjs',
    type: 'commonjs',
    module: 'commonjs',
    moduleResolution: 'node',
    declarations: '.d.ts',
  },
];

/** Writes the scenario's project (package.json, tsconfig.json, index.ts) under `root`. */
function project(
  root: string,
  folder: string,
  scenario: Scenario,
  program: string,
  options: Readonly<Record<string, unknown>> = {},
): string {
  return writeProject(join(root, folder), {
    'package.json': { name: `consumer-${folder}`, private: true, type: scenario.type },
    'tsconfig.json': {
      compilerOptions: {
        target: 'es2022',
        lib: ['es2022'],
        module: scenario.module,
        moduleResolution: scenario.moduleResolution,
        strict: true,
        skipLibCheck: false,
        noEmit: true,
        // What ESM projects commonly set; it rejects an import of a type without `type`.
        ...(scenario.type === 'module' ? { verbatimModuleSyntax: true } : {}),
        ...options,
      },
      files: ['index.ts'],
    },
    'index.ts': program,
  });
}

/** The files of the package that a compilation read. */
function packageFiles(compilation: Compilation, root: string): string[] {
  return compilation.files.filter((file) => isPackageFile(file, root, 'ep-stats'));
}

function expectCompiled(name: string, compilation: Compilation, root: string, scenario: Scenario): void {
  expect(compilation.status, describeCompilation(name, compilation)).toBe(0);
  expect(compilation.diagnostics, describeCompilation(name, compilation)).toBe('');
  expect(compilation.outsideFiles, 'files read from outside the consumer').toEqual([]);
  const declarations = packageFiles(compilation, root);
  expect(declarations.length, describeCompilation(name, compilation)).toBeGreaterThan(0);
  const otherFlavour = declarations.filter((file) => !file.endsWith(scenario.declarations));
  expect(otherFlavour, `${name} must read only the package's ${scenario.declarations} files`).toEqual([]);
}

let core: IsolatedRoot | undefined;
let node: IsolatedRoot | undefined;

beforeAll(() => {
  core = isolatedRoot(consumer('types-core').dir, 'types-core');
  // expect-type (what vitest's expectTypeOf is) for the type tests; see VITEST_SHIM.
  node = isolatedRoot(consumer('types-node', nodePackages()).dir, 'types-node', {
    'expect-type': join(ROOT, 'node_modules', 'expect-type'),
  });
}, 900_000);

afterAll(() => {
  core?.dispose();
  node?.dispose();
});

describe('the core consumer', () => {
  it('has nothing installed but ep-stats and its dependencies: no @types, no peers', () => {
    const modules = join(core!.dir, 'node_modules');
    expect(existsSync(join(modules, '@types')), 'node_modules/@types').toBe(false);
    const installed = readdirSync(modules);
    for (const name of ['typescript', ...NODE_PEERS.filter((peer) => !peer.startsWith('@')), 'pg']) {
      expect(installed, `${name} must not be installed`).not.toContain(name);
    }
    expect(installed).toContain('ep-stats');
  });

  it.concurrent.for(SCENARIOS)(
    'compiles a program using the core API ($name)',
    { timeout: 300_000 },
    async (scenario) => {
      const root = core!.dir;
      const dir = project(root, `core-${scenario.name}`, scenario, CORE_PROGRAM);
      const compilation = await compile(dir, root);
      expectCompiled(`core ${scenario.name}`, compilation, root, scenario);
      // The core's types read nothing but the package (no ndarray or Node.js types).
      const modules = compilation.files.filter((file) => file.startsWith(join(root, 'node_modules')));
      expect(modules.filter((file) => !isPackageFile(file, root, 'ep-stats'))).toEqual([]);
    },
  );
});

/** The setups that compile the Node.js subpaths. */
const SUBPATH_SCENARIOS: readonly string[] = ['node16-esm', 'nodenext-cjs', 'bundler-esnext', 'node10-cjs'];

describe('the Node.js consumer (server peers and @types/node installed)', () => {
  it('installed the peers and @types/node but neither pg nor @duckdb/node-api', () => {
    const modules = join(node!.dir, 'node_modules');
    for (const name of [...NODE_PEERS, '@types/node']) {
      expect(existsSync(join(modules, ...name.split('/'), 'package.json')), name).toBe(true);
    }
    expect(existsSync(join(modules, 'pg')), 'pg').toBe(false);
    expect(existsSync(join(modules, '@duckdb', 'node-api')), '@duckdb/node-api').toBe(false);
  });

  // One setup per module resolution (node16 as ESM, nodenext as CommonJS, bundler, node10): with the peers'
  // declarations checked too (skipLibCheck false), each compile takes seconds; the core's program above runs
  // in all seven.
  it.concurrent.for(SCENARIOS.filter((scenario) => SUBPATH_SCENARIOS.includes(scenario.name)))(
    'compiles a program using ep-stats/testing, ep-stats/server, ep-stats/sql and ep-stats/report ($name)',
    { timeout: 300_000 },
    async (scenario) => {
      const root = node!.dir;
      // With `module: commonjs`, `esModuleInterop` as `tsc --init` writes it: the peers' own declarations
      // (zod's locales, pino's, fastify's logger) fail without it (TS1259); ep-stats's core does not need it.
      const options = scenario.module === 'commonjs' ? { esModuleInterop: true } : {};
      const dir = project(root, `node-${scenario.name}`, scenario, NODE_PROGRAM, options);
      const compilation = await compile(dir, root);
      expectCompiled(`node ${scenario.name}`, compilation, root, scenario);
      const entries = packageFiles(compilation, root).map((file) => file.slice(file.lastIndexOf('/') + 1));
      for (const entry of ['index', 'testing', 'server', 'sql', 'report']) {
        expect(entries, `${scenario.name} reads the ${entry} declarations`).toContain(
          `${entry}${scenario.declarations}`,
        );
      }
    },
  );
});

/** The type tests, as `vitest --typecheck` checks them (see `test/types/tsconfig.json`). */
const TYPE_TESTS = join(ROOT, 'test', 'types');

/** What the type tests import from `vitest`: its `expectTypeOf` is expect-type's. */
const VITEST_SHIM = `export { expectTypeOf } from 'expect-type';
export declare function describe(name: string, body: () => void): void;
export declare function test(name: string, body: () => void | Promise<void>): void;
`;

/** The type tests import the entries' sources; in the scratch project those modules re-export the package. */
const ENTRY_SOURCES: Readonly<Record<string, string>> = {
  'src/index.ts': 'ep-stats',
  'src/testing/index.ts': 'ep-stats/testing',
  'src/server/index.ts': 'ep-stats/server',
  'src/sql/index.ts': 'ep-stats/sql',
  'src/report/index.ts': 'ep-stats/report',
};

describe('the type tests of test/types against the packed declarations', () => {
  it('compile with strict and skipLibCheck false (nodenext)', async () => {
    const root = node!.dir;
    const tests = readdirSync(TYPE_TESTS).filter((name) => name.endsWith('.test-d.ts'));
    expect(tests.length).toBeGreaterThan(0);
    const files: Record<string, string | object> = {
      'package.json': { name: 'type-tests', private: true, type: 'module' },
      'tsconfig.json': {
        compilerOptions: {
          target: 'es2022',
          lib: ['es2022'],
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          skipLibCheck: false,
          noEmit: true,
          verbatimModuleSyntax: true,
        },
        include: ['test/types/*.test-d.ts'],
      },
      'node_modules/vitest/package.json': {
        name: 'vitest',
        version: '0.0.0',
        type: 'module',
        types: 'index.d.ts',
      },
      'node_modules/vitest/index.d.ts': VITEST_SHIM,
    };
    for (const [source, entry] of Object.entries(ENTRY_SOURCES))
      files[source] = `export * from '${entry}';\n`;
    for (const test of tests) files[`test/types/${test}`] = readFileSync(join(TYPE_TESTS, test), 'utf8');
    const dir = writeProject(join(root, 'type-tests'), files);
    const compilation = await compile(dir, root);
    const scenario = SCENARIOS.find((candidate) => candidate.name === 'nodenext-esm')!;
    expectCompiled('type tests', compilation, root, scenario);
    // The sources of this repository are not what was checked.
    expect(compilation.files.filter((file) => file.startsWith(join(ROOT, 'src')))).toEqual([]);
  }, 300_000);
});
