import { ASSUMED_SECONDS_PER, type EvolutionPlan } from './plan';
import type { EvolutionProgress, EvolutionSettings } from './types';
import type { GenerateRequest, GenerateResult, TextModel } from '../llm/types';
import type { Database } from '../store/database';
import { isUserError } from '../util/errors';
import { processAlive } from '../util/fs';

/**
 * An evolution's progress as people see it: the run's own events, plus how far the whole run is (building the
 * first population counts from its first model call) and why a stopped run stopped.
 */
export interface LiveProgress extends EvolutionProgress {
  /** 0–1 of the whole run, weighted by the time each stage usually takes. */
  fraction: number;
  /** While the first population is built: prompts written so far, of those needed. Null otherwise. */
  building: { made: number; of: number } | null;
  /** A resumed run: the generation it picks up after, until it reports its own progress. */
  resumeFrom: number | null;
  /** Why a run that is no longer running stopped; null while it runs or once it is done. */
  stop: 'paused' | 'cancelled' | 'failed' | null;
}

export interface StoredProgress {
  skill: string;
  pid: number;
  progress: LiveProgress;
  startedAt: string;
  updatedAt: string;
}

const RUNNING = new Set<EvolutionProgress['phase']>(['initialising', 'evolving', 'final-evaluation']);
export const isRunningPhase = (phase: EvolutionProgress['phase']): boolean => RUNNING.has(phase);

interface Row {
  skill: string;
  pid: number;
  progress: string;
  started_at: string;
  updated_at: string;
}

/**
 * evolution_progress: one row per skill, written by the process running its evolution (the CLI or the app), read
 * by every other. A running row whose process died is stale and ignored; a stopped row (paused, cancelled,
 * failed) stays until dismissed, so the person can resume or dismiss it; a finished run removes its row.
 */
export class ProgressStore {
  constructor(
    private readonly db: Database,
    private readonly now: () => string,
    private readonly alive: (pid: number) => boolean = processAlive,
  ) {}

  write(progress: LiveProgress, startedAt: string, pid = process.pid): void {
    this.db
      .prepare(
        `INSERT INTO evolution_progress (skill, pid, progress, started_at, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(skill) DO UPDATE SET pid = excluded.pid, progress = excluded.progress, started_at = excluded.started_at,
           updated_at = excluded.updated_at`,
      )
      .run(progress.skill, pid, JSON.stringify(progress), startedAt, this.now());
  }

  /** The skill's progress, unless it is a running row left by a process that died. */
  read(skill: string): StoredProgress | null {
    const row = this.db.prepare(`SELECT * FROM evolution_progress WHERE skill = ?`).get(skill) as Row | undefined;
    return row ? this.live(row) : null;
  }

  list(): StoredProgress[] {
    const rows = this.db.prepare(`SELECT * FROM evolution_progress ORDER BY skill`).all() as Row[];
    return rows.map((row) => this.live(row)).filter((p): p is StoredProgress => p !== null);
  }

  /** Forgets a skill's row (the run finished, or the person dismissed a stopped one). */
  clear(skill: string, pid?: number): void {
    if (pid === undefined) this.db.prepare(`DELETE FROM evolution_progress WHERE skill = ?`).run(skill);
    else this.db.prepare(`DELETE FROM evolution_progress WHERE skill = ? AND pid = ?`).run(skill, pid);
  }

  private live(row: Row): StoredProgress | null {
    let progress: LiveProgress;
    try {
      progress = JSON.parse(row.progress) as LiveProgress;
    } catch {
      return null;
    }
    if (isRunningPhase(progress.phase) && row.pid !== process.pid && !this.alive(row.pid)) return null;
    return { skill: row.skill, pid: row.pid, progress, startedAt: row.started_at, updatedAt: row.updated_at };
  }
}

/** The share of a run's time each stage takes, from its shape and the usual call speeds. */
function stageWeights(
  plan: Pick<EvolutionPlan, 'populationSize' | 'generations' | 'tournaments' | 'evaluationSamples' | 'finalExamples' | 'secondsPer'>,
) {
  const { mutation: m, evaluation: e } = plan.secondsPer;
  const initial = Math.max(1, plan.populationSize - 1) * m;
  const generations = plan.generations * plan.tournaments * (m + 2 * plan.evaluationSamples * e);
  const final = (plan.populationSize + 1) * Math.max(1, plan.finalExamples) * e;
  const total = initial + generations + final;
  return { initial: initial / total, generations: generations / total };
}

export interface ProgressTrackerOptions {
  skill: string;
  settings: EvolutionSettings;
  /** Where other processes read the progress; null: this process only. */
  store: ProgressStore | null;
  onProgress?: (progress: LiveProgress) => void;
  /** At most one database write per this many ms while nothing but the numbers changes. */
  throttleMs?: number;
  nowMs?: () => number;
  nowIso: () => string;
}

/**
 * Turns an evolution's events into LiveProgress: reported at once when the run is asked for (before the model
 * loads), then on every model call while the first population is built (the run itself reports only its start
 * and end), then per generation. Each update goes to onProgress and, throttled, to the store.
 */
