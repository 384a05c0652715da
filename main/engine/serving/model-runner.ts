import { skillRequest } from '../evolution/skill-runner';
import type { ModelService } from '../llm/model-service';
import type { OutputKind } from '../skills/skill-file';
import type { SkillRunner } from './types';

/**
 * Skills run on the process's shared model: greedy decoding, so the same prompt and input give the same
 * answer. `outputOf` names a skill's output kind when a caller does not say it.
 */
export function modelSkillRunner(models: ModelService, outputOf: (skill: string) => OutputKind): SkillRunner {
  return {
    async run(skill, prompt, input, options = {}) {
      const model = await models.get();
      const result = await model.generate({ ...skillRequest({ output: options.output ?? outputOf(skill) }, prompt, input), signal: options.signal });
      return result.text;
    },
  };
}
