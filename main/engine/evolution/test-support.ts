import type { EngineContext } from '../context';
import { DeterministicTextModel } from '../llm/deterministic-text-model';
import type { GenerateRequest, GenerateResult, TextModel } from '../llm/types';
import { loadShippedGold } from '../gold/gold-file';
import { renderPrompt } from '../skills/skill-file';
import { BUNDLED_SKILLS_DIR } from '../skills/skill-registry';
import { tempEngine, type TempEngine } from '../../test-support/temp-engine';
import { sha256 } from '../util/ids';
import type { EvolutionSettings } from './types';

export interface NamingCase {
  input: string;
  expected: string;
  wrong: string;
}

export const NAMING_CASES: NamingCase[] = Array.from({ length: 30 }, (_, i) => {
  const subjects = ['golden-gate-bridge', 'invoice-acme', 'login-form', 'birthday-cake', 'pricing-table', 'q3-report'];
  const subject = `${subjects[i % subjects.length]}-${i}`;
  return {
    input: `IMG_${1000 + i}.png | photo | text in image: '${subject.replace(/-/g, ' ')}'`,
    expected: `${subject}.png`,
    wrong: `image-${i}.png`,
  };
});

/** A temp engine whose file-naming history has `failures` edited tasks and `accepted` accepted ones. */
export function engineWithHistory(failures: number, accepted = 0): TempEngine {
  const t = tempEngine();
  NAMING_CASES.slice(0, failures + accepted).forEach((c, i) => {
    t.clock.advance(60_000);
    const ok = i >= failures;
    t.engine.recordTask(
      { skill: 'file-naming', id: `task-${i}`, input: c.input, output: ok ? c.expected : c.wrong },
      ok ? { outcome: 'accepted' } : { outcome: 'edited', finalOutput: c.expected },
    );
  });
  return t;
}

const word = (seed: string, n: number): string[] =>
  Array.from(
    { length: n },
    (_, i) =>
      ['subject', 'clear', 'short', 'dates', 'version', 'camera', 'text', 'main', 'topic', 'place', 'brand', 'kind'][
        parseInt(sha256(`${seed}|${i}`).slice(0, 6), 16) % 12
      ],
  );

/**
 * A stand-in that behaves like a (very) small instruct model: mutation answers are new prompts that
 * mostly keep {{input}} (1 in 5 lose it); a skill run names the file right when its prompt says "subject".
 */
export function namingModel(options: { dropPlaceholderEvery?: number } = {}): DeterministicTextModel {
  const expected = new Map(NAMING_CASES.map((c) => [c.input, c]));
  const drop = options.dropPlaceholderEvery ?? 5;
  return new DeterministicTextModel((request: GenerateRequest) => {
    const key = sha256(JSON.stringify([request.prompt, request.seed ?? 0]));
    // Mutation calls; like a runtime without grammar support, the stand-in may still drop the slot.
    if (request.stop === 'bare' || request.stop === 'prompt') {
      if (request.prompt.includes('IMPROVED INSTRUCTION:')) return `Rewrite the prompt and mention the ${word(key, 3).join(' ')}.`;
      const words = word(key, 8).join(' ');
      const n = parseInt(key.slice(0, 4), 16);
      return n % drop === 0 ? `Name the file by ${words}.` : `Name the file by ${words}.\nUse kebab-case.\n\nFile: {{input}}`;
    }
    const match = [...expected.values()].find((c) => request.prompt.includes(c.input));
    if (!match) return 'unknown.png';
    const instructions = request.prompt.slice(0, request.prompt.indexOf(match.input));
    return instructions.includes('subject') ? match.expected : match.wrong;
  }, 'naming-stand-in');
}

/** Small, fast settings for tests. */
export const SMALL: Partial<EvolutionSettings> = {
  populationSize: 6,
  generations: 3,
  evaluationSamples: 3,
  finalEvaluationSamples: 6,
  maxLlmCalls: 5000,
  seed: 7,
  variants: 3,
};

/** Wraps a model and keeps every skill evaluation (a 'line' request) sent to it, to prove none ran twice. */
export class EvaluationRecorder implements TextModel {
  readonly evaluated: string[] = [];
  constructor(private readonly inner: TextModel) {
    if (inner.countPromptTokens) this.countPromptTokens = (request) => inner.countPromptTokens!(request);
  }
  get id(): string {
    return this.inner.id;
  }
  generate(request: GenerateRequest): Promise<GenerateResult> {
    this.record([request]);
    return this.inner.generate(request);
  }
  generateBatch(requests: readonly GenerateRequest[], options?: { signal?: AbortSignal }): Promise<GenerateResult[]> {
    this.record(requests);
    return this.inner.generateBatch(requests, options);
  }
  /** The wrapped model's tokenizer, when it has one (so the projection counts and probes as it would). */
  readonly countPromptTokens?: (request: Pick<GenerateRequest, 'system' | 'prompt'>) => Promise<number>;
  private record(requests: readonly GenerateRequest[]): void {
    for (const r of requests) if (r.stop === 'line') this.evaluated.push(r.prompt);
  }
}

/**
 * The rendered skill prompts of every evaluation a run has cached: what a resumed run must not send again. Examples
 * are tasks, pinned tasks or the skill's shipped gold examples (every evaluation set includes some).
 */
export function cachedEvaluationPrompts(db: EngineContext['db'], runId: string, skill = 'file-naming'): Set<string> {
  const rows = db
    .prepare(
      `SELECT DISTINCT u.prompt, f.example_id AS exampleId, COALESCE(h.input, g.input) AS input FROM fitness_cache f
       JOIN evolution_units u ON u.prompt_hash = f.prompt_hash AND u.run_id = f.run_id
       LEFT JOIN task_history h ON h.id = f.example_id LEFT JOIN gold_pins g ON g.task_id = f.example_id WHERE f.run_id = ?`,
    )
    .all(runId) as { prompt: string; exampleId: string; input: string | null }[];
  const shipped = new Map(loadShippedGold(BUNDLED_SKILLS_DIR, { name: skill }).map((g) => [g.id, g.input]));
  return new Set(rows.map((r) => renderPrompt(r.prompt, r.input ?? shipped.get(r.exampleId)!)));
}
