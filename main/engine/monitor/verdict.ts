import type { TinyArmsConfig } from '../config/schema';
import type { AccuracyReport } from '../feedback/accuracy';
import { HOUR_MS } from '../util/clock';
import { percent } from '../util/format';

export type Verdict =
  | 'triggered'
  | 'too_few_samples'
  | 'cooling_down'
  | 'healthy'
  | 'testing'
  | 'rollback_due'
  | 'rolled_back'
  | 'not_evolvable'
  | 'disabled';

/** What the verdict is judged from: all read beforehand, so judging is a pure function. */
export interface VerdictInput {
  skill: string;
  evolvable: boolean;
  config: TinyArmsConfig;
  accuracy: AccuracyReport;
  /** How the running version came to be: 'promotion', 'rollback', 'initial' or 'imported'. */
  versionSource: string | null;
  version: number;
  activeSession: { id: string } | null;
  /** When the skill's last A/B session began (for the cool-down), null if it never had one. */
  lastSessionAt: string | null;
  now: Date;
}

export interface Judgement {
  verdict: Verdict;
  reason: string;
}

/**
 * The monitor's rule for one skill. 'rollback_due' asks the caller to roll back a promoted version that fell
 * below rollback_threshold once it has sample_size tasks; only a promotion is rolled back that way (rolling
 * back a rollback would bring the bad version back).
 */
export function judge(input: VerdictInput): Judgement {
  const { triggers, learning, enabled } = input.config.prompt_evolution;
  const { accuracy, skill } = input;
  const measured = `${percent(accuracy.accuracy)} over ${accuracy.samples} task${accuracy.samples === 1 ? '' : 's'}`;
  const verdict = (v: Verdict, reason: string): Judgement => ({ verdict: v, reason });

  if (!input.evolvable) return verdict('not_evolvable', `${skill} is not evolvable (${measured})`);
  if (input.config.skills[skill]?.enabled === false) return verdict('disabled', `${skill} is turned off in config.yaml`);
  if (input.activeSession) return verdict('testing', `an A/B test is running (${measured})`);
  if (
    input.versionSource === 'promotion' &&
    accuracy.samples >= triggers.sample_size &&
    accuracy.accuracy !== null &&
    accuracy.accuracy < learning.rollback_threshold
  ) {
    return verdict('rollback_due', `version ${input.version} fell to ${measured}, below ${percent(learning.rollback_threshold)}`);
  }
  if (accuracy.samples < triggers.sample_size) {
    return verdict(
      'too_few_samples',
      `${accuracy.samples} of ${triggers.sample_size} tasks needed in the window (${percent(accuracy.accuracy)} so far)`,
    );
  }
  if (accuracy.accuracy !== null && accuracy.accuracy >= triggers.accuracy_threshold) {
    return verdict('healthy', `${measured}, at or above ${percent(triggers.accuracy_threshold)}`);
  }
  const cooldownEnds = input.lastSessionAt ? new Date(input.lastSessionAt).getTime() + triggers.cooldown_hours * HOUR_MS : 0;
  if (input.lastSessionAt && cooldownEnds > input.now.getTime()) {
    const minute = (iso: string) => iso.slice(0, 16).replace('T', ' ');
    return verdict(
      'cooling_down',
      `${measured} is below ${percent(triggers.accuracy_threshold)}, but the last evolution began ${minute(input.lastSessionAt)}; next allowed ${minute(new Date(cooldownEnds).toISOString())}`,
    );
  }
  if (!enabled)
    return verdict('disabled', `${measured} is below ${percent(triggers.accuracy_threshold)}, but prompt evolution is turned off`);
  return verdict('triggered', `${measured} is below ${percent(triggers.accuracy_threshold)}`);
}
