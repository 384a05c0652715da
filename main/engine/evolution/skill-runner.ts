import type { GenerateResult, TextModel } from '../llm/types';
import { parseOutput } from '../skills/output-parsers';
import type { SkillDefinition } from '../skills/skill-file';
import { skillRequest } from '../skills/skill-request';

export interface SkillRunOptions {
  signal?: AbortSignal;
  maxTokens?: number | null;
}

export interface SkillRun {
  /** The parsed output, as the app would show and store it. */
  output: string;
  result: GenerateResult;
}

type SkillShape = Pick<SkillDefinition, 'output'>;

/** Runs (prompt, input) pairs in one batch; results in order. */
export async function runSkillPairs(
  model: TextModel,
  skill: SkillShape,
  pairs: readonly { template: string; input: string; draft?: string }[],
  options: SkillRunOptions = {},
): Promise<SkillRun[]> {
  const requests = pairs.map((pair) => ({
    ...skillRequest(skill, pair.template, pair.input, options),
    ...(pair.draft ? { draft: pair.draft } : {}),
  }));
  const results = await model.generateBatch(requests, { signal: options.signal });
  return results.map((result) => ({ output: parseOutput(skill.output, result.text), result }));
}

/** The A/B's arms for one task: every variant prompt on the same input, batched. */
export function runSkillBatch(
  model: TextModel,
  skill: SkillShape,
  prompts: readonly string[],
  input: string,
  options: SkillRunOptions = {},
): Promise<SkillRun[]> {
  return runSkillPairs(
    model,
    skill,
    prompts.map((template) => ({ template, input })),
    options,
  );
}

export async function runSkill(
  model: TextModel,
  skill: SkillShape,
  prompt: string,
  input: string,
  options: SkillRunOptions = {},
): Promise<SkillRun> {
  const [run] = await runSkillBatch(model, skill, [prompt], input, options);
  return run;
}
