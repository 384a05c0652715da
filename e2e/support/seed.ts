import fs from 'node:fs';
import path from 'node:path';
import { Engine } from '../../main/engine/engine';

// Seeds a temporary data folder through the engine itself, before `tinyarms serve` opens it.

export async function withEngine<T>(dataDir: string, fn: (engine: Engine) => T | Promise<T>): Promise<T> {
  const engine = Engine.open({ dataDir, seed: 'e2e' });
  try {
    return await fn(engine);
  } finally {
    engine.close();
  }
}

/** Tasks of the skill's current prompt with the user's verdicts: `accepted` of `total` accepted. */
export function recordFeedback(
  engine: Engine,
  skill: string,
  accepted: number,
  total: number,
  make = (i: number) => ({ input: `file-${i}.png`, output: `name-${i}.png` }),
): void {
  for (let i = 0; i < total; i++) {
    engine.recordTask({ skill, ...make(i), source: 'e2e' }, { outcome: i < accepted ? 'accepted' : 'rejected' });
  }
}

const variant = (text: string) => ({ prompt: `${text}\n\nFile: {{input}}`, source: 'file' as const, reasoning: 'e2e variant' });

export const FILE_NAMING_VARIANTS = [
  variant('Analyze the image and rename using [main-subject]-[context]-[type].extension, 3-5 words, kebab-case.'),
  variant('Describe the image as a filename: subject, notable colours, purpose. Max 5 words, kebab-case.'),
  variant(
    'Rename based on visual analysis.\nPriority: 1) main subject 2) platform 3) version 4) state.\nFormat: subject-platform-version-state.extension',
  ),
];

/** An A/B session on file-naming (arms A, B, C), the old prompt measured at `baseAccepted`/20. */
export async function startFileNamingSession(engine: Engine, baseAccepted = 12): Promise<string> {
  recordFeedback(engine, 'file-naming', baseAccepted, 20);
  const session = await engine.evolve('file-naming', { variants: FILE_NAMING_VARIANTS, reason: 'accuracy_drop' });
  return session.id;
}

/** Served tasks of one arm with the user's verdicts (the promotion guard wants ≥ min_served_tasks). */
export function recordServed(engine: Engine, skill: string, letter: string, accepted: number, total: number): void {
  for (let i = 0; i < total; i++) {
    engine.recordTask(
      { skill, input: `served-${letter}-${i}.png`, output: `served-${letter}-${i}.png`, source: 'e2e', variant: letter },
      { outcome: i < accepted ? 'accepted' : 'rejected' },
    );
  }
}

/** Vote rounds whose C output is recognisable: `c-choice-<n>.png`. */
export function openRounds(
  engine: Engine,
  sessionId: string,
  count: number,
  inputs = (i: number) => `Screenshot-2026-11-${String(i + 1).padStart(2, '0')}.png`,
): void {
  for (let i = 0; i < count; i++) {
    engine.sessions.openRound(sessionId, {
      input: inputs(i),
      outputs: { A: `a-hero-section-${i + 1}.png`, B: `b-blue-header-${i + 1}.png`, C: `c-choice-${i + 1}.png` },
    });
  }
}

export function writeConfig(dataDir: string, text: string): string {
  const file = path.join(dataDir, 'config.yaml');
  fs.writeFileSync(file, text);
  return file;
}
