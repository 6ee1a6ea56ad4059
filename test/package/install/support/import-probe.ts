/**
 * What loading `ep-stats` does in a fresh Node.js process of a consumer project: which files and Node.js
 * built-ins it loads (and from where) and which environment variables are read while it loads.
 *
 * The probe is a small program written into the project and run with `node`. Before it loads the package it
 *
 * - registers a module resolve hook (`module.register`) that reports every ESM resolution (specifier, parent,
 *   resolved URL) over a MessagePort, drained synchronously afterwards;
 * - wraps `Module._load`, which sees every `require` (CommonJS dependencies, and the CommonJS build);
 * - replaces `process.env` by a Proxy that records every read (get, `in`, key listing) with the stack
 *   frame that made it.
 *
 * It then prints one JSON report on stdout.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { userEnv } from './installed-tree.js';

/** An environment read made while the package loaded. */
export interface EnvRead {
  readonly key: string;
  readonly operation: 'get' | 'has' | 'keys' | 'descriptor';
  /** The stack frame that made the read (`at ... (file:line:column)`). */
  readonly caller: string;
}

/** A module request: what was asked for, from which file, and what it resolved to. */
export interface ModuleRequest {
  readonly specifier: string;
  /** File path or URL of the requesting module (undefined for the probe's own entry). */
  readonly parent: string | undefined;
  /** `node:<name>` for built-ins, a file path otherwise (undefined when only the CommonJS request is known). */
  readonly resolved: string | undefined;
}

/** What the probe saw. */
export interface ProbeReport {
  /** Milliseconds the import or require took, hooks included. */
  readonly milliseconds: number;
  /** Every file loaded while the package loaded (ESM and CommonJS), as absolute paths. */
  readonly files: readonly string[];
  /** Every module request made while the package loaded. */
  readonly requests: readonly ModuleRequest[];
  readonly envReads: readonly EnvRead[];
  /** What the package exports (names), so that a test sees the load did happen. */
  readonly exports: readonly string[];
}

const PROBE_BODY = String.raw`
const nodeModule = await import('node:module');
const { register, isBuiltin } = nodeModule;
const Module_ = nodeModule.default;
const { MessageChannel, receiveMessageOnPort } = await import('node:worker_threads');
const { fileURLToPath } = await import('node:url');
Error.stackTraceLimit = 50;
const PROBE = __PROBE_FILE__;

const { port1, port2 } = new MessageChannel();
const hooks = 'let port;' +
  'export function initialize(data) { port = data.port; }' +
  'export async function resolve(specifier, context, next) {' +
  '  const result = await next(specifier, context);' +
  '  port.postMessage({ specifier, parent: context.parentURL, url: result.url });' +
  '  return result;' +
  '}';
register('data:text/javascript,' + encodeURIComponent(hooks), { data: { port: port2 }, transferList: [port2] });

const cjsRequests = [];
const originalLoad = Module_._load;
Module_._load = function (request, parent, isMain) {
  cjsRequests.push({ specifier: request, parent: parent?.filename, builtin: isBuiltin(request) });
  return originalLoad.apply(this, arguments);
};

const envReads = [];
const callerFrame = () => {
  const frames = (new Error().stack ?? '').split('\n').slice(1).map((line) => line.trim());
  return frames.find((frame) => !frame.includes(PROBE)) ?? '(unknown)';
};
const realEnv = process.env;
const record = (key, operation) => envReads.push({ key: String(key), operation, caller: callerFrame() });
process.env = new Proxy(realEnv, {
  get(target, key) { record(key, 'get'); return Reflect.get(target, key); },
  has(target, key) { record(key, 'has'); return Reflect.has(target, key); },
  ownKeys(target) { record('*', 'keys'); return Reflect.ownKeys(target); },
  getOwnPropertyDescriptor(target, key) { record(key, 'descriptor'); return Reflect.getOwnPropertyDescriptor(target, key); },
});

const start = performance.now();
const loaded = await (__LOAD__);
const milliseconds = performance.now() - start;
process.env = realEnv;
Module_._load = originalLoad;

const requests = [];
for (let message; (message = receiveMessageOnPort(port1)); ) {
  const { specifier, parent, url } = message.message;
  requests.push({
    specifier,
    parent: parent?.startsWith('file:') ? fileURLToPath(parent) : parent,
    resolved: url.startsWith('file:') ? fileURLToPath(url) : url,
  });
}
port1.close();
for (const { specifier, parent, builtin } of cjsRequests) {
  requests.push({ specifier, parent, resolved: builtin ? (specifier.startsWith('node:') ? specifier : 'node:' + specifier) : undefined });
}
const files = new Set(Object.keys(Module_._cache));
for (const request of requests) if (request.resolved?.startsWith('/')) files.add(request.resolved);
files.delete(PROBE);
process.stdout.write(JSON.stringify({ milliseconds, files: [...files], requests, envReads, exports: Object.keys(loaded) }));
`;

/**
 * Loads `ep-stats` in a fresh `node` process in `dir` (a consumer project outside any other node_modules)
 * and reports what the load did.
 *
 * @param dir - The project folder; the probe file is written there.
 * @param system - `esm`: `await import('ep-stats')` from an .mjs file; `cjs`: `require('ep-stats')` from a
 *   .cjs file.
 */
export function probeImport(dir: string, system: 'esm' | 'cjs'): ProbeReport {
  const file = join(dir, system === 'esm' ? 'ep-stats-probe.mjs' : 'ep-stats-probe.cjs');
  const load =
    system === 'esm'
      ? "import('ep-stats')"
      : "Promise.resolve().then(() => Module_.createRequire(PROBE)('ep-stats'))";
  const body = PROBE_BODY.replace('__PROBE_FILE__', JSON.stringify(file)).replace('__LOAD__', load);
  // CommonJS has no top-level await: the same body runs in an async function there.
  writeFileSync(file, system === 'esm' ? body : `(async () => {${body}})();`);
  const output = execFileSync(process.execPath, [file], { cwd: dir, env: userEnv(), encoding: 'utf8' });
  return JSON.parse(output) as ProbeReport;
}

/** Whether a stack frame is Node.js's own code (`node:internal/...`) rather than a package's. */
export function isNodeInternalFrame(frame: string): boolean {
  return /(^at |\()node:/.test(frame);
}
