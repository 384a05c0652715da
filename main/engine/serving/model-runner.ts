import { skillRequest } from '../skills/skill-request';
import type { ModelService } from '../llm/model-service';
import type { OutputKind } from '../skills/skill-file';
import type { TaskPrefixes } from './task-prefixes';
import type { SkillRunner } from './types';

/**
 * Skills run on the process's shared model: greedy decoding, so the same prompt and input give the same
 * answer. `outputOf` names a skill's output kind when a caller does not say it. With `prefixes`, the prompts tasks
 * are served with stay pinned on the model, re-read before each task (see TaskPrefixes).
 */
export function modelSkillRunner(models: ModelService, outputOf: (skill: string) => OutputKind, prefixes?: TaskPrefixes): SkillRunner {
  return {
    async run(skill, prompt, input, options = {}) {
      const model = await models.get();
      prefixes?.beforeTask(model, skill);
      const result = await model.generate({
        ...skillRequest({ output: options.output ?? outputOf(skill) }, prompt, input),
        signal: options.signal,
      });
      return result.text;
    },
  };
}
