import type { Scenario } from '../harness';
import { acceptVsEdit } from './files';
import { killNine } from './kill';
import { crashAtConfig, promoteRace, promoteVsPreferences, rollbackRace } from './promotions';
import { firstRuns, recordMany } from './tasks';
import { feedbackConflict, feedbackRepeat, voteConflict, voteRepeat } from './votes';

/** Every scenario, in the order of issue 9's table. */
export const SCENARIOS: readonly Scenario[] = [
  promoteRace,
  rollbackRace,
  crashAtConfig,
  promoteVsPreferences,
  voteConflict,
  voteRepeat,
  feedbackConflict,
  feedbackRepeat,
  recordMany,
  firstRuns,
  acceptVsEdit,
  killNine,
];

export const scenario = (id: string): Scenario => {
  const found = SCENARIOS.find((s) => s.id === id);
  if (!found) throw new Error(`unknown scenario '${id}' (known: ${SCENARIOS.map((s) => s.id).join(', ')})`);
  return found;
};
