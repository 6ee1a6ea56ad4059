// Layering of src/, checked with `npx depcruise src --config .dependency-cruiser.cjs`.
//   core: src/index.ts and src/{checks,dao,errors,experiment,expression,goals,results,statistics,text}
//   edge: src/{sql,server,wire,cli,testing,report}, each reached through its entry (index.ts; cli: main.ts); wire is
//   the REST JSON wire format that server and cli share (zod, no HTTP framework)
const CORE = '^src/(index\\.ts$|(checks|dao|errors|experiment|expression|goals|results|statistics|text)/)';
const CORE_DEEP = '^src/(checks|dao|errors|experiment|expression|goals|results|statistics|text)/';
const EDGE = '^src/(sql|server|wire|cli|testing|report)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    // a. The core runs anywhere (browsers, Deno, Bun): no Node built-ins, and it knows nothing of the edges.
    {
      name: 'core-no-node-builtins',
      severity: 'error',
      from: { path: CORE },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-not-to-edge',
      severity: 'error',
      from: { path: CORE },
      to: { path: EDGE },
    },
    // b. Edges use the core only through its public entry src/index.ts ...
    {
      name: 'edge-core-via-entry',
      severity: 'error',
      from: { path: EDGE },
      to: { path: CORE_DEEP },
    },
    // ... and each other only through their entries (never a deep file of another edge folder).
    {
      name: 'edge-edge-via-entry',
      severity: 'error',
      from: { path: EDGE },
      to: {
        path: EDGE,
        pathNot: ['^src/$1/', '^src/(sql|server|wire|testing|report)/index\\.ts$', '^src/cli/main\\.ts$'],
      },
    },
    // c. No cycles: between folders (A -> B -> ... -> A) nor between files; type-only imports count too
    //    (tsPreCompilationDeps below).
    {
      name: 'no-folder-cycle',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-file-cycle',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    // d. What src imports must resolve, and must not be only a devDependency (missing for consumers). Optional
    //    peers are devDependencies too (for our tests): fine. @stdlib, d3-scale and d3-shape are bundled into
    //    dist (tsup noExternal).
    //    The one exception: the statistics worker's bootstrap for running from the TypeScript sources, which
    //    registers tsx in the worker thread; it is not built and the package never loads it.
    {
      name: 'no-dev-deps',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/server/statistics-worker-source\\.mjs$' },
      to: {
        dependencyTypes: ['npm-dev'],
        dependencyTypesNot: ['npm', 'npm-peer', 'npm-optional'],
        pathNot: '(^|/)node_modules/(@stdlib/|d3-scale/|d3-shape/)',
      },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    // Keep type-only imports (`import type`) in the graph: they form cycles and layer breaches too.
    tsPreCompilationDeps: true,
    // Resolve packages through their `exports` (subpaths such as csv-parse/sync).
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
