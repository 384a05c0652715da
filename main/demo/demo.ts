import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DAY_MS,
  Engine,
  HOUR_MS,
  ManualClock,
  createEvolutionGenerator,
  createRng,
  formatPlan,
  percent,
  pickFrom,
  pickWeighted,
  usageError,
  type Conclusion,
  type EvolutionResult,
  type EvolutionSettings,
  type Rng,
  type SessionRow,
} from '../engine';
import { loadDemoExamples, loadDemoVariants, variantOutput, type NamingExample } from './demo-data';

export interface DemoOptions {
  /** A fresh folder (created if missing); by default a new temporary one. */
  dataDir?: string;
  seed?: number | string;
  log?: (line: string) => void;
  /** A GGUF file: step 3 runs a real (small) PromptBreeder evolution instead of the design's variants. */
  modelPath?: string;
}

export interface DemoSummary {
  dataDir: string;
  sessionId: string;
  decision: string;
  promotedVersion: number | null;
  rolledBackTo: number | null;
  votes: number;
  /** The evolution run (with --model). */
  evolution: { runId: string; llmCalls: number; cacheHits: number; bestFitness: number | null; currentFitness: number | null } | null;
}

/** Small enough for a test on the toy model, big enough to show every part of a run. */
export const DEMO_EVOLUTION: Partial<EvolutionSettings> = {
  populationSize: 4,
  generations: 2,
  evaluationSamples: 3,
  finalEvaluationSamples: 6,
  maxTokens: 24,
  evaluationMaxTokens: 16,
  seed: 42,
};

const SKILL = 'file-naming';
const TASKS_PER_DAY = 6;
// A busy week of screenshots while the test runs.
const AB_TASKS_PER_DAY = 10;
// The simulated user: how often each arm's output is kept, and how votes split (the design's example).
const ARM_ACCEPTANCE: Record<string, number> = { A: 0.84, B: 0.74, C: 0.93 };
const PICK_SHARES: Record<string, number> = { A: 0.2, B: 0.13, C: 0.67 };
const SKIP_RATE = 0.1;
// After the rollback, days back on version 1 until today, so `prompt stats` has tasks in its window to show.
const EPILOGUE_DAYS = 2;
const EPILOGUE_ACCURACY = 0.75;

/**
 * Outcomes spread evenly at an exact rate (error diffusion) instead of drawn at random, so every seed tells
 * the same story: 92% means 92 of 100, not "92% give or take a bad week".
 */
class EvenOutcomes {
  private counts = new Map<string, number>();

  next(key: string, rate: number): boolean {
    const n = this.counts.get(key) ?? 0;
    this.counts.set(key, n + 1);
    return Math.floor((n + 1) * rate + 0.5) > Math.floor(n * rate + 0.5);
  }
}

