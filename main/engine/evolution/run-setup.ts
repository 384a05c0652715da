import type { EngineContext } from '../context';
import type { TaskLog } from '../feedback/task-log';
import { UserError } from '../util/errors';
import { processAlive } from '../util/fs';
import { createRng, randomInt } from '../util/random';
import type { RunStore, Checkpoint, RunRow, RunSpec } from './checkpoint';
import { collectExamples, MIN_EXAMPLES, splitExamples, taskToExample } from './examples';
import type { Rates } from './plan';
import type { Example, EvolutionSettings } from './types';

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
}

/**
 * Which run this is: the newest unfinished run of the same skill, base prompt and model file (with its own
 * settings, examples and checkpoint), or a new one with a drawn seed and a fresh train / held-out split.
 */
export function resolveRunSetup(o: SetupOptions, store: RunStore): RunSetup {
  const skill = o.skill.name;
  const resumable = o.resume === false ? null : store.findResumable(skill, o.active.hash, o.model.id);
  if (resumable) {
    if (resumable.status === 'running' && resumable.pid && resumable.pid !== process.pid && processAlive(resumable.pid)) {
      throw new UserError(`an evolution of ${skill} is already running (run ${resumable.id}, process ${resumable.pid})`, { code: 'evolution_running' });
    }
    const notes: string[] = [];
    let spec = store.spec(resumable);
    const target = o.resumeGenerations;
    if (target !== undefined && target !== spec.settings.generations) {
      notes.push(`generations changed from ${spec.settings.generations} to ${target}`);
      spec = { ...spec, settings: { ...spec.settings, generations: target } };
    }
    const load = (ids: string[]) => ids.map((id) => o.tasks.get(id)).map((t) => (t ? taskToExample(t) : null)).filter((e): e is Example => e !== null);
    notes.push(`continuing with the run's own settings (seed ${spec.settings.seed}); pass --fresh to start over`);
    return { resumable, spec, train: load(spec.trainIds), holdout: load(spec.holdoutIds), checkpoint: store.checkpoint(resumable), notes };
  }
  const seed = o.settings.seed ?? randomInt(createRng(`${Date.now()}|${process.pid}|${Math.random()}`), 2 ** 31);
  const settings = { ...o.settings, seed };
  const collected = collectExamples(o.tasks, skill, settings.evaluationSamples, settings.finalEvaluationSamples);
  if (collected.examples.length < MIN_EXAMPLES) {
    throw new UserError(`evolving ${skill} needs at least ${MIN_EXAMPLES} tasks with feedback and a known expected output (has ${collected.examples.length}); record feedback first`, { code: 'too_few_examples' });
  }
  const split = splitExamples(collected.examples, settings.evaluationSamples, settings.finalEvaluationSamples, createRng(`${seed}|split`));
  const note = [collected.note, split.note].filter(Boolean).join('; ') || null;
  const spec: RunSpec = { settings, trainIds: split.train.map((e) => e.id), holdoutIds: split.holdout.map((e) => e.id), exampleNote: note };
  return { resumable: null, spec, train: split.train, holdout: split.holdout, checkpoint: null, notes: note ? [note] : [] };
}

/** Measured seconds per call on the last finished run with this model, for the next run's estimate. */
export function measuredRates(db: EngineContext['db'], modelId: string): Rates | null {
  const row = db.prepare(`SELECT result FROM evolution_runs WHERE model_id = ? AND status = 'done' AND result IS NOT NULL ORDER BY finished_at DESC LIMIT 1`).get(modelId) as { result: string } | undefined;
  const rates = row ? (JSON.parse(row.result) as { rates?: Rates }).rates : undefined;
  return rates && rates.secondsPerEvaluation > 0 && rates.secondsPerMutation > 0 ? rates : null;
}
