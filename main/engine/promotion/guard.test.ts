import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import type { TinyArmsConfig } from '../config/schema';
import { readYaml } from '../config/yaml-source';
import { betaExceeds, DEFAULT_PROBABLE_PROMOTION_CONFIDENCE, DEFAULT_PROMOTION_CONFIDENCE, promotionGuard } from './guard';

const base = { minServed: 5, minImprovement: 0.05, confidence: 0.95 };

describe('betaExceeds', () => {
  it('matches closed forms', () => {
    // X ~ Beta(2, 1), Y uniform: P(X > Y) = ∫ 2x · x dx = 2/3.
    expect(betaExceeds(2, 1, 1, 1)).toBeCloseTo(2 / 3, 9);
    expect(betaExceeds(7, 4, 7, 4)).toBeCloseTo(0.5, 9);
    expect(betaExceeds(4, 7, 7, 4) + betaExceeds(7, 4, 4, 7)).toBeCloseTo(1, 9);
  });
});

describe('promotionGuard', () => {
  it('defaults to the promotion_confidence of defaults.yaml', () => {
    const file = new URL('../config/defaults.yaml', import.meta.url);
    const defaults = readYaml(fs.readFileSync(file, 'utf8'), 'defaults.yaml').value as TinyArmsConfig;
    expect(defaults.prompt_evolution.learning.promotion_confidence).toBe(DEFAULT_PROMOTION_CONFIDENCE);
    expect(defaults.prompt_evolution.learning.probable_promotion_confidence).toBe(DEFAULT_PROBABLE_PROMOTION_CONFIDENCE);
  });

  it('keeps the checks before issue 14 when promotion_confidence is 0', () => {
    const off = { ...base, confidence: 0 };
    expect(promotionGuard({ ...off, served: 4, accepted: 4, baseAccuracy: 0.5 })).toMatchObject({ ok: false, why: 'few_served' });
    expect(promotionGuard({ ...off, served: 5, accepted: 4, baseAccuracy: 0.78 })).toMatchObject({ ok: false, why: 'small_gain' });
    expect(promotionGuard({ ...off, served: 5, accepted: 4, baseAccuracy: 0.6 })).toMatchObject({ ok: true });
    expect(promotionGuard({ ...base, served: 5, accepted: 4, baseAccuracy: null })).toMatchObject({ ok: false, why: 'no_base' });
  });

  it("asks how sure it is that the winner is better, with the old prompt's own sample size", () => {
    // 4 of 5 against 60% of 30 tasks: P(Beta(5, 2) > Beta(19, 13)) = 0.78, not enough.
    const few = promotionGuard({ ...base, served: 5, accepted: 4, baseAccuracy: 0.6, baseSamples: 30 });
    expect(few).toMatchObject({ ok: false, why: 'not_confident' });
    expect(few.pBetter).toBeCloseTo(betaExceeds(5, 2, 19, 13), 12);
    expect(few.pBetter!).toBeGreaterThan(0.7);
    expect(few.pBetter!).toBeLessThan(0.85);
    // 28 of 30 against the same old prompt: clearly better.
    expect(promotionGuard({ ...base, served: 30, accepted: 28, baseAccuracy: 0.6, baseSamples: 30 })).toMatchObject({ ok: true });
    // An exact old accuracy (sample size unknown) is a one-sample check: P(Beta(29, 3) > 0.6).
    const exact = promotionGuard({ ...base, served: 30, accepted: 28, baseAccuracy: 0.6, baseSamples: null });
    expect(exact.ok).toBe(true);
    expect(exact.pBetter!).toBeGreaterThan(0.999);
  });
});
