import type { EngineContext } from '../context';
import type { TaskLog } from '../feedback/task-log';
import { UserError } from '../util/errors';
import { processAlive } from '../util/fs';
import { createRng, randomInt } from '../util/random';
import type { Checkpoint, RunRow, RunSpec, RunStore } from './checkpoint';
import { collectExamples, MIN_EXAMPLES, splitExamples, taskToExample } from './examples';
import type { TextModel } from '../llm/types';
import type { OutputKind } from '../skills/skill-file';
import type { EvolutionData } from './data';
import type { FitnessCache } from './fitness-cache';
import { projectRun, type EvolutionPlan, type ProjectionCheck, type RunHistory } from './plan';
import { calibrated, probeSpeed } from './speed';
import { SPENDING_POLICIES } from './settings';
import type { Example, EvolutionSettings, OperatorName, OperatorStats, RunCounters } from './types';

export interface RunSetup {
  /** The unfinished run being continued, or null for a new run. */
  resumable: RunRow | null;
  spec: RunSpec;
  train: Example[];
  holdout: Example[];
  /** The resumed run's last checkpoint (null: it had not finished its initial population). */
  checkpoint: Checkpoint | null;
  /** Lines for the plan: why examples were topped up, what a resumed run keeps. */
  notes: string[];
}

interface SetupOptions {
  tasks: Pick<TaskLog, 'withFeedback' | 'get'>;
  skill: { name: string };
  active: { hash: string };
  model: { id: string };
  settings: EvolutionSettings;
  resume?: boolean;
  resumeGenerations?: number;
  /** Gold examples: a pinned task is evaluated as gold, not also as a history example. */
  gold?: { examples: readonly { id: string; source: 'shipped' | 'pinned' }[]; share: number };
}

/**
 * Which run this is: the newest unfinished run of the same skill, base prompt and model file (with its own
 * settings, examples and checkpoint), or a new one with a drawn seed and a fresh train / held-out split.
 */
export function resolveRunSetup(o: SetupOptions, store: RunStore): RunSetup {
  const skill = o.skill.name;
  const goldIds = new Set((o.gold?.examples ?? []).map((g) => g.id));
  const notGold = (e: Example) => !goldIds.has(e.id);
  const resumable = o.resume === false ? null : store.findResumable(skill, o.active.hash, o.model.id);
  if (resumable) {
    if (resumable.status === 'running' && resumable.pid && resumable.pid !== process.pid && processAlive(resumable.pid)) {
      throw new UserError(`an evolution of ${skill} is already running (run ${resumable.id}, process ${resumable.pid})`, {
        code: 'evolution_running',
      });
    }
    const notes: string[] = [];
    const stored = store.spec(resumable);
    // A run started before racing and halving existed continues with them.
    let spec: RunSpec = { ...stored, settings: { ...SPENDING_POLICIES, ...stored.settings } };
    const target = o.resumeGenerations;
    if (target !== undefined && target !== spec.settings.generations) {
      notes.push(`generations changed from ${spec.settings.generations} to ${target}`);
      spec = { ...spec, settings: { ...spec.settings, generations: target } };
    }
    const load = (ids: string[]) =>
      ids
        .map((id) => o.tasks.get(id))
        .map((t) => (t ? taskToExample(t) : null))
        .filter((e): e is Example => e !== null);
    const gold = goldNote(o.gold);
    if (gold) notes.push(gold);
    notes.push(`continuing with the run's own settings (seed ${spec.settings.seed}); pass --fresh to start over`);
    const [train, holdout] = [load(spec.trainIds).filter(notGold), load(spec.holdoutIds).filter(notGold)];
    return { resumable, spec, train, holdout, checkpoint: store.checkpoint(resumable), notes };
  }
  const seed = o.settings.seed ?? randomInt(createRng(`${Date.now()}|${process.pid}|${Math.random()}`), 2 ** 31);
  const settings = { ...o.settings, seed };
  const collected = collectExamples(o.tasks, skill, settings.evaluationSamples, settings.finalEvaluationSamples);
  if (collected.examples.length < MIN_EXAMPLES) {
    throw new UserError(
      `evolving ${skill} needs at least ${MIN_EXAMPLES} tasks with feedback and a known expected output ` +
        `(has ${collected.examples.length}); record feedback first`,
      { code: 'too_few_examples' },
    );
  }
  const history = collected.examples.filter(notGold);
  const split = splitExamples(history, settings.evaluationSamples, settings.finalEvaluationSamples, createRng(`${seed}|split`));
  const note = [collected.note, split.note].filter(Boolean).join('; ') || null;
  const gold = goldNote(o.gold);
  const spec: RunSpec = { settings, trainIds: split.train.map((e) => e.id), holdoutIds: split.holdout.map((e) => e.id), exampleNote: note };
  const notes = [note, gold].filter((n): n is string => !!n);
  return { resumable: null, spec, train: split.train, holdout: split.holdout, checkpoint: null, notes };
}

