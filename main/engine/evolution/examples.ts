import type { TaskLog, TaskRow } from '../feedback/task-log';
import { shuffle, type Rng } from '../util/random';
import type { Example } from './types';

export interface ExampleSet {
  train: Example[];
  holdout: Example[];
  /** Failures with a known expected output, accepted tasks added, failures that could not be used (rejected without a final output). */
  failures: number;
  accepted: number;
  unusable: number;
  /** Where the set fell back, in words for the report; null when the failure set sufficed. */
  note: string | null;
}

const MAX_EXAMPLES = 1000;
/** Below this many examples there is nothing to compare prompts on. */
export const MIN_EXAMPLES = 3;

/** A task as an example; null when its expected output is unknown (rejected with no final output). */
export function taskToExample(task: TaskRow): Example | null {
  if (!task.outcome || task.final_output === null || task.final_output.trim() === '') return null;
  return { id: task.id, input: task.input, expected: task.final_output, output: task.output, outcome: task.outcome };
}

function dedupe(examples: Example[]): Example[] {
  const seen = new Set<string>();
  return examples.filter((e) => {
    const key = `${e.input}\u0000${e.expected}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Examples from task history: the failure set (edited, or rejected with a final output; expected = the
 * user's final output). When it has fewer than 2 × evaluation_samples, accepted tasks are added (expected =
 * the output the user kept), so tournaments still compare prompts on enough inputs, and a prompt is not
 * rewarded for breaking what already works.
 */
export function collectExamples(
  tasks: Pick<TaskLog, 'withFeedback'>,
  skill: string,
  evaluationSamples: number,
  finalSamples: number,
): { examples: Example[]; failures: number; accepted: number; unusable: number; note: string | null } {
  const failedRows = tasks.withFeedback(skill, { outcome: ['edited', 'rejected'], limit: MAX_EXAMPLES });
  const failures = dedupe(failedRows.map(taskToExample).filter((e): e is Example => e !== null));
  const unusable = failedRows.length - failedRows.filter((row) => taskToExample(row) !== null).length;
  const wanted = 2 * evaluationSamples;
  if (failures.length >= wanted) return { examples: failures, failures: failures.length, accepted: 0, unusable, note: null };
  const target = wanted + Math.min(finalSamples, wanted);
  const acceptedRows = tasks.withFeedback(skill, { outcome: ['accepted'], limit: MAX_EXAMPLES });
  const accepted = dedupe([...failures, ...acceptedRows.map(taskToExample).filter((e): e is Example => e !== null)]).slice(
    failures.length,
    Math.max(failures.length, target),
  );
  const note =
    accepted.length > 0
      ? `the failure set is small (${failures.length} with an expected output${unusable ? `, ${unusable} rejected without one` : ''}); added ${accepted.length} accepted tasks`
      : `the failure set is small (${failures.length} with an expected output) and there are no accepted tasks to add`;
  return { examples: [...failures, ...accepted], failures: failures.length, accepted: accepted.length, unusable, note };
}

/**
 * Holds out up to final_evaluation_samples examples for the final ranking; tournaments keep at least
 * max(2 × evaluation_samples, 20% of the set). A set too small to split is used for both (noted).
 */
export function splitExamples(
  examples: readonly Example[],
  evaluationSamples: number,
  finalSamples: number,
  rng: Rng,
): { train: Example[]; holdout: Example[]; note: string | null } {
  const mixed = shuffle(rng, examples);
  const n = mixed.length;
  const trainMin = Math.min(n, Math.max(2 * evaluationSamples, Math.ceil(0.2 * n)));
  const holdoutCount = Math.max(0, Math.min(finalSamples, n - trainMin));
  if (holdoutCount === 0) {
    return { train: mixed, holdout: [], note: `only ${n} examples: the final ranking reuses the tournament examples (no held-out set)` };
  }
  return { train: mixed.slice(holdoutCount), holdout: mixed.slice(0, holdoutCount), note: null };
}
