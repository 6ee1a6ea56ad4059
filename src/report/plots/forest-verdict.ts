import type { Verdict } from '../scorecard/verdict.js';
import { PLOT_PALETTE } from './plot-palette.js';

/** The colour of each verdict, from {@link PLOT_PALETTE}. @internal */
export const VERDICT_COLORS: Readonly<Record<Verdict, string>> = Object.freeze({
  better: PLOT_PALETTE.better,
  worse: PLOT_PALETTE.worse,
  increase: PLOT_PALETTE.increase,
  decrease: PLOT_PALETTE.decrease,
  'non-inferior': PLOT_PALETTE.better,
  inconclusive: PLOT_PALETTE.inconclusive,
  untested: PLOT_PALETTE.inconclusive,
});
