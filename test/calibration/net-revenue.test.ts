import { describe } from 'vitest';
import { itIsCalibrated } from './calibrated-regime.js';
import { CALIBRATED } from './settings.js';

describe('calibration of net revenue, value(conversion) - value(refund) (20% purchase, 4,000 units per variant)', () => {
  itIsCalibrated(CALIBRATED['net-revenue']);
});
