import type { ConfigPath, TinyArmsConfig } from '../engine/config/config-store';
import { PREFERENCE_KEYS, type PreferenceKey, type PreferencesView } from '../../contract/api';
import { valueAt } from '../engine/config/schema-rules';

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
};

export function preferencesFromConfig(config: TinyArmsConfig): PreferencesView {
  // From the spec table, so a preference reads from the same key it writes to.
  return Object.fromEntries(PREFERENCE_KEYS.map((key) => [key, valueAt(config, PREFERENCE_SPECS[key].path)])) as unknown as PreferencesView;
}
