// Stands in for the `debug` package inside the bundled @stdlib functions (gammaincinv logs overflow
// diagnostics through it). The real package reads the environment and `process` when it is imported, which
// a runtime-neutral core must not do; these diagnostics are never enabled in ep-stats, so the logger is silent.
'use strict';
function createDebug() {
  function log() {}
  log.enabled = false;
  return log;
}
createDebug.enabled = () => false;
module.exports = createDebug;
