import { distance } from 'fastest-levenshtein';

/**
 * The candidate closest to a name that is probably a misspelling of it, for "did you mean" hints.
 *
 * @remarks
 * A candidate qualifies when it equals the name ignoring case, or when its Levenshtein distance to the
 * name (case-insensitive) is at most a third of the longer of the two (at least 1, at most 3 edits).
 * Among qualifying candidates the nearest wins; ties keep the first candidate given. The name itself is
 * never suggested.
 *
 * @param name - The unknown name, e.g. `purchse`.
 * @param candidates - The known names.
 * @returns The closest known name, or `undefined` when none is close.
 * @internal
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const d = distance(lower, candidate.toLowerCase());
    const limit = Math.min(3, Math.max(1, Math.floor(Math.max(name.length, candidate.length) / 3)));
    if (d <= limit && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * ` (did you mean \`x\`?)` for the closest candidate, or `''` when none is close.
 *
 * @internal
 */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const suggestion = closestName(name, candidates);
  return suggestion === undefined ? '' : ` (did you mean \`${suggestion}\`?)`;
}
