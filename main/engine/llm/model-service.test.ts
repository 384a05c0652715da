import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { loadDefaults } from '../config/last-good';
import { DEFAULTS_FILE } from '../config/config-store';
import type { TinyArmsConfig } from '../config/schema';
import { skillRequest } from '../skills/skill-request';
import { getSharedLlama, resetLlamaForTests } from './llama-instance';
import { ModelService } from './model-service';
import { requireFixtureModel } from './test-fixture';

const dirs: string[] = [];
const services: ModelService[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const s of services.splice(0)) await s.dispose();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
afterAll(() => resetLlamaForTests());

function withModelPath(modelPath: string | null): TinyArmsConfig {
  const defaults = loadDefaults(DEFAULTS_FILE);
  return {
    ...defaults,
    prompt_evolution: { ...defaults.prompt_evolution, smollm2: { ...defaults.prompt_evolution.smollm2, model_path: modelPath } },
  };
}

function service(modelPath: () => string | null, extra: Partial<ConstructorParameters<typeof ModelService>[0]> = {}): ModelService {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-models-'));
  dirs.push(dataDir);
  const s = new ModelService({
    dataDir,
    config: () => withModelPath(modelPath()),
    runtime: { gpu: false, threads: 1, contextSize: 512 },
    ...extra,
  });
  services.push(s);
  return s;
}

describe('ModelService', () => {
  it('says where a model is expected when there is none, without loading anything', async () => {
    const none = service(() => null);
    expect(none.available()).toBe(false);
    // A first run without a model is not an error; it says where one goes.
    expect(none.status()).toMatchObject({
      resolvedPath: null,
      loaded: false,
      download: null,
      error: null,
      missing: expect.stringMatching(/is not installed: .*put it at .*models.*\.gguf/),
    });
    await expect(none.get()).rejects.toMatchObject({ code: 'no_model' });
    const missing = service(() => '/nowhere/model.gguf');
    expect(missing.status().error).toBe(
      'the model file /nowhere/model.gguf does not exist (set by --model or prompt_evolution.smollm2.model_path)',
    );
  });

  it('loads the model once and shares it: concurrent users get one runtime and one LlamaModel', async () => {
    const llama = await getSharedLlama(false);
    const loads = vi.spyOn(llama, 'loadModel');
    const models = service(() => requireFixtureModel());
    const [a, b] = await Promise.all([models.get(), models.get()]);
    expect(a).toBe(b);
    expect(models.status()).toMatchObject({ resolvedPath: requireFixtureModel(), source: 'config', loaded: true, error: null });
    // Greedy decoding through the shared runtime: the same request gives the same text twice.
    const request = skillRequest({ output: 'filename' }, 'Rename this file.\nFile: {{input}}', 'IMG_1.png — PNG image, 4×4');
    const first = await a.generate(request);
    expect(first.promptTokens).toBeGreaterThan(10);
    expect((await b.generate(request)).text).toBe(first.text);
    expect(loads).toHaveBeenCalledTimes(1);
    await models.unload();
    expect(models.isLoaded()).toBe(false);
  });

  it('replaces the runtime when the configured file changes', async () => {
    const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-copy-')), 'other.gguf');
    dirs.push(path.dirname(copy));
    fs.copyFileSync(requireFixtureModel(), copy);
    let file = requireFixtureModel();
    const models = service(() => file);
    const first = await models.get();
    file = copy;
    const second = await models.get();
    expect(second).not.toBe(first);
    expect(models.status().resolvedPath).toBe(copy);
  });

  it('downloads with progress the listeners hear about, and reports a failed download in one line', async () => {
    let finished = false;
    const models = service(() => null, {
      pull: async ({ dataDir, onDownloadProgress }) => {
        onDownloadProgress({ downloadedBytes: 5, totalBytes: 10 });
        const file = path.join(dataDir, 'models', 'SmolLM2-360M-Instruct-Q4_K_M.gguf');
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, 'GGUF');
        finished = true;
        return { path: file, downloaded: true };
      },
    });
    const seen: ReturnType<ModelService['status']>['download'][] = [];
    models.onChange(() => seen.push(models.status().download));
    await models.pull();
    expect(finished).toBe(true);
    expect(seen[0]).toEqual({ downloadedBytes: 0, totalBytes: 0 });
    expect(seen.at(-1)).toBeNull();
    expect(models.status()).toMatchObject({ source: 'downloaded', download: null, error: null });

    const failing = service(() => null, {
      pull: async () => {
        throw new Error('network is down\nstack-ish detail');
      },
    });
    await expect(failing.pull()).rejects.toThrow('network is down');
    expect(failing.status().error).toBe('network is down');
  });
});
