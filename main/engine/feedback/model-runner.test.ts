import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { resetLlamaForTests } from '../llm/llama-instance';
import { requireFixtureModel } from '../llm/test-fixture';
import { tempEngine, type TempEngine } from '../../test-support/temp-engine';
import { appRunnerFactory, availableModelFile, modelRunnerFactory } from './model-runner';
import { resetSkillRunnerFactory, setSkillRunnerFactory } from './skill-runner';

let t: TempEngine;
afterEach(() => {
  resetSkillRunnerFactory();
  t?.cleanup();
});
afterAll(() => resetLlamaForTests());

describe('the model-backed skill runner', () => {
  it('is null while no model file is there', async () => {
    t = tempEngine();
    expect(availableModelFile(t.engine)).toBeNull();
    expect(await modelRunnerFactory()(t.engine)).toBeNull();
  });

  it('runs a skill prompt on the configured model, greedily: the same input gives the same answer', async () => {
    t = tempEngine();
    t.engine.ctx.config.set(['prompt_evolution', 'smollm2', 'model_path'], requireFixtureModel());
    const runner = (await modelRunnerFactory({ gpu: false, threads: 1, contextSize: 512 })(t.engine))!;
    try {
      const prompt = 'Rename this file.\nFile: {{input}}';
      const first = await runner.run('file-naming', prompt, 'IMG_1.png — PNG image, 4×4', { output: 'filename' });
      expect(typeof first).toBe('string');
      expect(await runner.run('file-naming', prompt, 'IMG_1.png — PNG image, 4×4')).toBe(first);
    } finally {
      await runner.close?.();
    }
  });

  it('the app prefers a runner a shell or test wired', async () => {
    t = tempEngine();
    const wired = { run: async () => 'wired.png' };
    setSkillRunnerFactory(() => wired);
    expect(await appRunnerFactory()(t.engine)).toBe(wired);
    resetSkillRunnerFactory();
    expect(await appRunnerFactory()(t.engine)).toBeNull();
  });
});
