// Cross-skill learning on the graded stand-in (issue 15 §1): skill A (file-naming) evolves and its champion is promoted
// through the engine (an A/B session, a promotion by hand: the library is credited and A's structural changes become
// lessons); then skill B (photo-naming, sharing some features with A) evolves with learning on in the same data
// folder, and with learning off in a fresh one, at the same seed and budget. Measured per seed: the uncached calls B
// made before it first evaluated a prompt whose true fitness reaches the target, and B's champion's true fitness.
import fs from 'node:fs';
import { Engine } from '../main/engine/engine';
import { gradedModel, shippedPrompt, TRANSFER_TASKS, trueFitness, type GradedTask } from '../main/engine/evolution/graded-stand-in';
import { runEvolution, type EvolutionResult } from '../main/engine/evolution/run';
import { evolutionSettings } from '../main/engine/evolution/settings';
import type { EvolutionSettings } from '../main/engine/evolution/types';
import type { DeterministicTextModel } from '../main/engine/llm/deterministic-text-model';
import { promptHash } from '../main/engine/util/ids';
import { CASES, newDataDir, SKILL } from './evolve-sim';

export interface TransferOutcome {
  seed: number;
  /** Uncached calls of B's run up to its first evaluation of a prompt at or above each target (null: never). */
  callsToTarget: (number | null)[];
  calls: number;
  champion: number;
  current: number;
  lessons: number;
  transferred: number;
}

const [TASK_A, TASK_B] = TRANSFER_TASKS;

/** Calls made before the first evaluation of a prompt whose true fitness on the task is ≥ target. */
function firstHit(model: DeterministicTextModel, task: GradedTask, target: number): number | null {
  const memo = new Map<string, number>();
  for (const [i, request] of model.calls.entries()) {
    if (request.stop === 'prompt' || request.stop === 'bare') continue;
    const key = task.sentences
      .filter(([s]) => request.prompt.includes(s))
      .map(([s]) => s)
      .join('|');
    if (!memo.has(key)) memo.set(key, trueFitness(request.prompt, CASES, task));
    if (memo.get(key)! >= target) return i + 1;
  }
  return null;
}

async function evolveB(
  engine: Engine,
  settings: Partial<EvolutionSettings>,
  seed: number,
  targets: readonly number[],
): Promise<TransferOutcome> {
  const model = gradedModel(CASES, 'graded-photo-naming', TASK_B);
  const definition = { ...engine.ctx.skills.get(SKILL), name: TASK_B.name, description: 'Suggests a short kebab-case name for a photo.' };
  const prompt = shippedPrompt(TASK_B);
  const result: EvolutionResult = await runEvolution({
    ctx: engine.ctx,
    // B's examples are A's tasks (same files, same scorer): what differs is which instructions help.
    tasks: { withFeedback: (_skill, options) => engine.tasks.withFeedback(SKILL, options), get: (id) => engine.tasks.get(id) },
    skill: definition,
    active: { prompt, hash: promptHash(prompt), version: 1 },
    model,
    resume: false,
    settings: evolutionSettings(engine.ctx.config.config, { ...settings, seed }),
  });
  return {
    seed,
    callsToTarget: targets.map((target) => firstHit(model, TASK_B, target)),
    calls: result.counters.llmCalls,
    champion: trueFitness(result.variants[0].prompt, CASES, TASK_B),
    current: trueFitness(prompt, CASES, TASK_B),
    lessons: 0,
    transferred: result.operators.transfer.accepted,
  };
}

