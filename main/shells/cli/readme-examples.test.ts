import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APP_ROOT } from '../../engine/data-paths';
import { Engine } from '../../engine/engine';
import { requireFixtureModel } from '../../engine/llm/test-fixture';
import { startTinyarms, TINYARMS_BIN, tinyarms } from '../../test-support/cli-process';

// The README's task-API examples, run as written: its shell blocks in bash, `tinyarms` being this checkout's bin.

const README = fs.readFileSync(path.join(APP_ROOT, 'README.md'), 'utf8');
const section = README.slice(README.indexOf('### Task API for other local tools'), README.indexOf('## Where things live'));
const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
const haveTools = ['jq', 'curl'].every((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0);

let home: string;
let work: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-readme-'));
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-readme-work-'));
  expect(tinyarms(['--data-dir', home, 'model', 'use', requireFixtureModel()]).code).toBe(0);
});
afterEach(() => {
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

function bash(script: string, env: NodeJS.ProcessEnv = {}) {
  const prelude = `set -euo pipefail\ntinyarms() { "${process.execPath}" "${TINYARMS_BIN}" "$@"; }\n`;
  return spawnSync('bash', ['-c', prelude + script], { cwd: work, encoding: 'utf8', env: { ...process.env, TINYARMS_HOME: home, ...env } });
}

const lastTask = () => {
  const engine = Engine.open({ dataDir: home });
  try {
    return engine.ctx.db.prepare('SELECT * FROM task_history ORDER BY rowid DESC LIMIT 1').get() as {
      outcome: string;
      final_output: string;
      source: string;
    };
  } finally {
    engine.close();
  }
};

describe.skipIf(!haveTools && !process.env.CI)('README task API examples (need jq and curl)', () => {
  it('has the two examples', () => expect(blocks).toHaveLength(2));

  it('the command-line example runs a skill and records the edit', () => {
    fs.writeFileSync(path.join(work, 'notes.md'), '# Notes\n\n- Browser mode serves the app page on 127.0.0.1.\n');
    const result = bash(blocks[0]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Task task_\w+: edited → Adds the browser-mode section\.$/m);
    expect(lastTask()).toMatchObject({ outcome: 'edited', final_output: 'Adds the browser-mode section.', source: 'cli' });
  });

  it('the HTTP example runs a skill through tinyarms serve and records the edit', async () => {
    const serve = startTinyarms(['serve'], { env: { TINYARMS_HOME: home } });
    try {
      await serve.waitFor(/running at (http:\/\/\S+)/, 'out');
      const url = new URL(/running at (http:\/\/\S+)/.exec(serve.out())![1]);
      const result = bash(blocks[1], { ORIGIN: url.origin, TOKEN: url.searchParams.get('token')! });
      expect(result.status, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ ok: true });
      expect(lastTask()).toMatchObject({ outcome: 'edited', final_output: 'golden-gate-sunset.jpg', source: 'api' });
    } finally {
      serve.child.kill('SIGTERM');
      await serve.exited;
    }
  }, 60_000);
});
