import { parentPort } from 'node:worker_threads';
import { allScenarios } from './ab-scenarios';
import { makeRule, type RuleName } from './ab-rules';
import { runScenario, type RuleSummary } from './ab-sim';
import type { AbSettings } from '../main/engine/ab/joint-rule';

/** One job: every session of one rule on one scenario. Rules are rebuilt here, so caches stay per worker. */
export interface Job {
  id: number;
  scenario: number;
  rule: RuleName;
  sessions: number;
  seed: string;
  settings?: AbSettings;
}

const rules = new Map<string, ReturnType<typeof makeRule>>();
const scenarios = allScenarios();

export function runJob(job: Job): RuleSummary {
  const key = `${job.rule}|${JSON.stringify(job.settings ?? null)}`;
  let rule = rules.get(key);
  if (!rule) rules.set(key, (rule = makeRule(job.rule, job.settings)));
  return runScenario(scenarios[job.scenario], [rule], job.sessions, job.seed)[0];
}

parentPort?.on('message', (job: Job) => parentPort!.postMessage({ id: job.id, summary: runJob(job) }));
