import { expect, it } from 'vitest';
import { assess, designName } from './calibration-table.js';
import type { TableSetting } from './settings.js';
import { simulateSetting } from './simulate.js';

/**
 * One test per setting inside the calibrated regime: every rejection and miss count lies in the 99.9%
 * binomial band around the nominal level (with Holm: at or below its upper edge), at the confidence level
 * the design implies.
 */
export function itIsCalibrated(settings: readonly TableSetting[]): void {
  for (const setting of settings) {
    it(`${designName(setting)}: within the 99.9% binomial band around the nominal level`, () => {
      const result = simulateSetting(setting);
      expect(result.confidenceLevel).toBe(setting.sequential ? 0.9716 : 0.95);
      const { checks, band } = assess(result);
      for (const check of checks) {
        expect(
          check.position,
          `${check.label}: ${check.count} of ${setting.experiments}, band ${band.lower}–${band.upper}`,
        ).toBe('inside');
      }
      if (setting.variants > 2 && !setting.holm && setting.lift === 1) {
        // without a correction, the family-wise rate is above nominal: what Holm is for
        expect(result.familyRejections).toBeGreaterThan(band.upper);
      }
    });
  }
}
