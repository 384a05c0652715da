import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../util/errors';
import { checkGgufFile } from './gguf-check';
import { resetLlamaForTests } from './llama-instance';
import { pullModel, resolveModel } from './model-resolve';
import { LlamaRuntime } from './runtime';
import { requireFixtureModel } from './test-fixture';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-llm-'));

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

afterAll(async () => {
  await resetLlamaForTests();
});

describe('model resolution', () => {
  it('uses the configured path first and reports source "config"', async () => {
    const fixture = requireFixtureModel();
    const resolved = await resolveModel({ modelPath: fixture, dataDir: tempDir() });
    expect(resolved).toMatchObject({ path: fixture, source: 'config' });
    expect(resolved.entry?.id).toBe('stories260K');
  });

  it('fails clearly when the configured file does not exist', async () => {
    const error = await rejection(resolveModel({ modelPath: '/nowhere/model.gguf', dataDir: tempDir() }));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain('/nowhere/model.gguf');
    expect(error.message).toContain('prompt_evolution.smollm2.model_path');
  });

  it("finds the catalog file in the data folder's models/", async () => {
    const dataDir = tempDir();
    fs.mkdirSync(path.join(dataDir, 'models'));
    fs.symlinkSync(requireFixtureModel(), path.join(dataDir, 'models', 'stories260K.gguf'));
    const resolved = await resolveModel({ dataDir, catalogId: 'stories260K' });
    expect(resolved).toMatchObject({ path: path.join(dataDir, 'models', 'stories260K.gguf'), source: 'data-folder' });
  });

  it('with downloads off, a missing model names the data-folder path and the download URL', async () => {
    const dataDir = tempDir();
    const error = await rejection(resolveModel({ dataDir, allowDownload: false }));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain(path.join(dataDir, 'models', 'SmolLM2-360M-Instruct-Q4_K_M.gguf'));
    expect(error.message).toContain(
      'https://huggingface.co/bartowski/SmolLM2-360M-Instruct-GGUF/resolve/main/SmolLM2-360M-Instruct-Q4_K_M.gguf',
    );
    const runtimeError = await rejection(new LlamaRuntime({ dataDir, gpu: false }).ensureLoaded());
    expect(runtimeError).toBeInstanceOf(UserError);
    expect(runtimeError.message).toContain(path.join(dataDir, 'models'));
  });

  it('pull fails clearly when the hub cannot be reached, and leaves no partial file', async () => {
    const dataDir = tempDir();
    // A closed local port stands in for "offline" without sending traffic anywhere.
    const error = await rejection(pullModel({ dataDir, huggingFaceEndpoint: 'http://127.0.0.1:9/' }));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(/cannot download .* if offline, download https:\/\/huggingface\.co\/.+ yourself and put it at /);
    expect(fs.readdirSync(path.join(dataDir, 'models'))).toEqual([]);
  });

  it('refuses to download a test-only model', async () => {
    const error = await rejection(pullModel({ dataDir: tempDir(), catalogId: 'stories260K' }));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(/test-only/);
  });
});

describe('invalid GGUF files', () => {
  it.each([
    ['truncated to 1000 bytes', (fixture: string) => fs.readFileSync(fixture).subarray(0, 1000)],
    ['cut short inside the tensor data', (fixture: string) => fs.readFileSync(fixture).subarray(0, 1_185_000)],
    ['not a GGUF at all', () => Buffer.from('this is not a model file, just text')],
  ])('%s: a UserError "model file X is not a valid GGUF (…)"', async (_name, make) => {
    const file = path.join(tempDir(), 'broken.gguf');
    fs.writeFileSync(file, make(requireFixtureModel()));
    const error = await rejection(checkGgufFile(file));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(new RegExp(`^model file ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a valid GGUF \\(.+\\)$`));
  });

  it('the runtime refuses a truncated file with the same UserError and loads nothing', async () => {
    const file = path.join(tempDir(), 'truncated.gguf');
    fs.writeFileSync(file, fs.readFileSync(requireFixtureModel()).subarray(0, 1000));
    const runtime = new LlamaRuntime({ modelPath: file, dataDir: tempDir(), gpu: false, threads: 1 });
    const error = await rejection(runtime.ensureLoaded());
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain(`model file ${file} is not a valid GGUF (`);
    expect(runtime.info()).toBeNull();
  });
});
