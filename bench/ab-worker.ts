import { parentPort } from 'node:worker_threads';
import { allScenarios } from './ab-scenarios';
import { makeRule, type RuleName } from './ab-rules';
import { newGuard, runScenario, type RuleSummary } from './ab-sim';
import type { AbSettings } from '../main/engine/ab/joint-rule';

/** One job: every session of one rule on one scenario. Rules are rebuilt here, so caches stay per worker. */
export interface Job {
  id: number;
  scenario: number;
  rule: RuleName;
  sessions: number;
  seed: string;
  settings?: AbSettings;
  /** promotion_confidence and probable_promotion_confidence of the new guard (the defaults when absent). */
  guard?: [number, number];
}

const rules = new Map<string, ReturnType<typeof makeRule>>();
const scenarios = allScenarios();

export function runJob(job: Job): RuleSummary {
  const key = `${job.rule}|${JSON.stringify(job.settings ?? null)}`;
  let rule = rules.get(key);
  if (!rule) rules.set(key, (rule = makeRule(job.rule, job.settings)));
  const guard = job.guard === undefined ? newGuard : { ...newGuard, confidence: job.guard[0], probableConfidence: job.guard[1] };
  return runScenario(scenarios[job.scenario], [rule], job.sessions, job.seed, guard)[0];
}

parentPort?.on('message', (job: Job) => parentPort!.postMessage({ id: job.id, summary: runJob(job) }));