export function createProgressTracker(options: ProgressTrackerOptions) {
  const nowMs = options.nowMs ?? Date.now;
  const throttle = options.throttleMs ?? 1000;
  const startedAt = options.nowIso();
  let plan: Pick<
    EvolutionPlan,
    'populationSize' | 'generations' | 'tournaments' | 'evaluationSamples' | 'finalExamples' | 'resumeFrom' | 'secondsPer'
  > = {
    populationSize: options.settings.populationSize,
    generations: options.settings.generations,
    tournaments: options.settings.tournamentsPerGeneration ?? Math.max(1, Math.floor(options.settings.populationSize / 2)),
    evaluationSamples: options.settings.evaluationSamples,
    finalExamples: options.settings.finalEvaluationSamples,
    resumeFrom: null,
    secondsPer: ASSUMED_SECONDS_PER,
  };
  let made = 0;
  /** Calls before the plan is accepted are the projection's speed probe, not the run's. */
  let planned = false;
  let last: LiveProgress = {
    skill: options.skill,
    phase: 'initialising',
    generation: 0,
    generations: plan.generations,
    bestFitness: null,
    meanFitness: null,
    llmCalls: 0,
    maxLlmCalls: options.settings.maxLlmCalls,
    tokensPerSecond: null,
    etaSeconds: null,
    message: 'loading the model',
    fraction: 0,
    building: { made: 0, of: Math.max(1, plan.populationSize - 1) },
    resumeFrom: null,
    stop: null,
  };
  let writtenAt = -Infinity;
  let writtenKey = '';

  const fractionOf = (p: EvolutionProgress, building: LiveProgress['building']): number => {
    const w = stageWeights(plan);
    if (p.phase === 'done') return 1;
    if (p.phase === 'final-evaluation') return w.initial + w.generations;
    if (building) return w.initial * Math.min(1, building.made / building.of);
    return w.initial + w.generations * Math.min(1, p.generation / Math.max(1, p.generations));
  };

  const persist = (progress: LiveProgress, force: boolean): void => {
    if (!options.store) return;
    const key = `${progress.phase}|${progress.stop}|${progress.building === null}`;
    if (!force && key === writtenKey && nowMs() - writtenAt < throttle) return;
    try {
      if (progress.phase === 'done') options.store.clear(progress.skill, process.pid);
      else options.store.write(progress, startedAt);
      writtenAt = nowMs();
      writtenKey = key;
    } catch {
      // Progress is a courtesy to other processes: a read-only or busy database must not stop the evolution.
    }
  };

  const publish = (next: LiveProgress, force = false): void => {
    last = next;
    persist(next, force);
    options.onProgress?.(next);
  };

  const fromRun = (p: EvolutionProgress): void => {
    const building =
      p.phase === 'initialising' && plan.resumeFrom === null
        ? { made: Math.min(made, Math.max(1, plan.populationSize - 1)), of: Math.max(1, plan.populationSize - 1) }
        : null;
    const stop = p.phase === 'cancelled' ? (last.stop ?? 'cancelled') : p.phase === 'failed' ? 'failed' : null;
    const fraction = p.phase === 'cancelled' || p.phase === 'failed' ? last.fraction : fractionOf(p, building);
    publish({ ...p, fraction, building, resumeFrom: p.phase === 'initialising' ? last.resumeFrom : null, stop }, p.phase !== last.phase);
  };

  const called = (count: number): void => {
    if (!planned || last.phase !== 'initialising' || !last.building) return;
    made += count;
    const building = { made: Math.min(made, last.building.of), of: last.building.of };
    publish({ ...last, building, llmCalls: last.llmCalls + count, fraction: fractionOf(last, building), message: null });
  };

  return {
    /** Reports the run as started, before anything slow happens. */
    start(): void {
      publish(last, true);
    },
    onPlan(inner?: (plan: EvolutionPlan) => boolean | Promise<boolean>) {
      return async (next: EvolutionPlan): Promise<boolean> => {
        plan = next;
        // The run reports nothing more until its next generation ends; say where it picks up.
        if (next.resumeFrom !== null) {
          const fraction = fractionOf({ ...last, phase: 'evolving', generation: next.resumeFrom }, null);
          publish({ ...last, building: null, resumeFrom: next.resumeFrom, fraction, message: null }, true);
        }
        planned = inner ? await inner(next) : true;
        return planned;
      };
    },
    onProgress: fromRun,
    /** The model with every finished call counted, so building the first population shows progress. */
    model(model: TextModel): TextModel {
      return {
        id: model.id,
        generate: (request: GenerateRequest): Promise<GenerateResult> => model.generate(request).finally(() => called(1)),
        generateBatch: (requests: readonly GenerateRequest[], o?: { signal?: AbortSignal }) =>
          model.generateBatch(requests, o).finally(() => called(requests.length)),
        // The projection counts tokens and probes the CPU through these: without them it falls back to assumptions.
        ...(model.countPromptTokens ? { countPromptTokens: model.countPromptTokens.bind(model) } : {}),
        ...(model.cpuThreads ? { cpuThreads: model.cpuThreads.bind(model) } : {}),
        ...(model.beginEvolution ? { beginEvolution: model.beginEvolution.bind(model) } : {}),
      };
    },
    /** The run ended with an error: paused, cancelled or failed, kept (resumable) until dismissed. */
    stopped(error: unknown): void {
      const code = isUserError(error) ? error.code : null;
      const stop = code === 'paused' ? 'paused' : code === 'cancelled' ? 'cancelled' : code === 'declined' ? null : 'failed';
      if (stop === null) {
        try {
          options.store?.clear(options.skill, process.pid);
        } catch {
          // see persist()
        }
        return;
      }
      const message = last.phase === 'cancelled' || last.phase === 'failed' ? last.message : ((error as Error)?.message ?? null);
      publish({ ...last, phase: stop === 'failed' ? 'failed' : 'cancelled', etaSeconds: null, stop, message }, true);
    },
    last: (): LiveProgress => last,
  };
}

export type ProgressTracker = ReturnType<typeof createProgressTracker>;
