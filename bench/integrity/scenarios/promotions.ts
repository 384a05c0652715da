import { randomInt } from '../../../main/engine/util/random';
import { settingsKept, versionChangesMatch } from '../acks';
import type { CallResult } from '../calls';
import type { Scenario } from '../harness';
import { readSnapshot } from '../snapshot';
import { httpSequence, SERVE_POLL_MS } from '../serve';
import { copyFolder, seedPromotedVersions, seedSession, SKILL } from '../seed';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Two CLI processes promote different arms of one session at once; an engine held open promotes a third. */
export const promoteRace: Scenario = {
  id: 'promote-race',
  title: 'promote A vs promote B (2 CLI + 1 engine)',
  trials: 20,
  workers: 3,
  allowed: ['promotionBusy', 'alreadyPromoted'],
  prepare: async (folder) => {
    await seedSession(folder);
  },
  async trial(kit, template) {
    const dataDir = copyFolder(template.folder, kit.folder('data'));
    const before = readSnapshot(dataDir);
    const results = await kit.pool.run(
      [
        { kind: 'cli', dataDir, commands: [['prompt', 'promote', SKILL, 'A']] },
        { kind: 'cli', dataDir, commands: [['prompt', 'promote', SKILL, 'B']] },
        { kind: 'engine', dataDir, op: { op: 'promote', skill: SKILL, letter: 'C' } },
      ],
      { offsetsMs: kit.offsets(3, 10) },
    );
    const calls = results.flat();
    return { dataDir, calls, violations: versionChangesMatch(before, readSnapshot(dataDir), { promote: calls }) };
  },
};

/** Rollbacks to different versions at once, from the CLI, an engine and the app (serve's history window). */
export const rollbackRace: Scenario = {
  id: 'rollback-race',
  title: 'rollbacks at once (2 CLI + engine + serve)',
  trials: 15,
  workers: 3,
  allowed: ['promotionBusy', 'sameVersion'],
  prepare: async (folder) => {
    await seedPromotedVersions(folder, 3);
  },
  async trial(kit, template) {
    const dataDir = copyFolder(template.folder, kit.folder('data'));
    const serve = await kit.serve(dataDir);
    const before = readSnapshot(dataDir);
    const at = kit.barrier(300);
    const offsets = kit.offsets(4, 10);
    const [workers, http] = await Promise.all([
      kit.pool.run(
        [
          { kind: 'cli', dataDir, commands: [['prompt', 'rollback', SKILL]] },
          { kind: 'cli', dataDir, commands: [['prompt', 'rollback', SKILL, '--to', '1']] },
          { kind: 'engine', dataDir, op: { op: 'rollback', skill: SKILL, to: 1 + randomInt(kit.rng, 2) } },
        ],
        { at, offsetsMs: offsets },
      ),
      httpSequence(at + offsets[3], [() => serve.app('rollback', [SKILL, 1])]),
    ]);
    const calls = [...workers.flat(), ...http];
    return { dataDir, calls, violations: versionChangesMatch(before, readSnapshot(dataDir), { rollback: calls }) };
  },
};

const SAMPLE_SIZE = ['prompt_evolution', 'triggers', 'sample_size'];
const COOLDOWN = ['prompt_evolution', 'triggers', 'cooldown_hours'];

/** A promotion while the app (serve) and an engine write preferences to config.yaml. */
export const promoteVsPreferences: Scenario = {
  id: 'promote-vs-prefs',
  title: 'promotion vs preference writes (CLI + serve + engine)',
  trials: 15,
  workers: 2,
  allowed: ['configChanged', 'promotionBusy'],
  prepare: async (folder) => {
    await seedSession(folder);
  },
  async trial(kit, template) {
    const dataDir = copyFolder(template.folder, kit.folder('data'));
    const serve = await kit.serve(dataDir);
    const before = readSnapshot(dataDir);
    const at = kit.barrier(300);
    const offsets = kit.offsets(3, 30);
    const sampleSizes = [21, 22, 23, 24, 25, 26];
    const cooldowns = [100, 101, 102, 103, 104, 105, 106, 107];
    const [workers, http] = await Promise.all([
      kit.pool.run(
        [
          { kind: 'cli', dataDir, commands: [['prompt', 'promote', SKILL, 'C']] },
          { kind: 'engine', dataDir, op: { op: 'config', sets: cooldowns.map((value) => ({ path: COOLDOWN, value })) } },
        ],
        { at, offsetsMs: offsets },
      ),
      httpSequence(
        at + offsets[2],
        sampleSizes.map((value) => () => serve.app('setPreference', ['sampleSize', value])),
      ),
    ]);
    const [promote, engineWrites] = workers;
    const after = readSnapshot(dataDir);
    const writes = [
      ...engineWrites.filter((c) => !c.killed).map((call, i) => ({ path: COOLDOWN, value: cooldowns[i], call })),
      ...http.map((call, i) => ({ path: SAMPLE_SIZE, value: sampleSizes[i], call })),
    ];
    return {
      dataDir,
      calls: [...promote, ...engineWrites, ...http],
      violations: [...versionChangesMatch(before, after, { promote }), ...settingsKept(after, writes)],
    };
  },
};

/** A promotion killed at its config.yaml step (TINYARMS_CRASH_AT) while serve runs and notices config.yaml change. */
export const crashAtConfig: Scenario = {
  id: 'crash-config-serve',
  title: 'promotion killed at config.yaml step, serve running',
  trials: 10,
  workers: 1,
  allowed: [],
  prepare: async (folder) => {
    await seedSession(folder);
  },
  async trial(kit, template) {
    const dataDir = copyFolder(template.folder, kit.folder('data'));
    await kit.serve(dataDir);
    const before = readSnapshot(dataDir);
    const [promote] = await kit.pool.run(
      [{ kind: 'cli', dataDir, env: { TINYARMS_CRASH_AT: 'promotion:config' }, commands: [['prompt', 'promote', SKILL, 'C']] }],
      { expectDeath: new Set([0]) },
    );
    if (!promote.some((c) => c.killed)) {
      throw new Error(`TINYARMS_CRASH_AT=promotion:config did not kill the promotion (${promote[0]?.label}): has the crash point moved?`);
    }
    // Give serve one look at the half-done promotion, as the running app would get.
    await sleep(SERVE_POLL_MS + 700);
    const calls: CallResult[] = promote;
    return { dataDir, calls, violations: versionChangesMatch(before, readSnapshot(dataDir), { promote: calls }) };
  },
};
