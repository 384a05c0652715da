import { skillPrefix } from '../skills/skill-request';
import type { TextModel } from '../llm/types';

/** The part of a prompt every task shares (a skill template up to its {{input}} slot). */
export interface TaskPrefix {
  prompt: string;
}

/** A model that keeps pinned prompt prefixes evaluated while it is loaded (LlamaRuntime). */
export interface WarmTarget {
  setWarmPrefixes(owner: string, prefixes: readonly TaskPrefix[]): Promise<void>;
}

export interface TaskPrefixesDeps {
  /** The process's model if it is loaded now (never loads it), else null. */
  loadedModel: () => Promise<TextModel | null>;
  /** The templates a task of the skill is served with now: the active prompt, or every arm of its A/B test. */
  templatesOf: (skill: string) => string[];
}

/** The owner name the task prefixes are pinned under (the GA pins its own templates under another). */
export const TASK_PREFIX_OWNER = 'tasks';

const canWarm = (model: TextModel): model is TextModel & WarmTarget => typeof (model as Partial<WarmTarget>).setWarmPrefixes === 'function';

/**
 * Keeps the prefixes of the prompts tasks are served with pinned on the model: for every skill this process has
 * served, the active prompt's template before {{input}}, and during an A/B test every arm's. A task then evaluates
 * only its input and its answer, the first task of a vote round included.
 *
 * What is served is read again before every task and whenever refresh() is called (the app calls it when its state
 * changes, another process's commits included), so a promotion, a rollback or a session that starts or ends re-pins
 * the new prompts: only a changed set costs anything, as the pinned set is compared by its text.
 *
 * Off until enable(): a long-lived process (the app, `tinyarms serve`) turns it on; a one-shot CLI task would only pay
 * for warming arms it never runs (its own prompt's prefix is still reused through the request's cachePrefix).
 */
export class TaskPrefixes {
  private readonly skills = new Set<string>();
  private enabled = false;
  /** The set last pinned on each model instance (a new runtime after a model change starts with none). */
  private readonly pinned = new WeakMap<object, string>();

  constructor(private readonly deps: TaskPrefixesDeps) {}

  /** Keeps the served prompts' prefixes pinned from now on (a process that serves many tasks). */
  enable(): void {
    this.enabled = true;
  }

  /** Before a task of `skill` runs on `model`: pins what is served now if that changed (warming runs in the background). */
  beforeTask(model: TextModel, skill: string): void {
    if (!this.enabled) return;
    this.skills.add(skill);
    void this.sync(model).catch(() => undefined);
  }

  /** Re-reads what is served and re-pins it when it changed; does nothing while the model is not loaded. */
  async refresh(): Promise<void> {
    if (this.skills.size === 0) return;
    const model = await this.deps.loadedModel();
    if (model) await this.sync(model);
  }

  /** The prefixes that would be pinned now (sorted, distinct). */
  current(): TaskPrefix[] {
    const prompts = new Set<string>();
    for (const skill of [...this.skills].sort()) {
      let templates: string[];
      try {
        templates = this.deps.templatesOf(skill);
      } catch {
        templates = []; // a broken version or a skill gone: nothing to keep warm for it
      }
      for (const template of templates) prompts.add(skillPrefix(template));
    }
    return [...prompts].sort().map((prompt) => ({ prompt }));
  }

  /** Forgets the skills served so far and turns pinning off (tests). */
  reset(): void {
    this.skills.clear();
    this.enabled = false;
  }

  private async sync(model: TextModel): Promise<void> {
    if (!canWarm(model)) return;
    const prefixes = this.current();
    const key = prefixes.map((p) => p.prompt).join('\u0000');
    if (this.pinned.get(model) === key) return;
    this.pinned.set(model, key);
    await model.setWarmPrefixes(TASK_PREFIX_OWNER, prefixes);
  }
}
