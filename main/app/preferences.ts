import {
  CONFIG_SCHEMA,
  checkRule,
  ruleAt,
  validateConfig,
  valueAt,
  type ConfigIssue,
  type ConfigPath,
  type Rule,
  type TinyArmsConfig,
} from '../engine';
import { PREFERENCE_KEYS, type PreferenceKey, type PreferencesView } from '../../contract/api';

type Kind = 'number' | 'boolean' | 'path';

interface PreferenceSpec {
  path: ConfigPath;
  kind: Kind;
}

/** Each preference is one key of config.yaml; the config schema checks ranges, this table only maps names. */
export const PREFERENCE_SPECS: Record<PreferenceKey, PreferenceSpec> = {
  accuracyThreshold: { path: ['prompt_evolution', 'triggers', 'accuracy_threshold'], kind: 'number' },
  sampleSize: { path: ['prompt_evolution', 'triggers', 'sample_size'], kind: 'number' },
  cooldownHours: { path: ['prompt_evolution', 'triggers', 'cooldown_hours'], kind: 'number' },
  decisionConfidence: { path: ['prompt_evolution', 'ab_testing', 'decision_confidence'], kind: 'number' },
  showProbability: { path: ['prompt_evolution', 'ab_testing', 'show_probability'], kind: 'number' },
  votesRequired: { path: ['prompt_evolution', 'ab_testing', 'votes_required'], kind: 'number' },
  maxDurationDays: { path: ['prompt_evolution', 'ab_testing', 'max_duration_days'], kind: 'number' },
  minAccuracyImprovement: { path: ['prompt_evolution', 'learning', 'min_accuracy_improvement'], kind: 'number' },
  rollbackThreshold: { path: ['prompt_evolution', 'learning', 'rollback_threshold'], kind: 'number' },
  modelPath: { path: ['prompt_evolution', 'smollm2', 'model_path'], kind: 'path' },
  trayTitle: { path: ['app', 'tray_title'], kind: 'boolean' },
  notifications: { path: ['app', 'notifications'], kind: 'boolean' },
  launchAtLogin: { path: ['app', 'launch_at_login'], kind: 'boolean' },
  showConfidenceBeforeVote: { path: ['app', 'show_confidence_before_vote'], kind: 'boolean' },
  goldShare: { path: ['prompt_evolution', 'gold', 'share'], kind: 'number' },
  teamVoteWeight: { path: ['team', 'peer_vote_weight'], kind: 'number' },
  shareTaskInputs: { path: ['team', 'share_inputs'], kind: 'boolean' },
};

const samePath = (a: ConfigPath, b: string): boolean => a.join('.') === b;

/** One setting's own rule (range, type, a path that must exist), in words; null when the value is fine. */
export function settingProblem(path: ConfigPath, value: unknown): string | null {
  const issues: ConfigIssue[] = [];
  const rule = ruleAt(CONFIG_SCHEMA as Rule, path);
  if (rule && value !== null) checkRule(rule, value, path, { file: '', locate: () => null, partial: true, issues, checkFiles: true });
  return issues[0] ? (issues[0].plain ?? issues[0].message) : null;
}

/**
 * Why the engine cannot use a preference's value, in words for the field (the config schema's own rules, its
 * relations between keys and, for a file, that it exists); null when it can. The same checks guard a write to
 * config.yaml, so the field and the file never disagree.
 */
export function preferenceProblem(config: TinyArmsConfig, key: PreferenceKey, value: unknown): string | null {
  const { path } = PREFERENCE_SPECS[key];
  const own = settingProblem(path, value);
  if (own) return own;
  const issues: ConfigIssue[] = [];
  {
    const candidate = structuredClone(config) as unknown as Record<string, unknown>;
    let node = candidate;
    for (const part of path.slice(0, -1)) node = node[part as string] as Record<string, unknown>;
    node[path[path.length - 1] as string] = value;
    // Relations are reported on the key being set: the line "the person changed".
    const located = validateConfig(candidate, { file: '', partial: false, locate: (at) => (samePath(at, path.join('.')) ? 1 : null) });
    issues.push(...located.filter((issue) => issue.path === path.join('.')));
  }
  const first = issues[0];
  return first ? (first.plain ?? `${first.message[0].toUpperCase()}${first.message.slice(1)}.`) : null;
}

export function preferencesFromConfig(config: TinyArmsConfig): PreferencesView {
  // From the spec table, so a preference reads from the same key it writes to.
  return Object.fromEntries(PREFERENCE_KEYS.map((key) => [key, valueAt(config, PREFERENCE_SPECS[key].path)])) as unknown as PreferencesView;
}
