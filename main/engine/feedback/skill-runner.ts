import type { Engine } from '../engine';
import { dataFolderModelPath, modelsDir } from '../llm/model-catalog';
import type { OutputKind } from '../skills/skill-file';
import { UserError } from '../util/errors';

export interface SkillRunOptions {
  signal?: AbortSignal;
  /** The A/B arm whose prompt this is ('B'), or null for the skill's active prompt. */
  variant?: string | null;
  /** The skill's output kind: 'filename' (one line), 'list', 'text', 'lint'; lets the runner pick a stop rule. */
  output?: OutputKind;
}

/**
 * Runs one skill prompt on one input with the real model; the lead wires the model-backed one.
 * `prompt` is the template containing {{input}}: the runner renders it (renderPrompt(prompt, input) from
 * skills/skill-file) and returns the model's raw answer. Callers parse it with parseOutput(kind, raw).
 */
export interface SkillRunner {
  run(skill: string, prompt: string, input: string, options?: SkillRunOptions): Promise<string>;
  /** Frees the model, if the runner owns one. */
  close?(): void | Promise<void>;
}

/** Builds the runner for an engine, or null when no model is available. */
export type SkillRunnerFactory = (engine: Engine) => SkillRunner | null | Promise<SkillRunner | null>;

let factory: SkillRunnerFactory | null = null;

/** Wires the model for `tinyarms task run` / `files propose|watch`; returns a function that unwires it. */
export function setSkillRunnerFactory(next: SkillRunnerFactory | null): () => void {
  factory = next;
  return () => {
    if (factory === next) factory = null;
  };
}

/** True when a runner factory is wired (a shell registers the model-backed one only when nothing else is). */
export const hasSkillRunnerFactory = (): boolean => factory !== null;

export function resetSkillRunnerFactory(): void {
  factory = null;
}

export async function openSkillRunner(engine: Engine): Promise<SkillRunner | null> {
  return factory ? await factory(engine) : null;
}

/** Where a model file is expected: the configured model_path, else the data folder's models/ copy of the default. */
export function expectedModelPath(engine: Engine): string {
  const configured = engine.ctx.config.config.prompt_evolution.smollm2.model_path;
  if (configured) return configured;
  try {
    return dataFolderModelPath(engine.dataDir);
  } catch {
    return modelsDir(engine.dataDir);
  }
}

export const noModelError = (engine: Engine): UserError =>
  new UserError(`no model available: put a GGUF at ${expectedModelPath(engine)} or run \`tinyarms model pull\``, { code: 'no_model' });

export async function requireSkillRunner(engine: Engine): Promise<SkillRunner> {
  const runner = await openSkillRunner(engine);
  if (!runner) throw noModelError(engine);
  return runner;
}
