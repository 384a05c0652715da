import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UserError } from '../util/errors';
import { sha256File } from './file-hash';
import { getCatalogEntry, loadCatalog, validateCatalog } from './model-catalog';
import { requireFixtureModel } from './test-fixture';

const shipped = () => JSON.parse(fs.readFileSync(new URL('../../../models/catalog.json', import.meta.url), 'utf8'));

describe('model catalog', () => {
  it('ships a valid catalog whose default is SmolLM2-360M-Instruct Q4_K_M', () => {
    const catalog = loadCatalog();
    const entry = getCatalogEntry(null, catalog);
    expect(entry.id).toBe('smollm2-360m-instruct-q4_k_m');
    expect(entry.hfUri).toMatch(/^hf:.+\/SmolLM2-360M-Instruct-GGUF:Q4_K_M$/);
    expect(entry.fileName).toBe('SmolLM2-360M-Instruct-Q4_K_M.gguf');
    expect(entry.license).toBe('Apache-2.0');
    expect(entry.testOnly).toBe(false);
    expect(entry.downloadUrl).toMatch(/^https:\/\/huggingface\.co\/.+\.gguf$/);
  });

  it('lists the stories260K fixture as test-only with the size and hash of the real file', async () => {
    const entry = getCatalogEntry('stories260K');
    expect(entry).toMatchObject({ testOnly: true, license: 'MIT', hfUri: null, sizeBytes: 1185376 });
    const file = requireFixtureModel();
    expect(fs.statSync(file).size).toBe(entry.sizeBytes);
    expect(await sha256File(file)).toBe(entry.sha256);
  });

  it('rejects an unknown id with the known ids', () => {
    expect(() => getCatalogEntry('nope')).toThrow(/unknown model "nope" \(known: smollm2-360m-instruct-q4_k_m, stories260K\)/);
  });

  it.each([
    ['a bad hash', (c: any) => (c.models[1].sha256 = 'abc'), /sha256 must be 64 lowercase hex/],
    ['a duplicate id', (c: any) => (c.models[1].id = c.models[0].id), /duplicate id/],
    ['a test-only default', (c: any) => (c.defaultModel = 'stories260K'), /is test-only/],
    ['an unknown default', (c: any) => (c.defaultModel = 'x'), /defaultModel "x" is not a model id/],
    ['a downloadable model without hfUri', (c: any) => (c.models[0].hfUri = null), /needs hfUri and downloadUrl/],
    ['an hf URI without a repo', (c: any) => (c.models[0].hfUri = 'hf:SmolLM2'), /hfUri must be a URI like hf:user\/repo:QUANT/],
    ['a path as file name', (c: any) => (c.models[0].fileName = '../x.gguf'), /must be a bare \*\.gguf file name/],
    ['a negative size', (c: any) => (c.models[0].sizeBytes = -1), /sizeBytes must be a positive integer/],
    ['no models', (c: any) => (c.models = []), /models must be a non-empty array/],
  ])('rejects %s with a UserError', (_name, mutate, message) => {
    const catalog = shipped();
    mutate(catalog);
    let caught: unknown;
    try {
      validateCatalog(catalog);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UserError);
    expect((caught as Error).message).toMatch(message);
  });
});
