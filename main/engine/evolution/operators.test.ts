import { describe, expect, it } from 'vitest';
import { createRng } from '../util/random';
import { loadEvolutionData } from './data';
import {
  availableOperators,
  DEFAULT_OPERATOR_WEIGHTS,
  insertFewShot,
  normaliseWeights,
  pickOperator,
  planMutation,
  RAW_OPERATOR_WEIGHTS,
  type OperatorContext,
} from './operators';
import { makeUnit, tournamentRounds } from './population';
import { OPERATORS } from './types';

const PROMPT = 'Rename the file.\n\nFile: {{input}}';
const data = loadEvolutionData();

const ctx = (over: Partial<OperatorContext> = {}): OperatorContext => ({
  data,
  kind: 'filename',
  task: 'Suggests a file name.',
  slotLine: 'File: {{input}}',
  members: [
    makeUnit({ id: 'a', prompt: PROMPT, operator: 'current', generation: 0, mutationPromptId: 'mp0' }),
    makeUnit({ id: 'b', prompt: 'Other.\nFile: {{input}}', operator: 'zero_order', generation: 0 }),
  ],
  mutationPrompts: new Map([
    ['mp0', { id: 'mp0', text: data.mutationPrompts[0], origin: 'seed', parentId: null, generation: 0, uses: 0, improvements: 0 }],
  ]),
  pairs: [
    { input: 'IMG_1.jpg | bridge', expected: 'golden-gate-bridge.jpg' },
    { input: 'scan.pdf | invoice', expected: 'acme-invoice-2026-01.pdf' },
  ],
  mistakesOf: () => [{ input: 'IMG_9.jpg', output: 'image.jpg', expected: 'dog-beach.jpg' }],
  temperature: 0.8,
  maxTokens: 160,
  ...over,
});

describe('operators', () => {
  it('renormalises the design weights plus lamarckian and few-shot to sum 1, keeping the design ratios', () => {
    const sum = OPERATORS.reduce((s, op) => s + DEFAULT_OPERATOR_WEIGHTS[op], 0);
    expect(sum).toBeCloseTo(1, 12);
    expect(DEFAULT_OPERATOR_WEIGHTS.direct).toBeCloseTo(0.25);
    expect(DEFAULT_OPERATOR_WEIGHTS.direct / DEFAULT_OPERATOR_WEIGHTS.hypermutation).toBeCloseTo(
      RAW_OPERATOR_WEIGHTS.direct / RAW_OPERATOR_WEIGHTS.hypermutation,
    );
    expect(() =>
      normaliseWeights({
        ...RAW_OPERATOR_WEIGHTS,
        direct: 0,
        first_order: 0,
        crossover: 0,
        zero_order: 0,
        hypermutation: 0,
        lamarckian: 0,
        few_shot: 0,
      }),
    ).toThrow();
  });

  it('draws operators in proportion to their weights', () => {
    const rng = createRng(1);
    const counts: Record<string, number> = {};
    for (let i = 0; i < 20000; i++) {
      const op = pickOperator(rng, DEFAULT_OPERATOR_WEIGHTS, OPERATORS);
      counts[op] = (counts[op] ?? 0) + 1;
    }
    for (const op of OPERATORS) expect((counts[op] ?? 0) / 20000).toBeCloseTo(DEFAULT_OPERATOR_WEIGHTS[op], 1);
  });

  it('leaves out operators that cannot run', () => {
    expect(availableOperators({ members: [ctx().members[0]], pairs: [] })).toEqual([
      'direct',
      'first_order',
      'zero_order',
      'hypermutation',
    ]);
  });

  it('every model operator sends a template with a worked example, the slot line and the prompt rule (hypermutation: bare)', () => {
    for (const op of ['direct', 'first_order', 'crossover', 'zero_order', 'lamarckian', 'hypermutation'] as const) {
      const plan = planMutation(op, ctx().members[0], ctx(), createRng(op));
      expect(plan.kind).not.toBe('local');
      if (plan.kind === 'local') continue;
      expect(plan.request).toMatchObject({ stop: op === 'hypermutation' ? 'bare' : 'prompt', temperature: 0.8, maxTokens: 160 });
      expect(typeof plan.request.seed).toBe('number');
      expect(plan.request.prompt).toContain('Example\n');
      expect(plan.request.prompt).toMatch(/NEW PROMPT:$|IMPROVED INSTRUCTION:$/);
      if (op !== 'hypermutation') expect(plan.request.prompt).toContain('File: {{input}}');
    }
    const direct = planMutation('direct', ctx().members[0], ctx(), createRng(2));
    expect(direct.kind === 'llm' && direct.request.prompt).toContain('wanted: dog-beach.jpg');
  });

  it('few-shot insertion puts real examples before the input slot and replaces its earlier block', () => {
    const once = insertFewShot(PROMPT, 'filename', [{ input: 'IMG_1.jpg | bridge', expected: 'golden-gate-bridge.jpg' }]);
    expect(once).toBe('Rename the file.\n\nExamples of good answers:\n- IMG_1.jpg | bridge → golden-gate-bridge.jpg\n\nFile: {{input}}');
    const twice = insertFewShot(once, 'filename', [{ input: 'scan.pdf', expected: 'invoice.pdf' }]);
    expect(twice).toBe('Rename the file.\n\nExamples of good answers:\n- scan.pdf → invoice.pdf\n\nFile: {{input}}');
    const list = insertFewShot('Extract items.\n\nTranscript:\n{{input}}', 'list', [{ input: 'call mum', expected: '- Call mum' }]);
    expect(list).toBe('Extract items.\n\nExamples of good answers:\nInput: call mum\nAnswer:\n- Call mum\n\nTranscript:\n{{input}}');
  });

  it('tournament rounds pair distinct members; more tournaments than population/2 take more rounds', () => {
    const rounds = tournamentRounds(createRng(3), 7, 3);
    expect(rounds).toHaveLength(1);
    expect(new Set(rounds[0].flat()).size).toBe(6);
    const more = tournamentRounds(createRng(3), 6, 7);
    expect(more.map((r) => r.length)).toEqual([3, 3, 1]);
    expect(tournamentRounds(createRng(3), 1, 5)).toEqual([]);
  });

  it('ships about 20 mutation prompts and 15 thinking styles', () => {
    expect(data.mutationPrompts.length).toBeGreaterThanOrEqual(20);
    expect(data.thinkingStyles.length).toBeGreaterThanOrEqual(15);
    for (const kind of ['filename', 'list', 'text', 'lint'] as const) {
      for (const text of [data.kinds[kind].before, data.kinds[kind].after, data.kinds[kind].combined, data.kinds[kind].scratch])
        expect(text).toContain('{{input}}');
    }
  });
});
