import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_ROOT } from '../data-paths';
import { tempEngine, VARIANTS, type TempEngine } from '../../test-support/temp-engine';

let t: TempEngine;
afterEach(() => t?.cleanup());

const cli = (dataDir: string, args: string[], crashAt?: string) =>
  spawnSync(process.execPath, [path.join(APP_ROOT, 'bin', 'tinyarms.mjs'), '--data-dir', dataDir, ...args], {
    env: { ...process.env, TINYARMS_CRASH_AT: crashAt ?? '' },
    encoding: 'utf8',
  });

interface State {
  version: number;
  config: string | null;
  v2File: boolean;
  openRows: number;
  sessionOutcome: string | null;
}

function state(): State {
  const engine = t.reopen();
  const session = engine.sessions.list({ skill: 'file-naming' })[0];
  const configFile = path.join(t.dataDir, 'config.yaml');
  return {
    version: engine.prompts.active('file-naming').version,
    config: fs.existsSync(configFile) ? fs.readFileSync(configFile, 'utf8') : null,
    v2File: fs.existsSync(path.join(t.dataDir, 'skills', 'file-naming-v2.md')),
    openRows: engine.prompts.history('file-naming').filter((h) => h.active_to === null).length,
    sessionOutcome: session?.outcome ?? null,
  };
}

describe('a crash during promotion leaves the old state or the new one, never a mix', () => {
  const points = ['promotion:journal', 'promotion:version-file', 'promotion:config', 'promotion:commit'];

  it.each(points)('killed at %s', async (point) => {
    t = tempEngine();
    fs.writeFileSync(path.join(t.dataDir, 'config.yaml'), '# my settings\nprompt_evolution:\n  triggers:\n    sample_size: 20 # keep\n');
    t.reopen();
    await t.engine.evolve('file-naming', { variants: VARIANTS.map((prompt) => ({ prompt })) });
    const before = state();
    t.engine.close();

    const child = cli(t.dataDir, ['prompt', 'promote', 'file-naming', 'C'], point);
    expect(child.signal).toBe('SIGKILL');

    const after = state();
    if (point === 'promotion:commit') {
      expect(after).toMatchObject({ version: 2, v2File: true, openRows: 1, sessionOutcome: 'promoted' });
      expect(after.config).toContain('# my settings');
      expect(after.config).toContain('prompt_version: 2');
    } else {
      expect(after).toEqual(before);
    }
  });

  it('a rollback killed before its commit leaves the promoted version in place', async () => {
    t = tempEngine();
    await t.engine.evolve('file-naming', { variants: VARIANTS.map((prompt) => ({ prompt })) });
    t.engine.promoteByHand('file-naming', 'C');
    const before = state();
    t.engine.close();
    const child = cli(t.dataDir, ['prompt', 'rollback', 'file-naming'], 'promotion:config');
    expect(child.signal).toBe('SIGKILL');
    expect(state()).toEqual(before);
    const ok = cli(t.dataDir, ['prompt', 'rollback', 'file-naming']);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/version 2 → 1/);
  });
});
