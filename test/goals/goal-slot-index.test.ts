import { describe, expect, it } from 'vitest';
import { GoalSlotIndex } from '../../src/goals/goal-match-key.js';
import { completeDimensions, type GoalReference, goalMatchKey, parseExpression } from '../../src/index.js';

const DIMENSIONS = Object.freeze(['element', 'product', 'page']);
const VALUES = ['', 'a', 'b', '^c'];

/** A deterministic sequence of numbers in [0, 1). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)]!;

/** Goals of two names and unit types with random conditions (several per goal name, some repeated). */
function randomGoals(next: () => number, count: number): GoalReference[] {
  return Array.from({ length: count }, () => {
    const conditions = DIMENSIONS.flatMap((name) => {
      const value = pick(next, VALUES);
      return value === '' ? [] : [`${name}=${value}`];
    });
    const path = `${pick(next, ['u', 'v'])}.unit.${pick(next, ['click', 'view'])}`;
    const text = `count(${path}${conditions.length > 0 ? `(${conditions.join(', ')})` : ''})`;
    return completeDimensions(parseExpression(text) as GoalReference, DIMENSIONS);
  });
}

describe('GoalSlotIndex', () => {
  it('finds for every row the slot of the goal with its match key (random goals and rows)', () => {
    const next = random(7);
    for (let round = 0; round < 20; round++) {
      const goals = randomGoals(next, 1 + Math.floor(next() * 12));
      const index = new GoalSlotIndex(DIMENSIONS, goals);
      // The reference: slots numbered by distinct match key, in goal order.
      const keys = [...new Set(goals.map((goal) => goalMatchKey(goal, DIMENSIONS)))];
      expect(index.size).toBe(keys.length);
      goals.forEach((goal) => {
        expect(index.slotOf(goal)).toBe(keys.indexOf(goalMatchKey(goal, DIMENSIONS)));
      });
      let matched = 0;
      for (let r = 0; r < 200; r++) {
        // Half the rows are a goal's, one cell of them changed now and then; the others random.
        const like = next() < 0.5 ? pick(next, goals) : undefined;
        const unitType = like?.unitType ?? pick(next, ['u', 'v', 'w']);
        const name = like?.goal ?? pick(next, ['click', 'view', 'other']);
        const cells = DIMENSIONS.map((dimension) =>
          like !== undefined && next() < 0.9
            ? (like.dimensions.find((condition) => condition.name === dimension)?.storedValue ?? '')
            : pick(next, VALUES),
        );
        const indices = cells.flatMap((cell, d) => (cell === '' ? [] : [d]));
        const values = cells.filter((cell) => cell !== '');
        const slot = keys.indexOf([unitType, 'unit', name, ...cells].join('\u0000'));
        // Scratch arrays longer than `length` (as the scans pass them) must not matter.
        const found = index.lookup(unitType, 'unit', name, [...indices, 9], [...values, 'x'], indices.length);
        expect(found).toBe(slot < 0 ? undefined : slot);
        if (found !== undefined) matched++;
        const ofType = index.goalsOf(unitType, 'unit');
        expect(index.lookupIn(ofType, name, indices, values, indices.length)).toBe(found);
      }
      expect(matched).toBeGreaterThan(50);
    }
  });

  it('is reused for frozen goals and dimensions, built anew for others', () => {
    const goals = Object.freeze(randomGoals(random(3), 5));
    const index = GoalSlotIndex.of(DIMENSIONS, goals);
    expect(GoalSlotIndex.of(DIMENSIONS, goals)).toBe(index);
    expect(GoalSlotIndex.of([...DIMENSIONS], goals)).not.toBe(index);
    const unfrozen = [...goals];
    expect(GoalSlotIndex.of(DIMENSIONS, unfrozen)).not.toBe(GoalSlotIndex.of(DIMENSIONS, unfrozen));
    expect(GoalSlotIndex.of(DIMENSIONS, unfrozen).goals).toEqual(index.goals);
  });

  it('looks up a goal that is not frozen afresh every time', () => {
    const click = completeDimensions(parseExpression('count(u.unit.click)') as GoalReference, DIMENSIONS);
    const view = completeDimensions(parseExpression('count(u.unit.view)') as GoalReference, DIMENSIONS);
    const index = new GoalSlotIndex(DIMENSIONS, [click, view]);
    const goal: { -readonly [K in keyof GoalReference]: GoalReference[K] } = {
      ...click,
      dimensions: [...click.dimensions],
    };
    expect(index.slotOf(goal)).toBe(0);
    goal.goal = 'view';
    expect(index.slotOf(goal)).toBe(1);
    goal.goal = 'other';
    expect(index.slotOf(goal)).toBeUndefined();
    expect(index.slotOf(click)).toBe(0);
    expect(index.slotOf(click)).toBe(0);
  });
});
