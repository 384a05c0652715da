import type { GenerateRequest, StopKind } from '../llm/types';
import { INPUT_PLACEHOLDER, renderPrompt, type OutputKind, type SkillDefinition } from './skill-file';

/** Where a skill's answer ends: a file name is one line; lists and lint findings are lines; text is free. */
export const SKILL_STOP: Record<OutputKind, StopKind> = { filename: 'line', list: 'lines', text: 'none', lint: 'lines' };

/** Output budget per kind: a file name is short; a summary may take a paragraph. */
export const SKILL_MAX_TOKENS: Record<OutputKind, number> = { filename: 48, list: 192, text: 256, lint: 192 };

/** What every run of a skill prompt starts with: the template up to its first {{input}} slot. */
export const skillPrefix = (template: string): string => {
  const at = template.indexOf(INPUT_PLACEHOLDER);
  return at < 0 ? template : template.slice(0, at);
};

/**
 * The request that runs a skill prompt on one input: greedy, so the same pair always gives the same answer. The
 * template's part before the input is marked as a shared prefix: a runtime with a prefix cache evaluates it once.
 */
export function skillRequest(
  skill: Pick<SkillDefinition, 'output'>,
  template: string,
  input: string,
  options: { maxTokens?: number | null } = {},
): GenerateRequest {
  return {
    prompt: renderPrompt(template, input),
    cachePrefix: skillPrefix(template),
    stop: SKILL_STOP[skill.output],
    maxTokens: options.maxTokens ?? SKILL_MAX_TOKENS[skill.output],
    temperature: 0,
  };
}
