import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine';
import { resetLlamaForTests } from '../engine/llm/llama-instance';
import { requireFixtureModel } from '../engine/llm/test-fixture';
import { runDemo } from './demo';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
afterAll(() => resetLlamaForTests());

describe('tinyarms demo', () => {
  it('walks feedback → trigger → A/B votes → promotion → rollback in a fresh folder', async () => {
    const lines: string[] = [];
    const summary = await runDemo({ seed: 42, log: (l) => lines.push(l) });
    dirs.push(summary.dataDir);
    expect(summary).toMatchObject({ promotedVersion: 2, rolledBackTo: 1 });
    expect(['winner', 'probable_winner']).toContain(summary.decision);
    expect(fs.existsSync(path.join(summary.dataDir, 'skills', 'file-naming-v2.md'))).toBe(true);
    const text = lines.join('\n');
    expect(text).toMatch(/monitor: triggered/);
    expect(text).toMatch(/Variant C promoted|you compare it with the current prompt and use it/);
    expect(text).toMatch(/rolled back to version 1/);
    // The story ends today, so `prompt stats` on the folder has tasks in its window.
    const today = new Date().toISOString().slice(0, 10);
    expect(text).toMatch(new RegExp(`7\\. Back on version 1 until today[^\\n]*\\n  ${today}  monitor: `));
    const engine = Engine.open({ dataDir: summary.dataDir });
    try {
      const stats = engine.stats('file-naming');
      expect(stats.accuracy.samples).toBeGreaterThan(0);
      const newest = engine.ctx.db.prepare('SELECT MAX(created_at) AS at FROM task_history').get() as { at: string };
      expect(newest.at <= new Date().toISOString()).toBe(true);
    } finally {
      engine.close();
    }
  });

  it('refuses a data folder that is not empty, so real data is never touched', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-real-'));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'config.yaml'), '# mine\n');
    await expect(runDemo({ dataDir: dir, log: () => {} })).rejects.toThrow(/needs an empty data folder/);
    expect(fs.readFileSync(path.join(dir, 'config.yaml'), 'utf8')).toBe('# mine\n');
  });

  it('--model runs a real (small) PromptBreeder evolution and A/B tests its variants', async () => {
    const lines: string[] = [];
    const summary = await runDemo({ seed: 42, modelPath: requireFixtureModel(), log: (l) => lines.push(l) });
    dirs.push(summary.dataDir);
    const text = lines.join('\n');
    expect(text).toMatch(/PromptBreeder runs on stories260K\.gguf/);
    expect(text).toMatch(/Projected model calls/);
    expect(text).toMatch(/\d+ model calls \(\d+ evaluations, \d+ mutations\), \d+ cache hits, \d+ mutants rejected/);
    expect(summary.evolution).toMatchObject({ runId: expect.stringMatching(/^evo_/) });
    expect(summary.evolution!.llmCalls).toBeGreaterThan(0);
    const engine = Engine.open({ dataDir: summary.dataDir });
    try {
      const arms = engine.sessions.variants(summary.sessionId);
      expect(arms.length).toBeGreaterThanOrEqual(2);
      expect(arms.some((a) => a.source === 'smollm2' && a.fitness !== null && /held-out/.test(a.reasoning ?? ''))).toBe(true);
    } finally {
      engine.close();
    }
  });
});
