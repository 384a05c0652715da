import { afterEach, describe, expect, it } from 'vitest';
import { tempEngine, type TempEngine } from '../../test-support/temp-engine';
import fs from 'node:fs';
import path from 'node:path';
import type { SessionRow } from '../ab/session-types';
import { Engine } from '../engine';
import { idea } from './ideas';
import { applyChange } from './structural-diff';
import type { VariantProvenance } from './types';

let t: TempEngine;
afterEach(() => t?.cleanup());

const SKILL = 'file-naming';
const MP_GOOD = idea('mutation_prompt', 'Add one rule about the output format.');
const MP_BAD = idea('mutation_prompt', 'Make the prompt longer.');
const OP = idea('operator', 'direct');

function startSession(engine: Engine): Promise<SessionRow> {
  const base = engine.prompts.active(SKILL).prompt;
  const rule = applyChange(base, { kind: 'output_rule', description: '', lines: ['Reply with only the name, nothing else.'] });
  const provenance = (entries: VariantProvenance['entries']): VariantProvenance => ({ base, entries, learnedFrom: null });
  return engine.evolve(SKILL, {
    variants: [
      { prompt: rule, source: 'smollm2', provenance: provenance([MP_GOOD, OP]) },
      {
        prompt: `${base}\nAnd more words.`.replace('{{input}}\nAnd more words.', 'And more words.\n{{input}}'),
        source: 'smollm2',
        provenance: provenance([MP_BAD, OP]),
      },
    ],
  });
}

const credit = (engine: Engine) => Object.fromEntries(engine.learning.entries().map((e) => [e.id, [e.wins, e.losses]]));

describe('the shared library (real SQLite)', () => {
  it("credits the promoted variant's entries, debits the loser's, and learns the promoted change as a lesson for other skills", async () => {
    t = tempEngine();
    await startSession(t.engine);
    t.engine.promoteByHand(SKILL, 'A');
    expect(credit(t.engine)).toMatchObject({ [MP_GOOD.id]: [1, 0], [MP_BAD.id]: [0, 1], [OP.id]: [1, 1] });
    const lessons = t.engine.learning.entries().filter((e) => e.kind === 'lesson');
    expect(lessons).toEqual([
      expect.objectContaining({ skill: SKILL, version: 2, text: 'added an output rule: "Reply with only the name, nothing else."' }),
    ]);
    expect(t.engine.learning.snapshot(SKILL).entries.some((e) => e.kind === 'lesson')).toBe(false);
    expect(t.engine.learning.snapshot('audio-actions').entries.filter((e) => e.kind === 'lesson')).toHaveLength(1);
  });

  it('counts each session once, whichever process syncs and however often', async () => {
    t = tempEngine();
    await startSession(t.engine);
    t.engine.promoteByHand(SKILL, 'A');
    const other = Engine.open({ dataDir: t.dataDir, clock: t.clock, seed: 'other' });
    try {
      expect(other.learning.sync()).toEqual({ wins: 0, losses: 0, lessons: 0 });
      t.engine.learning.sync();
    } finally {
      other.close();
    }
    expect(credit(t.engine)[OP.id]).toEqual([1, 1]);
  });

  it('leaves a winner that waits for the person uncredited, and turns a loss into a win when the person promotes it later', async () => {
    t = tempEngine();
    const waiting = await startSession(t.engine);
    const [a, b] = t.engine.sessions.variants(waiting.id);
    t.engine.sessions.complete(waiting.id, { decision: 'winner', reason: 'test', winnerVariantId: a.id, outcome: 'awaiting_manual' });
    t.engine.creditLearning();
    expect(credit(t.engine)).toEqual({ [MP_BAD.id]: [0, 1], [OP.id]: [0, 1] });
    t.engine.promoteByHand(SKILL, 'A', { sessionId: waiting.id });
    expect(credit(t.engine)).toMatchObject({ [MP_GOOD.id]: [1, 0], [OP.id]: [1, 1] });

    const kept = await startSession(t.engine);
    t.engine.sessions.complete(kept.id, { decision: 'no_winner', reason: 'test', winnerVariantId: null, outcome: 'kept' });
    t.engine.creditLearning();
    expect(credit(t.engine)[MP_BAD.id]).toEqual([0, 2]);
    t.engine.promoteByHand(SKILL, 'B', { sessionId: kept.id });
    expect(credit(t.engine)[MP_BAD.id]).toEqual([1, 1]);
    expect(b.provenance).toBeTruthy();
  });

  it('records nothing when cross_skill_learning is off', async () => {
    t = tempEngine();
    fs.writeFileSync(path.join(t.dataDir, 'config.yaml'), 'prompt_evolution:\n  cross_skill_learning: false\n');
    t.reopen();
    await startSession(t.engine);
    t.engine.promoteByHand(SKILL, 'A');
    expect(t.engine.learning.entries()).toEqual([]);
  });
});
