import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TempEngine } from '../../test-support/temp-engine';
import { idea } from '../learning/ideas';
import { applicableLessons, countTransfer, judgeTransfer, libraryView } from './learning';
import { describeVariant } from './result';
import { makeUnit } from './population';
import { evolutionSettings } from './settings';
import { engineWithHistory, namingModel, SMALL } from './test-support';
import { runEvolution } from './run';

const handles: TempEngine[] = [];
afterEach(() => handles.splice(0).forEach((h) => h.cleanup()));

const LESSON = {
  kind: 'output_rule',
  description: 'added an output rule: "Reply with only the name."',
  lines: ['Reply with only the name.'],
};

/** A data folder whose library holds one lesson learned from audio-actions v3 and some credit. */
function withLibrary(learning = true): TempEngine {
  const t = engineWithHistory(18, 6);
  handles.push(t);
  if (!learning) {
    fs.writeFileSync(path.join(t.dataDir, 'config.yaml'), 'prompt_evolution:\n  cross_skill_learning: false\n');
    t.reopen();
  }
  const lesson = idea('lesson', `audio-actions: ${LESSON.description}`);
  const at = '2026-03-01T00:00:00.000Z';
  const insert = t.engine.ctx.db.prepare(
    `INSERT INTO learning_library (id, kind, text, wins, losses, skill, version, change, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  insert.run(lesson.id, 'lesson', LESSON.description, 1, 0, 'audio-actions', 3, JSON.stringify(LESSON), at, at);
  const mp = idea('mutation_prompt', 'Rewrite the prompt so that it names the subject of the file first.');
  insert.run(mp.id, 'mutation_prompt', mp.text, 3, 0, null, null, null, at, at);
  return t;
}

const evolve = (t: TempEngine) => {
  const active = t.engine.prompts.active('file-naming');
  return runEvolution({
    ctx: t.engine.ctx,
    tasks: t.engine.tasks,
    skill: active.definition,
    active,
    model: namingModel(),
    settings: evolutionSettings(t.engine.ctx.config.config, SMALL),
  });
};

describe('cross-skill learning in a run', () => {
  it("transfers another skill's lesson, seeds a winning mutation prompt, and gives each variant its provenance", async () => {
    const t = withLibrary();
    const result = await evolve(t);
    expect(result.operators.transfer.attempts).toBeGreaterThan(0);
    const transferred = t.engine.ctx.db
      .prepare(`SELECT COUNT(*) AS n FROM evolution_units WHERE operator = 'transfer' AND status != 'rejected'`)
      .get() as { n: number };
    expect(transferred.n).toBeGreaterThan(0);
    for (const v of result.variants) {
      expect(v.provenance?.base).toBe(t.engine.prompts.active('file-naming').prompt);
      expect(v.provenance?.entries.some((e) => e.kind === 'operator')).toBe(true);
    }
    const spec = JSON.parse((t.engine.ctx.db.prepare(`SELECT settings FROM evolution_runs`).get() as { settings: string }).settings);
    expect(spec.library.entries.map((e: { kind: string }) => e.kind).sort()).toEqual(['lesson', 'mutation_prompt']);
  });

  it('replays: the same seed and library make the same variants', async () => {
    const [a, b] = await Promise.all([evolve(withLibrary()), evolve(withLibrary())]);
    expect(a.variants.map((v) => v.prompt)).toEqual(b.variants.map((v) => v.prompt));
    expect(a.variants.map((v) => v.provenance)).toEqual(b.variants.map((v) => v.provenance));
  });

  it('with cross_skill_learning off: no transfer, no provenance, no snapshot', async () => {
    const t = withLibrary(false);
    const result = await evolve(t);
    expect(result.operators.transfer.attempts).toBe(0);
    expect(result.variants.every((v) => v.provenance === undefined)).toBe(true);
    const spec = JSON.parse((t.engine.ctx.db.prepare(`SELECT settings FROM evolution_runs`).get() as { settings: string }).settings);
    expect(spec.library).toBeUndefined();
  });

  it("a transferred variant's reasoning says where its idea came from", () => {
    const parent = makeUnit({ id: 'current', prompt: 'Name it.\nFile: {{input}}', operator: 'current', generation: 0 });
    const unit = makeUnit({
      id: 'g1r0p0',
      prompt: 'Name it.\nReply with only the name.\nFile: {{input}}',
      operator: 'transfer',
      generation: 1,
      parent,
      learnedFrom: { skill: 'audio-actions', version: 3, change: LESSON.description },
    });
    const child = makeUnit({ id: 'g2r0p0', prompt: 'x {{input}}', operator: 'direct', generation: 2, parent: unit });
    expect(child.learnedFrom).toEqual(unit.learnedFrom);
    const reasoning = describeVariant({ unit, fitness: 0.5, finalSamples: 6, trainFitness: null, trainSamples: 0 }, 0.4, new Map());
    expect(reasoning).toMatch(
      /^learned from audio-actions v3 \(added an output rule: "Reply with only the name\."\); transfer of another skill's lesson of current/,
    );
  });

  it('drops a lesson after two transfers that gave nothing, and credits one whose children beat their parents', () => {
    const lesson = {
      ...idea('lesson', 'x'),
      wins: 1,
      losses: 0,
      skill: 'audio-actions',
      version: 3,
      change: { ...LESSON, kind: 'output_rule' as const },
    };
    const view = libraryView({ entries: [lesson] }, []);
    const state: Parameters<typeof applicableLessons>[1] = {};
    const birth = { op: 'transfer', plan: { ideas: [{ id: lesson.id, kind: 'lesson' }] } };
    countTransfer(state, birth, false);
    expect(applicableLessons(view, state)).toHaveLength(1);
    const child = makeUnit({ id: 'c', prompt: 'x {{input}}', operator: 'transfer', generation: 1, ideas: [lesson] });
    judgeTransfer(state, child, true);
    judgeTransfer(state, child, false);
    expect(applicableLessons(view, state)[0]).toMatchObject({ wins: 2, losses: 1 });
    countTransfer(state, birth, false);
    expect(applicableLessons(view, state)).toEqual([]);
  });
});
