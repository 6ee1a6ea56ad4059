import type { EvaluationWarning } from './evaluation.js';

/** Collects evaluation warnings and forwards each to an optional callback. @internal */
export class WarningCollector {
  private readonly list: EvaluationWarning[] = [];

  constructor(private readonly onWarning?: (warning: EvaluationWarning) => void) {}

  add(warning: EvaluationWarning): void {
    const frozen = Object.freeze({ ...warning });
    this.list.push(frozen);
    this.onWarning?.(frozen);
  }

  get warnings(): readonly EvaluationWarning[] {
    return Object.freeze([...this.list]);
  }
}
