import { describe } from 'vitest';
import { itIsCalibrated } from './calibrated-regime.js';
import { CALIBRATED } from './settings.js';

describe('calibration of a log-normal metric (1,000 units per variant)', () => {
  itIsCalibrated(CALIBRATED.lognormal);
});
