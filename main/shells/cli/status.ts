import { PauseSwitch } from '../../app/pause-switch';
import { skillStatus as liveStatus, type Engine, type SkillStateKind, type SkillStats } from '../../engine';

export interface SkillStatus {
  /** The state's kind, for scripts: 'collecting', 'healthy', 'needs-prompt', 'testing', 'promoted', … */
  kind: SkillStateKind;
  /** The state as the tray and the popover say it: "Testing (8 votes; a decision usually within ~12 more)". */
  state: string;
  /** One line for `prompt stats`: the state and its sentence. */
  line: string;
  /** The running test was flagged for review (its best variant scored below rollback_threshold). */
  review: string | null;
}

/**
 * What a skill is doing now, in the words the app uses: the engine's one live state per skill (status/skill-state.ts),
 * with the app's pause switch, so the CLI, the tray menu and the popover cannot disagree.
 */
export function skillStatus(engine: Engine, s: SkillStats): SkillStatus {
  const paused = new PauseSwitch(engine.dataDir, () => {}).paused;
  const { state, input } = liveStatus(engine, s, { paused });
  const review = input.test?.flagged ? 'its best variant scored below the rollback threshold; look at it before it is promoted' : null;
  return { kind: state.kind, state: state.label, line: `${state.label}: ${state.detail}`, review };
}
