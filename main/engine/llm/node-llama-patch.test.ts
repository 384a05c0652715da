import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ROOT } from '../data-paths';

const SCRIPT = path.join(APP_ROOT, 'scripts', 'patch-node-llama-cpp.mjs');
const INSTALLED = path.join(APP_ROOT, 'node_modules', 'node-llama-cpp', 'dist', 'evaluator', 'LlamaContext', 'LlamaContext.js');
const FIX_LINE = /\n[ \t]*validatedTokens\.push\(\[evalTokens\[i\], resultToken\]\); \/\/ tinyArms: scripts\/patch-node-llama-cpp\.mjs/;

const run = (file: string) => spawnSync(process.execPath, [SCRIPT, file], { encoding: 'utf8' });

describe('scripts/patch-node-llama-cpp.mjs', () => {
  it('adds the one missing line to node-llama-cpp 3.21.1 once, and leaves a file it does not recognise alone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-patch-'));
    const published = fs.readFileSync(INSTALLED, 'utf8').replace(FIX_LINE, '');
    expect(published).not.toContain('validatedTokens.push');
    const file = path.join(dir, 'LlamaContext.js');
    fs.writeFileSync(file, published);

    const first = run(file);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('fixed the speculative check');
    const patched = fs.readFileSync(file, 'utf8');
    expect(patched.match(/validatedTokens\.push/g)).toHaveLength(1);
    expect(patched.replace(FIX_LINE, '')).toBe(published);

    expect(run(file).stdout).toContain('already fixed');
    expect(fs.readFileSync(file, 'utf8')).toBe(patched);

    const other = path.join(dir, 'other.js');
    fs.writeFileSync(other, 'export const x = 1;\n');
    expect(run(other)).toMatchObject({ status: 0, stdout: expect.stringContaining('left as it is') });
    expect(fs.readFileSync(other, 'utf8')).toBe('export const x = 1;\n');
    expect(run(path.join(dir, 'missing.js'))).toMatchObject({ status: 0, stdout: expect.stringContaining('nothing to patch') });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
