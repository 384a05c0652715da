import { afterEach, describe, expect, it } from 'vitest';
import type { GenerateRequest, GenerateResult, TextModel } from '../llm/types';
import { getScorer } from '../skills/scorers';
import { createRng } from '../util/random';
import { eventually } from '../../test-support/eventually';
import { tempEngine, type TempEngine } from '../../test-support/temp-engine';
import { Budget, BudgetExhausted } from './budget';
import { FitnessCache } from './fitness-cache';
import { FitnessEvaluator } from './fitness';
import { makeUnit } from './population';
import { DEFAULT_RACING } from './racing';
import { emptyCounters } from './run-context';
import { playRound, type Match } from './tournament';
import type { Example, Unit } from './types';

/*
 * A round's matches race each on its own over the evaluator's shared lanes: a slow match holds nobody else up,
 * the verdicts are those of matches played one at a time, and together they never pass the budget.
 */

const examples: Example[] = Array.from({ length: 10 }, (_, i) => ({
  id: `e${i}`,
  input: `photo number ${i}`,
  expected: `name-${i}`,
  output: '',
  outcome: 'edited',
}));

/** A prompt "knows" the examples its rule lists: it answers them right and the others wrong. */
const RULES: Record<string, (i: number) => boolean> = {
  ALL: () => true,
  NONE: () => false,
  EVEN: (i) => i % 2 === 0,
  ODD: (i) => i % 2 === 1,
};

/** Answers by those rules; requests of prompts containing SLOW wait until `release()`. Keeps the calls in flight. */
class RuleModel implements TextModel {
  readonly id = 'rule-model';
  inFlight = 0;
  maxInFlight = 0;
  readonly answered: string[] = [];
  private held: (() => void)[] = [];
  private hold = true;

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.hold && request.prompt.includes('SLOW')) await new Promise<void>((resolve) => this.held.push(resolve));
      else await new Promise((resolve) => setImmediate(resolve));
      const rule = Object.keys(RULES).find((name) => request.prompt.includes(`rule ${name}`)) ?? 'NONE';
      const i = Number(/photo number (\d+)/.exec(request.prompt)?.[1]);
      this.answered.push(request.prompt);
      const text = RULES[rule](i) ? `name-${i}` : 'something-else';
      return { text, promptTokens: 10, generatedTokens: 2, stopReason: 'eos', ms: 0 };
    } finally {
      this.inFlight--;
    }
  }

  generateBatch(requests: readonly GenerateRequest[]): Promise<GenerateResult[]> {
    return Promise.all(requests.map((r) => this.generate(r)));
  }

  release(): void {
    this.hold = false;
    for (const resume of this.held.splice(0)) resume();
  }
}

const unit = (id: string, rule: string, slow = false): Unit =>
  makeUnit({ id, prompt: `Name the file (rule ${rule}${slow ? ' SLOW' : ''}): {{input}}`, operator: 'current', generation: 0 });

let t: TempEngine | undefined;
afterEach(() => t?.cleanup());

function evaluatorFor(model: TextModel, budget = new Budget(1000, 0), parallel = 2): FitnessEvaluator {
  t?.cleanup();
  t = tempEngine();
  return new FitnessEvaluator({
    model,
    kind: 'filename',
    scorer: getScorer('filename'),
    cache: new FitnessCache(t.engine.ctx.db),
    runId: null,
    budget,
    counters: emptyCounters(),
    parallel,
    maxTokens: null,
    now: () => '2026-11-30T00:00:00.000Z',
  });
}

const members = [unit('slow-all', 'ALL', true), unit('none', 'NONE'), unit('even', 'EVEN'), unit('odd', 'ODD')];
const matches: Match[] = [
  { a: 0, b: 1, examples },
  { a: 2, b: 3, examples },
];
const estimate = () => 0;

describe('playRound', () => {
  it('lets a close match race to its end while another match waits for a slow evaluation', async () => {
    const model = new RuleModel();
    const round = playRound(evaluatorFor(model), members, matches, DEFAULT_RACING, estimate, createRng('t'));
    // even against odd never looks settled before the end: all 10 examples, in several steps, for both units.
    await eventually(() => model.answered.filter((p) => /rule (EVEN|ODD)/.test(p)).length === 20, 5_000, 'the close match to finish');
    expect(model.answered.some((p) => p.includes('SLOW'))).toBe(false);
    model.release();
    const outcomes = await round;
    expect(outcomes.map((o) => o.scored)).toEqual([3, 10]);
    expect(model.maxInFlight).toBeLessThanOrEqual(2);
  });

  it('reaches the verdicts of the same matches raced one at a time', async () => {
    const together = new RuleModel();
    together.release();
    const all = await playRound(evaluatorFor(together), members, matches, DEFAULT_RACING, estimate, createRng('t'));
    const alone = [];
    for (const match of matches) {
      const model = new RuleModel();
      model.release();
      alone.push(...(await playRound(evaluatorFor(model), members, [match], DEFAULT_RACING, estimate, createRng('t'))));
    }
    expect(all.map(({ winner, loser, scored, verdict }) => ({ winner, loser, scored, verdict }))).toEqual(
      alone.map(({ winner, loser, scored, verdict }) => ({ winner, loser, scored, verdict })),
    );
  });

  it('never passes the budget with matches racing at once, and ends the round with BudgetExhausted', async () => {
    const model = new RuleModel();
    model.release();
    const budget = new Budget(9, 0);
    await expect(playRound(evaluatorFor(model, budget), members, matches, DEFAULT_RACING, estimate, createRng('t'))).rejects.toThrow(
      BudgetExhausted,
    );
    expect(model.answered.length).toBeLessThanOrEqual(9);
    expect(budget.used).toBe(model.answered.length);
  });
});

describe('FitnessEvaluator', () => {
  it('runs a pair asked for by two callers at once only once', async () => {
    const model = new RuleModel();
    model.release();
    const evaluator = evaluatorFor(model);
    const pair = { unit: members[2], example: examples[0] };
    const [first, second] = await Promise.all([evaluator.score([pair]), evaluator.score([pair])]);
    expect(model.answered).toHaveLength(1);
    expect([...first.values()]).toEqual([1]);
    expect([...second.values()]).toEqual([1]);
  });
});
