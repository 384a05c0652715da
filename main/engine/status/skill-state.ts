import type { SkillStateKind, SkillStateView } from '../../../contract/api';
import { percent } from '../util/format';

export type { SkillStateKind } from '../../../contract/api';

/**
 * One live state per skill, in words. The app's skill rows, the tray menu, the popover and the CLI all show
 * what this function says, so they cannot disagree. Pure: everything it needs is read beforehand
 * (skill-status.ts gathers it from the engine).
 */
export const SKILL_STATE_KINDS: readonly SkillStateKind[] = [
  'collecting',
  'healthy',
  'needs-prompt',
  'evolving',
  'testing',
  'review',
  'promoted',
  'rolled-back',
  'paused',
  'off',
];

export type SkillStateTone = SkillStateView['tone'];

/** The contract's view: label with its numbers, one plain sentence (no ids, config keys or statistics jargon), a tone. */
export type SkillState = SkillStateView;

export interface EvolutionInput {
  phase: 'initialising' | 'evolving' | 'final-evaluation' | 'done' | 'cancelled' | 'failed';
  generation: number;
  generations: number;
  etaSeconds: number | null;
  building: { made: number; of: number } | null;
  /** A resumed run picking up after this generation, until it reports again. */
  resumeFrom: number | null;
  stop: 'paused' | 'cancelled' | 'failed' | null;
  /** Started by another process (the command line). */
  elsewhere: boolean;
}

export interface SkillStateInput {
  evolvable: boolean;
  /** The skill runs at all (not turned off in config.yaml). */
  enabled: boolean;
  /** Prompt evolution is switched on. */
  evolutionEnabled: boolean;
  modelAvailable: boolean;
  paused: boolean;
  accuracy: number | null;
  /** Results of the running version with the person's verdict, in the accuracy window. */
  samples: number;
  sampleSize: number;
  threshold: number;
  version: number;
  /** How the running version came to be: 'initial', 'imported', 'promotion', 'rollback'. */
  versionSource: string | null;
  /** The running A/B test: votes so far and how many more usually settle it (null when unknown). */
  test: { votes: number; moreVotes: number | null; flagged: boolean } | null;
  /** A finished test's winner waits for the person's review. */
  review: boolean;
  evolution: EvolutionInput | null;
  /** No evolution before this time (one per cool-down); null when none applies. */
  cooldownUntil: string | null;
  now: Date;
}

const RUNNING = new Set<EvolutionInput['phase']>(['initialising', 'evolving', 'final-evaluation']);

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "about 4 min left", "less than a minute left"; null when unknown. */
export function formatTimeLeft(seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return null;
  if (seconds < 60) return 'less than a minute left';
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `about ${minutes} min left`;
  return `about ${Math.round(minutes / 60)} h left`;
}

