import fs from 'node:fs';
import path from 'node:path';
import { FILE_NAMING_VARIANTS, openRounds, startFileNamingSession, withEngine } from '../../e2e/support/seed';
import type { Engine } from '../../main/engine/engine';
import { standInNamer } from '../../main/engine/files/stand-in-namer';
import { pngBytes } from '../../main/engine/files/test-fixtures';
import type { WatchedFiles } from './invariants';

// Data folders for the scenarios, seeded through the engine in this process (the e2e suite's helpers), so no CLI
// start-up is paid for seeding. Templates are built once per scenario and copied per trial.

/**
 * No file watch (never the real screenshots folder), and no A/B decision inside a trial: a vote never concludes a
 * session, so every promotion in a trial is one a scenario asked for.
 */
export const QUIET_CONFIG = [
  'watch:',
  '  enabled: false',
  'prompt_evolution:',
  '  ab_testing:',
  '    votes_required: 500',
  '    min_votes: 400',
  '    boundary_from_vote: 400',
  '    max_duration_days: 365',
  '',
].join('\n');

export const SKILL = 'file-naming';

/** Writes QUIET_CONFIG as the folder's config.yaml, unless seeding already wrote one (it holds the versions). */
export function writeQuietConfig(dataDir: string): void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'config.yaml');
  if (!fs.existsSync(file)) fs.writeFileSync(file, QUIET_CONFIG);
}

/** A copy of a closed template folder (the SQLite file has no WAL once its last connection closed). */
export function copyFolder(template: string, dest: string): string {
  fs.cpSync(template, dest, { recursive: true });
  return dest;
}

/** Records a monitor check, so `tinyarms serve` runs no start-up check of its own inside a trial. */
const markChecked = (engine: Engine): void => {
  for (const skill of engine.ctx.skills.list()) engine.monitor.record(engine.monitor.assess(skill.name));
};

/** An A/B session on file-naming (arms A, B, C) with the old prompt measured; its id. */
export async function seedSession(dataDir: string): Promise<string> {
  writeQuietConfig(dataDir);
  return withEngine(dataDir, async (engine) => {
    const id = await startFileNamingSession(engine, 17);
    markChecked(engine);
    return id;
  });
}

/** `count` open vote rounds of the skill's session; their task ids. */
export async function seedRounds(dataDir: string, count: number): Promise<string[]> {
  return withEngine(dataDir, (engine) => {
    const session = engine.sessions.active(SKILL)!;
    const before = new Set(engine.sessions.openRounds(SKILL).map((r) => r.taskId));
    openRounds(engine, session.id, count, (i) => `Screenshot-${before.size + i}.png`);
    return engine.sessions
      .openRounds(SKILL)
      .map((r) => r.taskId)
      .filter((id) => !before.has(id));
  });
}

/** Tasks served by arm `letter` without feedback yet, with the given ids. */
export async function seedServedTasks(dataDir: string, ids: string[], letter = 'A'): Promise<void> {
  await withEngine(dataDir, (engine) => {
    for (const id of ids) {
      engine.recordTask({ skill: SKILL, id, input: `${id}.png`, output: `served-${id}.png`, source: 'seed', variant: letter });
    }
  });
}

/** file-naming promoted to v2 and v3 (each from its own finished session), so rollbacks have somewhere to go. */
export async function seedPromotedVersions(dataDir: string, versions = 3): Promise<void> {
  writeQuietConfig(dataDir);
  await withEngine(dataDir, async (engine) => {
    for (let v = 2; v <= versions; v += 1) {
      const variants = FILE_NAMING_VARIANTS.map((x) => ({ ...x, prompt: `${x.prompt}\n(v${v})` }));
      await engine.evolve(SKILL, { variants, reason: 'manual' });
      engine.promoteByHand(SKILL, 'A');
    }
    markChecked(engine);
  });
}

/** Pending single-name proposals for `count` new PNG files in `folder`; their ids and the files as seeded. */
export async function seedProposals(dataDir: string, folder: string, count: number): Promise<{ ids: string[]; watched: WatchedFiles }> {
  fs.mkdirSync(folder, { recursive: true });
  const files = new Map<number, string>();
  const ids = await withEngine(dataDir, async (engine) => {
    engine.setSkillRunner(standInNamer());
    const proposals = engine.fileProposals({ source: 'seed' });
    const made: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const name = `Screenshot 2026-03-0${(i % 9) + 1} at 09.4${i}.png`;
      const file = path.join(folder, name);
      fs.writeFileSync(file, pngBytes(40 + i, 30));
      files.set(fs.statSync(file).ino, name);
      const proposal = await proposals.propose(file);
      made.push(proposal!.id);
    }
    await proposals.close();
    return made;
  });
  return { ids, watched: { folder: fs.realpathSync(folder), files } };
}
