/**
 * Prints the calibration table of docs/statistics.md (section Calibration): the simulated settings of
 * test/calibration, inside the calibrated regime and below it, with their measured rates. The tests run
 * 2,000 experiments per setting; the published table 20,000 (the default here), for tighter estimates.
 *
 *     npx tsx scripts/calibration-table.ts [--experiments 20000]
 */
import { parseArgs } from 'node:util';
import { calibrationTable } from '../test/calibration/calibration-table.js';
import { CALIBRATED, SMALL_SAMPLE } from '../test/calibration/settings.js';
import { simulateSetting } from '../test/calibration/simulate.js';

const { values } = parseArgs({ options: { experiments: { type: 'string', default: '20000' } } });
const experiments = Number(values.experiments);
const settings = [
  ...CALIBRATED.binary,
  ...CALIBRATED.lognormal,
  ...CALIBRATED['net-revenue'],
  ...SMALL_SAMPLE,
];
const results = settings.map((setting) => simulateSetting({ ...setting, experiments }));
process.stdout.write(`${calibrationTable(results)}\n`);