/** One seed: A then B with learning on (one data folder), B with learning off (another). */
export async function transferOnce(
  settings: Partial<EvolutionSettings>,
  seed: number,
  targets: readonly number[],
): Promise<{ on: TransferOutcome; off: TransferOutcome; a: number }> {
  const onDir = newDataDir();
  const offDir = newDataDir();
  const on = Engine.open({ dataDir: onDir, seed: 'bench' });
  const off = Engine.open({ dataDir: offDir, seed: 'bench' });
  try {
    const active = on.prompts.active(SKILL);
    const a = await runEvolution({
      ctx: on.ctx,
      tasks: on.tasks,
      skill: active.definition,
      active,
      model: gradedModel(CASES, 'graded-file-naming', TASK_A),
      resume: false,
      settings: evolutionSettings(on.ctx.config.config, { ...settings, seed, crossSkillLearning: true }),
    });
    // A's best variant wins its A/B test: promoted by hand here, which credits the library and records A's lessons.
    on.evolve(SKILL, { variants: a.variants });
    on.promoteByHand(SKILL, 'A');
    const lessons = on.learning.entries().filter((e) => e.kind === 'lesson').length;
    const withLearning = await evolveB(on, { ...settings, crossSkillLearning: true }, seed, targets);
    const without = await evolveB(off, { ...settings, crossSkillLearning: false }, seed, targets);
    return { on: { ...withLearning, lessons }, off: without, a: trueFitness(a.variants[0].prompt, CASES, TASK_A) };
  } finally {
    on.close();
    off.close();
    fs.rmSync(onDir, { recursive: true, force: true });
    fs.rmSync(offDir, { recursive: true, force: true });
  }
}

const pct = (x: number) => (100 * x).toFixed(1);

/** bench:evolve --transfer: learning on vs off over `seeds` seeds; calls to each target and the champions at equal settings. */
export async function transferBench(settings: Partial<EvolutionSettings>, seeds: number, targets: readonly number[]): Promise<string[][]> {
  const { mean, median, sampleStandardDeviation } = await import('simple-statistics');
  const runs: Awaited<ReturnType<typeof transferOnce>>[] = [];
  for (let seed = 1; seed <= seeds; seed++) runs.push(await transferOnce(settings, seed, targets));
  // A run that never reaches the target counts its whole spend (censored: the figure is a lower bound for it).
  const spent = (o: TransferOutcome, k: number) => o.callsToTarget[k] ?? o.calls;
  const rows = targets.map((target, k) => {
    const on = runs.map((r) => spent(r.on, k));
    const off = runs.map((r) => spent(r.off, k));
    const reached = (side: 'on' | 'off') => runs.filter((r) => r[side].callsToTarget[k] !== null).length;
    return [
      `calls to reach true fitness ${pct(target)}%`,
      `median ${median(on)}, mean ${mean(on).toFixed(0)} (${reached('on')}/${seeds} reached)`,
      `median ${median(off)}, mean ${mean(off).toFixed(0)} (${reached('off')}/${seeds} reached)`,
      `${(median(on) / median(off)).toFixed(2)}× median, ${(mean(on) / mean(off)).toFixed(2)}× mean`,
    ];
  });
  const diffs = runs.map((r) => r.on.champion - r.off.champion);
  const ci = (1.96 * sampleStandardDeviation(diffs)) / Math.sqrt(diffs.length);
  rows.push([
    'champion true fitness at equal settings',
    `${pct(mean(runs.map((r) => r.on.champion)))}%`,
    `${pct(mean(runs.map((r) => r.off.champion)))}%`,
    `${mean(diffs) >= 0 ? '+' : ''}${pct(mean(diffs))} ± ${pct(ci)} points (95% CI, paired)`,
  ]);
  rows.push(['uncached calls per run', mean(runs.map((r) => r.on.calls)).toFixed(0), mean(runs.map((r) => r.off.calls)).toFixed(0), '']);
  rows.push([
    'lessons from A / transfers accepted in B',
    `${mean(runs.map((r) => r.on.lessons)).toFixed(1)} / ${mean(runs.map((r) => r.on.transferred)).toFixed(1)}`,
    '—',
    `A's champion ${pct(mean(runs.map((r) => r.a)))}%, B's shipped prompt ${pct(runs[0].on.current)}%`,
  ]);
  return rows;
}
