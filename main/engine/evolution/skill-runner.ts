import type { GenerateRequest, GenerateResult, StopKind, TextModel } from '../llm/types';
import { parseOutput } from '../skills/output-parsers';
import { INPUT_PLACEHOLDER, renderPrompt, type OutputKind, type SkillDefinition } from '../skills/skill-file';

/** Where a skill's answer ends: a file name is one line; lists and lint findings are lines; text is free. */
export const SKILL_STOP: Record<OutputKind, StopKind> = { filename: 'line', list: 'lines', text: 'none', lint: 'lines' };

/** Output budget per kind: a file name is short; a summary may take a paragraph. */
export const SKILL_MAX_TOKENS: Record<OutputKind, number> = { filename: 48, list: 192, text: 256, lint: 192 };

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

/** What every run of a skill prompt starts with: the template up to its first {{input}} slot. */
export const skillPrefix = (template: string): string => {
  const at = template.indexOf(INPUT_PLACEHOLDER);
  return at < 0 ? template : template.slice(0, at);
};

/**
 * The request that runs a skill prompt on one input: greedy, so the same pair always gives the same answer. The
 * template's part before the input is marked as a shared prefix: a runtime with a prefix cache evaluates it once.
 */
export function skillRequest(skill: SkillShape, template: string, input: string, options: SkillRunOptions = {}): GenerateRequest {
  return {
    prompt: renderPrompt(template, input),
    cachePrefix: skillPrefix(template),
    stop: SKILL_STOP[skill.output],
    maxTokens: options.maxTokens ?? SKILL_MAX_TOKENS[skill.output],
    temperature: 0,
  };
}

/** Runs (prompt, input) pairs in one batch; results in order. */
export async function runSkillPairs(
  model: TextModel,
  skill: SkillShape,
  pairs: readonly { template: string; input: string }[],
  options: SkillRunOptions = {},
): Promise<SkillRun[]> {
  const requests = pairs.map((pair) => skillRequest(skill, pair.template, pair.input, options));
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