const dayFormat = new Intl.DateTimeFormat('en-US', { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' });

/** Where a test is, without naming a leader: "8 votes so far; a decision usually within ~12 more." */
export function testProgressSentence(votes: number, moreVotes: number | null): string {
  const so = votes === 0 ? 'No votes yet' : `${plural(votes, 'vote')} so far`;
  return moreVotes === null ? `${so}.` : `${so}; a decision usually within ~${moreVotes} more.`;
}

/** An evolution's step and, once it stopped, why, in words for its progress card. */
export interface EvolutionWords {
  status: 'running' | 'pausing' | 'stopped' | 'failed';
  step: string;
  note: string | null;
}

export function evolutionWords(e: EvolutionInput, paused: boolean): EvolutionWords {
  const at = e.generation > 0 ? `after generation ${e.generation} of ${e.generations}` : 'while writing the first prompts';
  if (RUNNING.has(e.phase)) {
    const step = e.building
      ? `Writing the first prompts (${e.building.made} of ${e.building.of})`
      : e.phase === 'final-evaluation'
        ? 'Comparing the best prompts'
        : e.resumeFrom !== null
          ? `Resuming after generation ${e.resumeFrom} of ${e.generations}`
          : `Generation ${e.generation} of ${e.generations}`;
    const note = paused ? 'Stops after this generation; goes on when you resume.' : e.elsewhere ? 'Started from the command line.' : null;
    return { status: paused ? 'pausing' : 'running', step, note };
  }
  if (e.stop === 'failed') return { status: 'failed', step: `Stopped ${at}`, note: 'It could not finish: try again, or dismiss it.' };
  if (e.stop === 'paused') {
    const note = paused ? 'It goes on when you resume.' : 'Resume it where it stopped, or dismiss it.';
    return { status: 'stopped', step: `Paused ${at}`, note };
  }
  return { status: 'stopped', step: `Stopped ${at}`, note: 'Resume it where it stopped, or dismiss it.' };
}

function evolvingLabel(e: EvolutionInput): string {
  if (e.building) return `Evolving (writing the first prompts, ${e.building.made} of ${e.building.of})`;
  if (e.phase === 'final-evaluation') return 'Evolving (comparing the best prompts)';
  if (e.resumeFrom !== null) return `Evolving (resuming after generation ${e.resumeFrom} of ${e.generations})`;
  const left = formatTimeLeft(e.etaSeconds);
  return `Evolving (generation ${e.generation} of ${e.generations}${left ? `, ${left}` : ''})`;
}

function testingLabel(test: NonNullable<SkillStateInput['test']>): string {
  const votes = test.votes === 0 ? 'no votes yet' : plural(test.votes, 'vote');
  if (test.moreVotes === null) return `Testing (${votes})`;
  return `Testing (${votes}; a decision usually within ~${test.moreVotes} more)`;
}

const kept = (input: SkillStateInput): string => `You kept ${percent(input.accuracy, '—')} of its last ${plural(input.samples, 'result')}`;

function needsPromptDetail(input: SkillStateInput): string {
  const e = input.evolution;
  if (e?.stop === 'cancelled' || e?.stop === 'paused') {
    return `The evolution stopped at generation ${e.generation} of ${e.generations}: resume it, or dismiss it.`;
  }
  if (e?.stop === 'failed') return 'The last evolution could not finish: try again, or dismiss it.';
  const below = `${kept(input)}, below your ${percent(input.threshold)}`;
  if (!input.evolvable) return `${below}. Its prompt is fixed, so tinyArms does not rewrite it.`;
  if (!input.evolutionEnabled) return `${below}. Evolution is turned off in your settings.`;
  if (!input.modelAvailable) return `${below}. tinyArms needs a model to write new prompts.`;
  if (input.cooldownUntil && Date.parse(input.cooldownUntil) > input.now.getTime()) {
    return `${below}. The next evolution can start ${dayFormat.format(new Date(input.cooldownUntil))}, or now if you ask.`;
  }
  return `${below}. Evolve now, or tinyArms starts at its next check.`;
}

function pausedDetail(input: SkillStateInput): string {
  const e = input.evolution;
  if (e?.stop === 'paused') return `Stopped after generation ${e.generation} of ${e.generations}; it goes on when you resume.`;
  if (input.samples >= input.sampleSize && input.accuracy !== null && input.accuracy < input.threshold) {
    return `${kept(input)}, below your ${percent(input.threshold)}; evolution waits until you resume.`;
  }
  return 'No new prompts are written until you resume.';
}

const since = (input: SkillStateInput): string => `${plural(input.samples, 'result')} of ${input.sampleSize} reviewed since`;

export function skillState(input: SkillStateInput): SkillState {
  const state = (kind: SkillStateKind, label: string, detail: string, tone: SkillStateTone): SkillState => ({ kind, label, detail, tone });
  const e = input.evolution;

  if (!input.enabled) return state('off', 'Off', 'Turned off in your settings: it does not run.', 'muted');
  if (e && RUNNING.has(e.phase)) {
    const detail = input.paused
      ? 'Pausing: it stops after this generation and goes on when you resume.'
      : e.elsewhere
        ? 'Started from the command line; tinyArms is writing and scoring new prompts.'
        : 'tinyArms is writing and scoring new prompts from your corrections.';
    return state('evolving', evolvingLabel(e), detail, 'accent');
  }
  if (input.test) {
    const detail = input.test.flagged
      ? 'The new prompts scored low while evolving: review them before you vote.'
      : 'When tinyArms asks which result is better, your vote counts here.';
    return state('testing', testingLabel(input.test), detail, 'accent');
  }
  if (input.review) {
    const detail = 'A new prompt won the test: compare it with the current one, then promote it or keep the current.';
    return state('review', 'Ready to review', detail, 'accent');
  }
  if (input.paused && input.evolvable) return state('paused', 'Paused', pausedDetail(input), 'muted');
  if (e?.stop === 'cancelled' || e?.stop === 'failed' || e?.stop === 'paused') {
    return state('needs-prompt', 'Needs a better prompt', needsPromptDetail(input), 'bad');
  }
  if (input.samples < input.sampleSize) {
    const { version } = input;
    if (input.versionSource === 'rollback') {
      return state('rolled-back', 'Rolled back', `Back to version ${version}; ${since(input)}.`, 'warn');
    }
    if (input.versionSource === 'promotion') return state('promoted', 'Promoted', `Version ${version} is in use; ${since(input)}.`, 'good');
    const detail = input.modelAvailable
      ? `tinyArms judges a skill once you have kept, edited or rejected ${input.sampleSize} of its results.`
      : 'It starts once tinyArms has a model to run it.';
    return state('collecting', `Collecting feedback (${input.samples} of ${input.sampleSize})`, detail, 'muted');
  }
  if (input.accuracy !== null && input.accuracy < input.threshold) {
    return state('needs-prompt', 'Needs a better prompt', needsPromptDetail(input), 'bad');
  }
  return state('healthy', 'Healthy', `${kept(input)}.`, 'good');
}
