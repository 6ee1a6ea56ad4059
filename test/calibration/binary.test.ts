import { describe, expect, it } from 'vitest';
import { itIsCalibrated } from './calibrated-regime.js';
import { assess } from './calibration-table.js';
import { CALIBRATED, SMALL_SAMPLE } from './settings.js';
import { simulateSetting } from './simulate.js';

describe('calibration of a binary metric (5% conversion, 4,000 units per variant)', () => {
  itIsCalibrated(CALIBRATED.binary);
});

describe('calibration below the regime', () => {
  it('a binary metric at 5% with 200 units per variant rejects a true A/A above the band (about 8.4% at 5%)', () => {
    const setting = SMALL_SAMPLE.find(
      (s) => s.metric === 'binary' && s.unitsPerVariant === 200 && s.variants === 2 && !s.sequential,
    )!;
    const result = simulateSetting(setting);
    const { band, verdict } = assess(result);
    expect(verdict).toBe('above nominal');
    expect(result.rejections[0]).toBeGreaterThan(band.upper);
  });
});
