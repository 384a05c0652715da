import type { SkillRunner } from '../feedback/skill-runner';
import { filenameWords } from '../skills/filename-words';
import { parseOutput } from '../skills/output-parsers';
import type { FileFacts } from './metadata';

export interface NamerContext {
  /** The skill, 'file-naming'. */
  skill: string;
  /** The prompt template to run (with {{input}}): the active prompt or the allocated A/B arm's. */
  prompt: string;
  /** The A/B arm letter when an arm serves this file, else null. */
  variant: string | null;
  facts: FileFacts;
  signal?: AbortSignal;
}

export interface NamerArm {
  letter: string;
  prompt: string;
}

/**
 * Proposes file names. `input` is the compact file description (describeFile). Outputs are the skill's
 * parsed output (parseOutput 'filename'); the proposals service sanitises them, so a namer may return anything.
 */
export interface FileNamer {
  name(input: string, context: NamerContext): Promise<{ output: string; variant?: string }>;
  /** A vote round: one name per A/B arm, keyed by arm letter. */
  nameWithArms(input: string, arms: readonly NamerArm[], context: Omit<NamerContext, 'prompt' | 'variant'>): Promise<Record<string, string>>;
}

/** The real namer: the skill runner (the model) with each prompt, its answer parsed as a file name. */
export function namerFromRunner(runner: SkillRunner): FileNamer {
  const run = async (input: string, prompt: string, context: Omit<NamerContext, 'prompt'>): Promise<string> =>
    parseOutput('filename', await runner.run(context.skill, prompt, input, { signal: context.signal, variant: context.variant, output: 'filename' }));
  return {
    async name(input, context) {
      return { output: await run(input, context.prompt, context), variant: context.variant ?? undefined };
    },
    async nameWithArms(input, arms, context) {
      // All arms at once, so the runtime batches them.
      const answers = await Promise.all(arms.map((arm) => run(input, arm.prompt, { ...context, variant: arm.letter })));
      return Object.fromEntries(arms.map((arm, i) => [arm.letter, answers[i]]));
    },
  };
}

export type StandInPick = (input: string, context: { facts: FileFacts; variant: string | null }) => string;

/**
 * A deterministic stand-in for tests and demos: a kebab-case name from what the description says
 * (a PDF's title, a text's first words, an image's name and size). Pass `pick` to script exact answers.
 */
export function standInNamer(pick: StandInPick = describeForName): FileNamer {
  return {
    async name(input, context) {
      return { output: pick(input, { facts: context.facts, variant: context.variant }), variant: context.variant ?? undefined };
    },
    async nameWithArms(input, arms, context) {
      return Object.fromEntries(arms.map((arm) => [arm.letter, pick(input, { facts: context.facts, variant: arm.letter })]));
    },
  };
}

function describeForName(_input: string, { facts, variant }: { facts: FileFacts; variant: string | null }): string {
  const source = facts.pdf?.title ?? facts.excerpt ?? facts.name.slice(0, facts.name.length - facts.extension.length);
  const words = filenameWords(source).slice(0, 5);
  if (facts.image?.width && facts.image.height) words.push(`${facts.image.width}x${facts.image.height}`);
  if (variant) words.push(variant.toLowerCase());
  return `${(words.length ? words : ['file']).join('-')}${facts.extension.toLowerCase()}`;
}