/**
 * The whole loop on simulated weeks ending today: healthy feedback, a drop, the monitor's trigger, an A/B session
 * with votes to a decision and a promotion, then a promoted version that falls and is rolled back, and a couple
 * of days back on the old version. The story is played once in a scratch folder to learn how many days it takes,
 * then for real starting that many days ago, so its last tasks are today's and the suggested commands show them.
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoSummary> {
  const log = options.log ?? console.log;
  const dataDir = prepareDataDir(options.dataDir);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-demo-length-'));
  let days: number;
  try {
    const rehearsal = await playDemo(scratch, new Date(0), { seed: options.seed, log: () => {} });
    days = Math.ceil((rehearsal.endedAt.getTime() - 0) / DAY_MS);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  const start = new Date(Date.now() - (days + EPILOGUE_DAYS) * DAY_MS);
  start.setUTCMinutes(0, 0, 0);
  const { endedAt: _, ...summary } = await playDemo(dataDir, start, { ...options, log });
  return summary;
}

async function playDemo(
  dataDir: string,
  start: Date,
  options: DemoOptions & { log: (line: string) => void },
): Promise<DemoSummary & { endedAt: Date }> {
  const log = options.log;
  const rehearsal = start.getTime() === 0;
  const rng = createRng(`demo-user-${options.seed ?? 42}`);
  const clock = new ManualClock(start);
  // With --model, a real (small) evolution runs on that file; a short context is plenty for the demo's prompts.
  const model = options.modelPath ? { modelPath: options.modelPath, runtime: { contextSize: 1024 } } : undefined;
  const engine = Engine.open({ dataDir, clock, seed: `demo-engine-${options.seed ?? 42}`, model });
  const examples = loadDemoExamples();
  const outcomes = new EvenOutcomes();
  const date = () => clock.now().toISOString().slice(0, 10);
  let taskNo = 0;

  const runDay = (accuracy: number, onTask?: () => void, tasks = TASKS_PER_DAY): void => {
    for (let i = 0; i < tasks; i += 1) {
      clock.advance(HOUR_MS);
      if (onTask) onTask();
      else recordCurrent(engine, pickFrom(rng, examples), outcomes.next(`current-${accuracy}`, accuracy), `demo-${++taskNo}`);
    }
    clock.advance(DAY_MS - tasks * HOUR_MS);
  };
  const monitor = async () => {
    const run = await engine.runMonitor({ skill: SKILL });
    const check = run.checks[0];
    log(`  ${date()}  monitor: ${check.verdict.replace(/_/g, ' ')} — ${check.reason}`);
    return check;
  };

  try {
    log(`tinyArms demo — data folder ${dataDir}`);
    log('');
    log('1. Two weeks of file-naming: you accept most names (v1 prompt, ~92%).');
    for (let d = 0; d < 14; d += 1) runDay(0.92);
    await monitor();

    log('');
    log("2. Your screenshots change (new app, new habits): you now keep ~65% of the names; the monitor's 7-day accuracy slides.");
    let check: Awaited<ReturnType<typeof monitor>> | undefined;
    for (let d = 0; d < 7; d += 1) {
      runDay(0.65);
      check = await monitor();
      if (check.verdict === 'triggered') break;
    }
    if (check?.verdict !== 'triggered') throw new Error('demo: the monitor did not trigger');

    log('');
    let evolution: EvolutionResult | null = null;
    let session: SessionRow;
    if (options.modelPath) {
      log(
        `3. Evolution starts: PromptBreeder runs on ${path.basename(options.modelPath)} (small settings) and hands its best variants to an A/B session.`,
      );
      ({ session, evolution } = await evolveWithModel(engine, log));
      for (const v of engine.sessions.variants(session.id))
        log(`   Variant ${v.variant_letter}: ${v.reasoning ?? v.prompt_template.split('\n')[0]}`);
    } else {
      log("3. Evolution starts an A/B session (the design's three variants; `tinyarms demo --model FILE` runs a real evolution).");
      session = await engine.evolve(SKILL, {
        reason: 'accuracy_drop',
        variants: loadDemoVariants().map((v) => ({ prompt: v.prompt, source: 'file', reasoning: `design example variant ${v.letter}` })),
      });
      for (const v of engine.sessions.variants(session.id)) log(`   Variant ${v.variant_letter}: ${v.prompt_template.split('\n')[0]}`);
    }

    log('');
    log('4. Over the next days half of the file-naming tasks ask for your vote; the rest go to one arm by Thompson sampling.');
    let conclusion: Conclusion | null = null;
    let lastLook = 0;
    for (let d = 0; d < 14 && !conclusion; d += 1) {
      runDay(
        0,
        () => {
          if (conclusion) return;
          conclusion = abTask(engine, rng, outcomes, pickFrom(rng, examples), `demo-${++taskNo}`);
          const results = engine.sessions.results(session.id);
          if (results.votes >= lastLook + 5 || conclusion) {
            lastLook = results.votes;
            log(
              `  ${date()}  ${results.votes} votes: ${results.arms.map((a) => `${a.letter} ${String(a.votes).padStart(2)} (P(best) ${percent(a.pBest)})`).join('  ')}`,
            );
          }
        },
        AB_TASKS_PER_DAY,
      );
      if (!conclusion) {
        const run = await engine.runMonitor({ skill: SKILL });
        conclusion = run.concluded[0] ?? null;
      }
    }
    const results = engine.sessions.results(session.id);
    const finished = engine.sessions.require(session.id);
    log(`   Decision: ${finished.decision_reason}`);
    for (const a of results.arms)
      log(`   Variant ${a.letter}: ${a.votes} votes, ${percent(a.accuracy)} accuracy on ${a.served} served tasks`);
    const v1End = engine.prompts.history(SKILL).find((h) => h.version === finished.base_version)?.accuracy_end ?? null;
    if (
      finished.outcome === 'promoted' &&
      v1End !== null &&
      finished.base_accuracy !== null &&
      percent(v1End) !== percent(finished.base_accuracy)
    ) {
      log(
        `   (${percent(finished.base_accuracy)} is version ${finished.base_version}'s accuracy when the monitor triggered; by the promotion its 7-day window had slid to ${percent(v1End)}, which the history records.)`,
      );
    }

    // A winner the accuracy guard is not yet sure of waits for the person's review; in the demo you review it and
    // use it, as the popover's review card offers.
    const waiting =
      finished.outcome === 'awaiting_manual' ? results.arms.find((a) => a.variantId === finished.winner_variant_id) : undefined;
    if (waiting) engine.promoteByHand(SKILL, waiting.letter);
    const promoted = finished.outcome === 'promoted' || waiting ? engine.prompts.active(SKILL).version : null;
    if (promoted) {
      log('');
      log(
        waiting
          ? `5. The winner waits for your review; you compare it with the current prompt and use it: ${SKILL} now runs version ${promoted}.`
          : `5. Promoted: ${SKILL} now runs version ${promoted}.`,
      );
      log(`   ${path.join(dataDir, engine.prompts.active(SKILL).templatePath)}`);
      log(`   config.yaml:`);
      for (const line of fs.readFileSync(engine.ctx.config.file, 'utf8').split('\n').filter(Boolean)) log(`     ${line}`);
    }

    log('');
    let rolledBackTo: number | null = null;
    if (promoted)
      log(
        `6. Then version ${promoted} goes wrong for you (you keep ~50% of its names); once ${engine.ctx.config.config.prompt_evolution.triggers.sample_size} tasks are in, the monitor rolls it back.`,
      );
    else log('6. No promotion this time: the current prompt stays and the monitor keeps watching.');
    for (let d = 0; promoted && d < 10 && rolledBackTo === null; d += 1) {
      runDay(0.5);
      const c = await monitor();
      if (c.verdict === 'rolled_back') rolledBackTo = engine.prompts.active(SKILL).version;
    }

    if (rolledBackTo !== null) {
      log('');
      log(`7. Back on version ${rolledBackTo} until today (~${percent(EPILOGUE_ACCURACY)} kept); the monitor keeps watching.`);
      const today = rehearsal ? clock.now().getTime() : Date.now();
      for (let d = 0; d < EPILOGUE_DAYS && clock.now().getTime() + DAY_MS <= today; d += 1) runDay(EPILOGUE_ACCURACY);
      await monitor();
    }

    log('');
    log('Prompt history:');
    for (const h of engine.prompts.history(SKILL)) {
      log(
        `   v${h.version}  ${h.active_from.slice(0, 10)} → ${h.active_to?.slice(0, 10) ?? 'now'}  ${h.evolution_source}${h.accuracy_end === null ? '' : `, ${percent(h.accuracy_end)}`}${h.notes ? ` — ${h.notes}` : ''}`,
      );
    }
    log('');
    log('Explore it yourself:');
    log(`   npx tinyarms --data-dir "${dataDir}" prompt stats file-naming`);
    log(`   npx tinyarms --data-dir "${dataDir}" prompt results file-naming`);
    log(`   npx tinyarms --data-dir "${dataDir}" prompt history file-naming`);
    const summary = evolution && {
      runId: evolution.runId,
      llmCalls: evolution.counters.llmCalls,
      cacheHits: evolution.counters.cacheHits,
      bestFitness: evolution.bestFitness,
      currentFitness: evolution.currentFitness,
    };
    return {
      dataDir,
      sessionId: session.id,
      decision: finished.decision ?? 'none',
      promotedVersion: promoted,
      rolledBackTo,
      votes: results.votes,
      evolution: summary,
      endedAt: clock.now(),
    };
  } finally {
    engine.close();
  }
}

async function evolveWithModel(engine: Engine, log: (line: string) => void): Promise<{ session: SessionRow; evolution: EvolutionResult }> {
  const generator = createEvolutionGenerator(engine, {
    settings: DEMO_EVOLUTION,
    onPlan: (plan) => {
      for (const line of formatPlan(plan)) log(`   ${line}`);
      return true;
    },
    onProgress: (p) => {
      if (p.phase === 'evolving' && p.generation > 0)
        log(`   generation ${p.generation}/${p.generations}: ${p.llmCalls} model calls so far`);
    },
  });
  engine.setVariantGenerator(generator.generate);
  try {
    const session = await engine.evolve(SKILL, { reason: 'accuracy_drop', count: 3 });
    const evolution = generator.lastResult()!;
    const c = evolution.counters;
    const rejected = Object.values(evolution.operators).reduce(
      (sum, o) => sum + Object.values(o.rejected).reduce((a, b) => a + (b ?? 0), 0),
      0,
    );
    log(
      `   ${c.llmCalls} model calls (${c.evaluationCalls} evaluations, ${c.mutationCalls} mutations), ${c.cacheHits} cache hits, ${rejected} mutants rejected; best variant ${percent(evolution.bestFitness)} vs current prompt ${percent(evolution.currentFitness)} on ${evolution.finalExamples} held-out tasks`,
    );
    return { session, evolution };
  } finally {
    engine.setVariantGenerator(null);
    await engine.models.unload();
  }
}

function prepareDataDir(requested?: string): string {
  if (!requested) return fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-demo-'));
  const dir = path.resolve(requested);
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
    throw usageError(`the demo needs an empty data folder; ${dir} is not empty (it may hold your real data)`);
  }
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function recordCurrent(engine: Engine, example: NamingExample, success: boolean, id: string): void {
  engine.recordTask(
    { skill: SKILL, id, input: example.input, output: success ? example.expected : example.generic, source: 'demo' },
    success ? { outcome: 'accepted' } : { outcome: 'edited', finalOutput: example.expected },
  );
}

/** One task during the A/B session, as the app would handle it; returns the conclusion if it ended the session. */
function abTask(engine: Engine, rng: Rng, outcomes: EvenOutcomes, example: NamingExample, id: string): Conclusion | null {
  const allocation = engine.sessions.allocate(SKILL);
  if (allocation.kind === 'current') return null;
  if (allocation.kind === 'arm') {
    const letter = allocation.variant.variant_letter;
    const kept = outcomes.next(letter, ARM_ACCEPTANCE[letter] ?? 0.8);
    engine.recordTask(
      {
        skill: SKILL,
        id,
        input: example.input,
        output: kept ? variantOutput(letter, example) : example.generic,
        source: 'demo',
        variant: letter,
      },
      kept ? { outcome: 'accepted' } : { outcome: 'edited', finalOutput: example.expected },
    );
    return null;
  }
  const letters = engine.sessions.variants(allocation.session.id).map((v) => v.variant_letter);
  const outputs = Object.fromEntries(letters.map((l) => [l, variantOutput(l, example)]));
  const round = engine.sessions.openRound(allocation.session.id, { taskId: id, input: example.input, outputs });
  if (rng.next() < SKIP_RATE) return engine.vote(id, 'skip').conclusion;
  // The person picks among the options shown (an arm that has lost is no longer one of them).
  const shown = letters.filter((l) => round.options.some((o) => o.output === outputs[l]));
  const letter = pickWeighted(
    rng,
    shown.map((value) => ({ value, weight: PICK_SHARES[value] ?? 0.1 })),
  );
  const option = round.options.find((o) => o.output === outputs[letter]) ?? round.options[0];
  const result = engine.vote(id, option.label);
  // The picked name is applied; whether the user then keeps it counts toward that arm's accuracy.
  const kept = outcomes.next(letter, ARM_ACCEPTANCE[letter] ?? 0.8);
  engine.feedback(id, kept ? { outcome: 'accepted' } : { outcome: 'edited', finalOutput: example.expected });
  return result.conclusion;
}
