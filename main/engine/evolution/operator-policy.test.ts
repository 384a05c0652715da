import { describe, expect, it } from 'vitest';
import { DEFAULT_OPERATOR_POLICY, mutationCap, OPEN_POLICY, retiredOperators } from './operator-policy';
import { emptyOperatorStats } from './population';

describe('operator policy', () => {
  it('retires an operator that made retireAfter attempts without one valid mutant, counting earlier runs on the model', () => {
    const stats = emptyOperatorStats();
    stats.zero_order = { ...stats.zero_order, attempts: 6, accepted: 0 };
    stats.direct = { ...stats.direct, attempts: 9, accepted: 1 };
    stats.crossover = { ...stats.crossover, attempts: 2, accepted: 0 };
    stats.few_shot = { ...stats.few_shot, attempts: 50, accepted: 0 };
    expect([...retiredOperators(stats, {}, DEFAULT_OPERATOR_POLICY)]).toEqual(['zero_order']);
    expect([...retiredOperators(stats, { crossover: { attempts: 4, accepted: 0 } }, DEFAULT_OPERATOR_POLICY)].sort()).toEqual([
      'crossover',
      'zero_order',
    ]);
    expect(retiredOperators(stats, {}, OPEN_POLICY).size).toBe(0);
  });

  it("caps a rewrite by its parent's length and a new mutation prompt by its own cap, never above max_tokens", () => {
    expect(mutationCap(DEFAULT_OPERATOR_POLICY, 160, 20)).toBe(88);
    expect(mutationCap(DEFAULT_OPERATOR_POLICY, 160, 200)).toBe(160);
    expect(mutationCap(DEFAULT_OPERATOR_POLICY, 160, 200, true)).toBe(96);
    expect(mutationCap(OPEN_POLICY, 160, 20)).toBe(160);
  });
});
