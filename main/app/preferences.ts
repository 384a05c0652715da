import type { ConfigPath, TinyArmsConfig } from '../config/config-store';
import type { PreferenceKey, PreferencesView } from '../../preload/contract';

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
  const { triggers, ab_testing: ab, learning, smollm2 } = config.prompt_evolution;
  return {
    accuracyThreshold: triggers.accuracy_threshold,
    sampleSize: triggers.sample_size,
    cooldownHours: triggers.cooldown_hours,
    decisionConfidence: ab.decision_confidence,
    showProbability: ab.show_probability,
    votesRequired: ab.votes_required,
    maxDurationDays: ab.max_duration_days,
    minAccuracyImprovement: learning.min_accuracy_improvement,
    rollbackThreshold: learning.rollback_threshold,
    modelPath: smollm2.model_path,
    trayTitle: config.app.tray_title,
    notifications: config.app.notifications,
    launchAtLogin: config.app.launch_at_login,
  };
}
