import { decide, type Decision, type DecisionSettings, type PosteriorFn } from './decision';
import { posteriorSummary } from './dirichlet';
import { defaultJointModelSettings, jointPosterior, type JointEvidence, type JointModelSettings, type JointPosterior } from './joint-model';

/*
 * The two decision rules behind one call. `joint` (the default, issue 14) uses every signal through the joint
 * model, looks after every vote and drops arms that have lost from later rounds; `dirichlet` is the rule
 * before it: picks only, Dirichlet(1 + picks), looks at min_votes + k·look_every, Miller backup boundary.
 */

export type AbRule = 'joint' | 'dirichlet';
export const AB_RULES: readonly AbRule[] = ['joint', 'dirichlet'];

export interface AbSettings extends DecisionSettings {
  rule: AbRule;
  /** Joint rule: an arm whose P(best) is below this is not shown in later rounds (at least two always are). */
  dropBelow: number;
  model: JointModelSettings;
}

/** The defaults of config.yaml, calibrated by `npm run bench:ab -- --calibrate` (docs/ab-statistics.md). */
export const defaultAbSettings: AbSettings = {
  rule: 'joint',
  decisionConfidence: 0.985,
  probableConfidence: 0.7,
  minVotes: 5,
  lookEvery: 1,
  maxVotes: 50,
  maxDurationDays: 7,
  boundaryFromVote: 30,
  dropBelow: 0.01,
  model: defaultJointModelSettings,
};

/** The rule before issue 14, exactly: `rule: dirichlet` with these stopping settings. */
export const dirichletAbSettings: AbSettings = {
  ...defaultAbSettings,
  rule: 'dirichlet',
  decisionConfidence: 0.97,
  probableConfidence: 0.8,
  minVotes: 10,
  lookEvery: 5,
  boundaryFromVote: 30,
};

export interface SessionEvidence extends JointEvidence {
  /** Counted "none is good" answers and skips (the model ignores both; none counts towards the vote total). */
  none: number;
  skips: number;
  elapsedDays: number;
}

export interface RuleOutcome {
  decision: Decision;
  /** The joint posterior behind the decision; null under the dirichlet rule. */
  posterior: JointPosterior | null;
}

export function decideSession(
  evidence: SessionEvidence,
  settings: AbSettings = defaultAbSettings,
  posteriorOf: (e: JointEvidence, m: JointModelSettings) => JointPosterior = jointPosterior,
  dirichletPosterior: PosteriorFn = posteriorSummary,
): RuleOutcome {
  const tally = { picks: evidence.arms.map((a) => a.picks), none: evidence.none, skips: evidence.skips, elapsedDays: evidence.elapsedDays };
  if (settings.rule === 'dirichlet') return { decision: decide(tally, settings, dirichletPosterior), posterior: null };
  const posterior = posteriorOf(evidence, settings.model);
  // The Miller boundary assumes every round shows every arm; the joint rule does without it.
  const decision = decide(tally, { ...settings, boundaryFromVote: Infinity }, () => posterior);
  return { decision, posterior };
}

/**
 * The arms the next vote round shows: those still in the test whose P(best) is at least `dropBelow`, never fewer
 * than two (then the two with the highest P(best), ties to the lower index). In arm order. An arm left out once
 * is out for good: the model's exactness needs every round to show every arm still in the test.
 */
export function shownArms(posterior: Pick<JointPosterior, 'active' | 'pBest'>, dropBelow: number): number[] {
  const { active, pBest } = posterior;
  if (active.length <= 2) return [...active];
  const keep = active.filter((i) => pBest[i] >= dropBelow);
  if (keep.length >= 2) return keep;
  return [...active]
    .sort((a, b) => pBest[b] - pBest[a] || a - b)
    .slice(0, 2)
    .sort((a, b) => a - b);
}
