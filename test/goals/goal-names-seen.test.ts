import { describe, expect, it } from 'vitest';
import { GoalNamesSeen } from '../../src/goals/goal-names-seen.js';

const goal = (unitType: string, aggType: string, name: string) => ({ unitType, aggType, goal: name });

/** Everything the names answer. */
function answers(names: GoalNamesSeen) {
  return {
    unitTypes: names.unitTypes(),
    goalsOf: names.goalsOf('u', 'unit'),
    allGoals: names.allGoals(),
    aggTypes: names.aggTypesOf('u', 'click'),
    unitTypesOf: names.unitTypesOf('unit', 'click'),
    has: [names.has('u', 'unit', 'click'), names.has('w', 'unit', 'view'), names.has('u', 'unit', 'none')],
  };
}

describe('GoalNamesSeen', () => {
  const goals = [
    goal('w', 'unit', 'view'),
    goal('u', 'unit', 'click'),
    goal('u', 'global', 'click'),
    goal('v', 'unit', 'click'),
  ];
  const seen = new Uint8Array([1, 1, 0, 1]);

  it('records the goals seen when read, as adding each in order would', () => {
    const eager = new GoalNamesSeen();
    eager.add('u', 'unit', 'buy');
    goals.forEach((g, index) => {
      if (seen[index] === 1) eager.addGoal(g);
    });
    const lazy = new GoalNamesSeen();
    lazy.add('u', 'unit', 'buy');
    lazy.addGoalsSeen(goals, seen);
    expect(answers(lazy)).toEqual(answers(eager));
    expect(answers(lazy)).toEqual({
      unitTypes: ['u', 'w', 'v'],
      goalsOf: ['buy', 'click'],
      allGoals: ['buy', 'click', 'view'],
      aggTypes: ['unit'],
      unitTypesOf: ['u', 'v'],
      has: [true, true, false],
    });
  });

  it('keeps the order of names added after the goals seen', () => {
    const eager = new GoalNamesSeen();
    goals.forEach((g, index) => {
      if (seen[index] === 1) eager.addGoal(g);
    });
    eager.add('x', 'unit', 'click');
    eager.addGoal(goal('u', 'global', 'click'));
    const lazy = new GoalNamesSeen();
    lazy.addGoalsSeen(goals, seen);
    lazy.add('x', 'unit', 'click');
    lazy.addGoalsSeen([goal('u', 'global', 'click')], new Uint8Array([1]));
    expect(answers(lazy)).toEqual(answers(eager));
    expect(lazy.unitTypes()).toEqual(['w', 'u', 'v', 'x']);
    expect(lazy.aggTypesOf('u', 'click')).toEqual(['unit', 'global']);
  });
});