function goldNote(gold: SetupOptions['gold']): string | null {
  if (!gold || gold.examples.length === 0 || gold.share <= 0) return null;
  const pinned = gold.examples.filter((g) => g.source === 'pinned').length;
  return `${gold.examples.length} gold examples (${pinned} pinned) take ${Math.round(gold.share * 100)}% of every evaluation set`;
}

/** What the last finished runs on this model measured: the projection's calibration, this skill's share of tournament calls paid. */
export function projectionHistory(db: EngineContext['db'], modelId: string, skill: string): RunHistory {
  const rows = db
    .prepare(
      `SELECT skill, result FROM evolution_runs WHERE model_id = ? AND status = 'done' AND result IS NOT NULL
       ORDER BY finished_at DESC, rowid DESC LIMIT 20`,
    )
    .all(modelId) as { skill: string; result: string }[];
  const parsed = rows.map((row) => ({
    skill: row.skill,
    result: JSON.parse(row.result) as { projection?: ProjectionCheck; spend?: { tournamentShare?: number | null } },
  }));
  const latest = <T>(value: (r: (typeof parsed)[number]) => T | null | undefined): T | null => {
    for (const r of parsed) {
      const v = value(r);
      if (v !== null && v !== undefined) return v;
    }
    return null;
  };
  const positive = (x: number | null | undefined) => (x !== null && x !== undefined && x > 0 ? x : null);
  return {
    calibration: latest((r) => positive(r.result.projection?.calibration)),
    cpuCalibration: latest((r) => positive(r.result.projection?.cpu?.cpuCalibration)),
    efficiency: latest((r) => positive(r.result.projection?.cpu?.efficiency)),
    tournamentShare: latest((r) => (r.skill === skill ? positive(r.result.spend?.tournamentShare) : null)),
  };
}

/** Operator attempts and accepted mutants summed over the finished runs on this model file (what the operator policy learns from). */
export function operatorHistory(
  db: EngineContext['db'],
  modelId: string,
  exceptRunId: string | null,
): Partial<Record<OperatorName, Pick<OperatorStats, 'attempts' | 'accepted'>>> {
  const rows = db
    .prepare(`SELECT result FROM evolution_runs WHERE model_id = ? AND status = 'done' AND result IS NOT NULL AND id IS NOT ?`)
    .all(modelId, exceptRunId) as { result: string }[];
  const totals: Partial<Record<OperatorName, Pick<OperatorStats, 'attempts' | 'accepted'>>> = {};
  for (const row of rows) {
    const operators = (JSON.parse(row.result) as { operators?: Partial<Record<OperatorName, OperatorStats>> }).operators ?? {};
    for (const [op, stats] of Object.entries(operators) as [OperatorName, OperatorStats][]) {
      const total = (totals[op] ??= { attempts: 0, accepted: 0 });
      total.attempts += stats.attempts;
      total.accepted += stats.accepted;
    }
  }
  return totals;
}

/**
 * The projection shown before the run: this machine's speed (a short probe, corrected by how far the last run's
 * projection was off), tokens counted with the model's tokenizer, calls expected from the policies and the last runs.
 */
export async function planRun(
  o: {
    ctx: Pick<EngineContext, 'db'>;
    skill: { name: string; output: OutputKind };
    active: { prompt: string };
    model: TextModel;
    signal?: AbortSignal;
  },
  setup: RunSetup,
  data: EvolutionData,
  finishedGenerations: number,
): Promise<EvolutionPlan> {
  const settings = setup.spec.settings;
  const history = projectionHistory(o.ctx.db, o.model.id, o.skill.name);
  const probe = await probeSpeed(o.model, settings.parallel, o.signal);
  return projectRun({
    skill: o.skill.name,
    kind: o.skill.output,
    settings,
    trainExamples: setup.train.length,
    finalExamples: setup.holdout.length || setup.train.length,
    prompt: o.active.prompt,
    inputs: [...setup.train, ...setup.holdout].map((e) => e.input),
    resumeFrom: setup.resumable ? finishedGenerations : null,
    runId: setup.resumable?.id ?? null,
    model: o.model,
    data,
    speed: probe && calibrated(probe, history),
    history,
    notes: setup.notes,
  });
}

/** What a resumed run already paid (evaluations in the fitness cache, mutation calls in its call log). */
export function restoredCounters(cache: FitnessCache, store: RunStore, runId: string): Partial<RunCounters> {
  const paid = cache.totalsForRun(runId);
  const calls = store.callTotals(runId);
  return {
    llmCalls: paid.calls + calls.calls,
    evaluationCalls: paid.calls,
    mutationCalls: calls.calls,
    promptTokens: paid.promptTokens + calls.promptTokens,
    generatedTokens: paid.generatedTokens + calls.generatedTokens,
  };
}
