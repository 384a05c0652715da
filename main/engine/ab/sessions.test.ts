import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { recordFeedback, tempEngine, VARIANTS, type TempEngine } from '../../test-support/temp-engine';
import { DAY_MS } from '../util/clock';

let t: TempEngine;
afterEach(() => t?.cleanup());

const outputs = { A: 'a-name.png', B: 'b-name.png', C: 'c-name.png' };

async function startSession(engine = t.engine) {
  return engine.evolve('file-naming', { variants: VARIANTS.map((prompt) => ({ prompt, source: 'file' as const })) });
}

/** Votes `letter` on a fresh round; returns the engine's vote result. */
function voteFor(sessionId: string, letter: 'A' | 'B' | 'C' | 'none' | 'skip', id: string) {
  const round = t.engine.sessions.openRound(sessionId, { taskId: id, input: `${id}.png`, outputs });
  if (letter === 'none' || letter === 'skip') return t.engine.vote(id, letter);
  const label = round.options.find((o) => o.output === outputs[letter])!.label;
  return t.engine.vote(id, label);
}

describe('A/B sessions', () => {
  it('shows every arm in a shuffled order behind blind labels', async () => {
    t = tempEngine();
    const session = await startSession();
    const orders = new Set<string>();
    for (let i = 0; i < 12; i += 1) {
      const round = t.engine.sessions.openRound(session.id, { taskId: `t${i}`, input: 'x.png', outputs });
      expect(round.options.map((o) => o.label)).toEqual(['1', '2', '3']);
      expect(JSON.stringify(round)).not.toMatch(/var_/);
      orders.add(round.options.map((o) => o.output).join());
    }
    expect(orders.size).toBeGreaterThan(1);
  });

  it('counts picks and none, ignores skips, and is idempotent per task id', async () => {
    t = tempEngine();
    const session = await startSession();
    voteFor(session.id, 'A', 't1');
    voteFor(session.id, 'none', 't2');
    voteFor(session.id, 'skip', 't3');
    const again = t.engine.vote('t1', t.engine.sessions.round('t1').picked!);
    expect(again.duplicate).toBe(true);
    const r = t.engine.sessions.results(session.id);
    expect([r.votes, r.none, r.skips, r.arms[0].votes]).toEqual([2, 1, 1, 1]);
    expect(() => t.engine.vote('t1', 'none')).toThrow(/already answered \(picked option/);
    expect(() => t.engine.vote('t1', '7')).toThrow(/already answered \(picked option/);
  });

  it('refuses votes on unknown rounds, unknown labels and finished sessions with clear errors', async () => {
    t = tempEngine();
    const session = await startSession();
    expect(() => t.engine.vote('nope', '1')).toThrow(/no vote round for task 'nope'/);
    t.engine.sessions.openRound(session.id, { taskId: 't1', input: 'x.png', outputs });
    expect(() => t.engine.vote('t1', '7')).toThrow(/unknown option '7'.*choose 1, 2, 3, none or skip/);
    t.engine.sessions.cancel(session.id);
    expect(() => t.engine.vote('t1', '1')).toThrow(/is cancelled; it takes no more votes/);
    expect(() => t.engine.sessions.results('ses_missing')).toThrow(/unknown A\/B session 'ses_missing'/);
    expect(() => t.engine.sessions.variant(session.id, 'Z')).toThrow(/unknown arm 'Z'.*arms: A, B, C/);
  });

  it('refuses a second active session, a prompt without {{input}}, and a skill that is not evolvable', async () => {
    t = tempEngine();
    await startSession();
    await expect(startSession()).rejects.toThrow(/already has an A\/B test running/);
    await expect(t.engine.evolve('audio-actions', { variants: [{ prompt: 'no slot' }, { prompt: 'x {{input}}' }] })).rejects.toThrow(
      /no \{\{input\}\} placeholder/,
    );
    await expect(t.engine.evolve('code-linting-fast', { variants: VARIANTS.map((prompt) => ({ prompt })) })).rejects.toThrow(
      /not evolvable/,
    );
  });

  it('serves non-vote tasks by Thompson sampling, favouring the arm users keep', async () => {
    t = tempEngine();
    const session = await startSession();
    const variants = t.engine.sessions.variants(session.id);
    // Arm C has been kept 9 of 10 times, A and B 2 of 10.
    for (const [i, v] of variants.entries()) {
      for (let k = 0; k < 10; k += 1) {
        const id = `s${i}-${k}`;
        t.engine.recordTask(
          { skill: 'file-naming', id, input: 'x.png', output: 'y.png', variant: v.variant_letter },
          { outcome: k < (i === 2 ? 9 : 2) ? 'accepted' : 'rejected' },
        );
      }
    }
    const served = { A: 0, B: 0, C: 0, vote: 0 } as Record<string, number>;
    for (let i = 0; i < 400; i += 1) {
      const allocation = t.engine.sessions.allocate('file-naming');
      served[allocation.kind === 'arm' ? allocation.variant.variant_letter : allocation.kind] += 1;
    }
    expect(served.vote).toBeGreaterThan(150);
    expect(served.vote).toBeLessThan(250);
    expect(served.C).toBeGreaterThan(served.A + served.B);
    expect(t.engine.sessions.results(session.id).arms.map((a) => a.accuracy)).toEqual([0.2, 0.2, 0.9]);
  });

  it('decides a clear winner at a look and promotes it when its accuracy beats the old prompt', async () => {
    t = tempEngine();
    recordFeedback(t, 30, 0.6);
    const session = await startSession();
    // C is kept on served tasks far more often than the old prompt's 60% (10 of 10 against 18 of 30: the guard is
    // 99% sure it is better).
    for (let k = 0; k < 10; k += 1) {
      t.engine.recordTask(
        { skill: 'file-naming', id: `served-${k}`, input: 'x.png', output: 'y.png', variant: 'C' },
        { outcome: 'accepted' },
      );
    }
    let conclusion = null;
    for (let i = 0; i < 15 && !conclusion; i += 1) conclusion = voteFor(session.id, 'C', `v${i}`).conclusion;
    expect(conclusion).not.toBeNull();
    expect(conclusion!.decision).toMatchObject({ kind: 'winner', arm: 2 });
    expect(conclusion!.outcome).toBe('promoted');
    expect(t.engine.prompts.active('file-naming')).toMatchObject({ version: 2, templatePath: 'skills/file-naming-v2.md' });
    expect(t.engine.sessions.require(session.id)).toMatchObject({ status: 'completed', outcome: 'promoted', decision: 'winner' });
  });

  it('keeps the winner waiting for the user when its accuracy does not beat the old prompt by the margin', async () => {
    t = tempEngine();
    recordFeedback(t, 30, 0.9);
    const session = await startSession();
    for (let k = 0; k < 6; k += 1) {
      t.engine.recordTask(
        { skill: 'file-naming', id: `served-${k}`, input: 'x.png', output: 'y.png', variant: 'C' },
        { outcome: k < 5 ? 'accepted' : 'rejected' },
      );
    }
    let conclusion = null;
    for (let i = 0; i < 15 && !conclusion; i += 1) conclusion = voteFor(session.id, 'C', `v${i}`).conclusion;
    expect(conclusion!.outcome).toBe('awaiting_manual');
    expect(conclusion!.explanation).toMatch(/needs \+5%/);
    expect(t.engine.prompts.active('file-naming').version).toBe(1);
    const { change } = t.engine.promoteByHand('file-naming', 'C');
    expect(change.toVersion).toBe(2);
  });

  it('records the vote even when its decision cannot be applied yet, and applies it once config.yaml is fixed', async () => {
    t = tempEngine();
    recordFeedback(t, 30, 0.6);
    const session = await startSession();
    for (let k = 0; k < 10; k += 1) {
      t.engine.recordTask(
        { skill: 'file-naming', id: `served-${k}`, input: 'x.png', output: 'y.png', variant: 'C' },
        { outcome: 'accepted' },
      );
    }
    const configFile = `${t.dataDir}/config.yaml`;
    fs.writeFileSync(configFile, 'prompt_evolution:\n  triggers:\n    sample_size: -1\n');
    t.engine.ctx.config.load();
    let last = voteFor(session.id, 'C', 'v0');
    for (let i = 1; i < 15 && !last.conclusionError; i += 1) last = voteFor(session.id, 'C', `v${i}`);
    expect(last.conclusion).toBeNull();
    expect(last.conclusionError).toMatch(/config\.yaml has errors/);
    expect(last.results.decision.kind).toBe('winner');
    expect(t.engine.sessions.require(session.id).status).toBe('active');
    fs.writeFileSync(configFile, '# fixed\n');
    t.engine.ctx.config.load();
    const run = await t.engine.runMonitor({ skill: 'file-naming' });
    expect(run.concluded[0]).toMatchObject({ outcome: 'promoted' });
  });

  it('drops an arm that has clearly lost: later rounds show two options and only those arms are served', async () => {
    t = tempEngine();
    const session = await startSession();
    for (let i = 0; i < 4; i += 1) {
      voteFor(session.id, 'A', `a${i}`);
      voteFor(session.id, 'C', `c${i}`);
    }
    // Dirichlet(5, 1, 5): B's P(best) is 0.0091, below drop_below (0.01); nobody has won yet.
    const before = t.engine.sessions.results(session.id);
    expect(before.arms[1].pBest).toBeCloseTo(0.0091, 4);
    expect(before.decision.kind).toBe('continue');
    const round = t.engine.sessions.openRound(session.id, { taskId: 'next', input: 'x.png', outputs: { A: 'a.png', C: 'c.png' } });
    expect(round.options.map((o) => o.label)).toEqual(['1', '2']);
    expect(round.options.map((o) => o.output).sort()).toEqual(['a.png', 'c.png']);
    const after = t.engine.sessions.results(session.id);
    expect(after.arms[1]).toMatchObject({ pBest: 0, expectedLoss: null, inTest: false });
    expect(after.arms[0].pBest + after.arms[2].pBest).toBeCloseTo(1, 9);
    for (const o of round.options) expect(o.pBest).toBe(after.arms[o.output === 'a.png' ? 0 : 2].pBest);
    for (let i = 0; i < 100; i += 1) {
      const allocation = t.engine.sessions.allocate('file-naming', { allowVote: false });
      expect(allocation.kind === 'arm' && allocation.variant.variant_letter).not.toBe('B');
    }
  });

  it('ends with no clear winner after 7 days and keeps the current prompt', async () => {
    t = tempEngine();
    const session = await startSession();
    voteFor(session.id, 'A', 'v1');
    voteFor(session.id, 'B', 'v2');
    t.clock.advance(7 * DAY_MS + 1);
    const run = await t.engine.runMonitor({ skill: 'file-naming' });
    expect(run.concluded[0]).toMatchObject({ outcome: 'kept', decision: { kind: 'no_clear_winner' } });
    expect(t.engine.prompts.active('file-naming').version).toBe(1);
  });
});
