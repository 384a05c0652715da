import { describe, expect, it } from 'vitest';
import {
  evolutionWords,
  formatTimeLeft,
  SKILL_STATE_KINDS,
  skillState,
  testProgressSentence,
  type EvolutionInput,
  type SkillStateInput,
} from './skill-state';

const NOW = new Date('2026-11-20T10:00:00.000Z');

const input = (overrides: Partial<SkillStateInput> = {}): SkillStateInput => ({
  evolvable: true,
  enabled: true,
  evolutionEnabled: true,
  modelAvailable: true,
  paused: false,
  accuracy: 0.91,
  samples: 44,
  sampleSize: 20,
  threshold: 0.8,
  version: 1,
  versionSource: 'initial',
  test: null,
  review: false,
  evolution: null,
  cooldownUntil: null,
  now: NOW,
  ...overrides,
});

const evolution = (overrides: Partial<EvolutionInput> = {}): EvolutionInput => ({
  phase: 'evolving',
  generation: 3,
  generations: 30,
  etaSeconds: 240,
  building: null,
  resumeFrom: null,
  stop: null,
  elsewhere: false,
  ...overrides,
});

// Words people must never meet in the popover.
const LEAKS = /\b(task|tasks|task\(s\)|P\(best\)|fitness|ses_|evo_|config\.yaml|prompt_evolution|[a-z]+_[a-z]+)\b/;

describe('skillState: every state and its words', () => {
  const cases: [string, SkillStateInput, string, string, RegExp][] = [
    [
      'collecting',
      input({ samples: 12, accuracy: 0.75 }),
      'collecting',
      'Collecting feedback (12 of 20)',
      /judges a skill once you have kept, edited or rejected 20/,
    ],
    [
      'collecting without a model',
      input({ samples: 0, accuracy: null, modelAvailable: false }),
      'collecting',
      'Collecting feedback (0 of 20)',
      /once tinyArms has a model/,
    ],
    ['healthy', input(), 'healthy', 'Healthy', /^You kept 91% of its last 44 results\.$/],
    [
      'needs a better prompt',
      input({ accuracy: 0.75, samples: 20 }),
      'needs-prompt',
      'Needs a better prompt',
      /You kept 75% of its last 20 results, below your 80%\. Evolve now/,
    ],
    [
      'needs, cooling down',
      input({ accuracy: 0.75, cooldownUntil: '2026-11-24T08:00:00.000Z' }),
      'needs-prompt',
      'Needs a better prompt',
      /next evolution can start Tue, Nov 24, or now if you ask/,
    ],
    [
      'needs, no model',
      input({ accuracy: 0.6, modelAvailable: false }),
      'needs-prompt',
      'Needs a better prompt',
      /needs a model to write new prompts/,
    ],
    ['needs, fixed prompt', input({ accuracy: 0.6, evolvable: false }), 'needs-prompt', 'Needs a better prompt', /Its prompt is fixed/],
    [
      'needs, evolution off',
      input({ accuracy: 0.6, evolutionEnabled: false }),
      'needs-prompt',
      'Needs a better prompt',
      /Evolution is turned off/,
    ],
    [
      'evolving',
      input({ evolution: evolution() }),
      'evolving',
      'Evolving (generation 3 of 30, about 4 min left)',
      /writing and scoring new prompts/,
    ],
    [
      'evolving, building the first population',
      input({ evolution: evolution({ phase: 'initialising', generation: 0, etaSeconds: null, building: { made: 3, of: 19 } }) }),
      'evolving',
      'Evolving (writing the first prompts, 3 of 19)',
      /writing and scoring/,
    ],
    [
      'evolving, resumed',
      input({ evolution: evolution({ phase: 'initialising', generation: 0, resumeFrom: 2, etaSeconds: null }) }),
      'evolving',
      'Evolving (resuming after generation 2 of 30)',
      /scoring/,
    ],
    [
      'evolving, final ranking',
      input({ evolution: evolution({ phase: 'final-evaluation' }) }),
      'evolving',
      'Evolving (comparing the best prompts)',
      /scoring/,
    ],
    [
      'evolving, started elsewhere',
      input({ evolution: evolution({ elsewhere: true, etaSeconds: null }) }),
      'evolving',
      'Evolving (generation 3 of 30)',
      /Started from the command line/,
    ],
    [
      'evolving while pausing',
      input({ paused: true, evolution: evolution() }),
      'evolving',
      'Evolving (generation 3 of 30, about 4 min left)',
      /Pausing: it stops after this generation/,
    ],
    [
      'evolution stopped',
      input({ accuracy: 0.7, evolution: evolution({ phase: 'cancelled', stop: 'cancelled' }) }),
      'needs-prompt',
      'Needs a better prompt',
      /stopped at generation 3 of 30: resume it, or dismiss it/,
    ],
    [
      'evolution failed',
      input({ accuracy: 0.7, evolution: evolution({ phase: 'failed', stop: 'failed' }) }),
      'needs-prompt',
      'Needs a better prompt',
      /could not finish/,
    ],
    [
      'testing',
      input({ test: { votes: 8, moreVotes: 12, flagged: false } }),
      'testing',
      'Testing (8 votes; a decision usually within ~12 more)',
      /your vote counts/,
    ],
    [
      'testing, first vote',
      input({ test: { votes: 1, moreVotes: 40, flagged: false } }),
      'testing',
      'Testing (1 vote; a decision usually within ~40 more)',
      /vote/,
    ],
    ['testing, none yet', input({ test: { votes: 0, moreVotes: null, flagged: false } }), 'testing', 'Testing (no votes yet)', /vote/],
    [
      'testing, flagged',
      input({ test: { votes: 2, moreVotes: 20, flagged: true } }),
      'testing',
      'Testing (2 votes; a decision usually within ~20 more)',
      /review them before you vote/,
    ],
    ['ready to review', input({ review: true }), 'review', 'Ready to review', /promote it or keep the current/],
    [
      'promoted',
      input({ version: 2, versionSource: 'promotion', samples: 5 }),
      'promoted',
      'Promoted',
      /^Version 2 is in use; 5 results of 20 reviewed since\.$/,
    ],
    [
      'rolled back',
      input({ version: 1, versionSource: 'rollback', samples: 1 }),
      'rolled-back',
      'Rolled back',
      /^Back to version 1; 1 result of 20 reviewed since\.$/,
    ],
    ['paused', input({ paused: true }), 'paused', 'Paused', /No new prompts are written until you resume/],
    [
      'paused below the threshold',
      input({ paused: true, accuracy: 0.7 }),
      'paused',
      'Paused',
      /below your 80%; evolution waits until you resume/,
    ],
    [
      'paused mid-evolution',
      input({ paused: true, evolution: evolution({ phase: 'cancelled', stop: 'paused' }) }),
      'paused',
      'Paused',
      /Stopped after generation 3 of 30; it goes on when you resume/,
    ],
    ['off', input({ enabled: false, test: { votes: 1, moreVotes: 2, flagged: false } }), 'off', 'Off', /does not run/],
  ];

  it.each(cases)('%s', (_name, given, kind, label, detail) => {
    const state = skillState(given);
    expect(state.kind).toBe(kind);
    expect(state.label).toBe(label);
    expect(state.detail).toMatch(detail);
    expect(`${state.label} ${state.detail}`).not.toMatch(LEAKS);
  });

  it('covers every state', () => {
    expect(new Set(cases.map((c) => c[2]))).toEqual(new Set(SKILL_STATE_KINDS));
  });

  it('puts what is live first: an evolution over a test, a test over a review, a review over pause', () => {
    expect(skillState(input({ evolution: evolution(), test: { votes: 1, moreVotes: 3, flagged: false } })).kind).toBe('evolving');
    expect(skillState(input({ test: { votes: 1, moreVotes: 3, flagged: false }, review: true })).kind).toBe('testing');
    expect(skillState(input({ review: true, paused: true })).kind).toBe('review');
    // A skill whose prompt is fixed is never "paused": pause only stops evolution.
    expect(skillState(input({ paused: true, evolvable: false })).kind).toBe('healthy');
  });

  it('says a promotion or rollback until the new version has enough results, then judges it', () => {
    expect(skillState(input({ versionSource: 'promotion', samples: 19 })).kind).toBe('promoted');
    expect(skillState(input({ versionSource: 'promotion', samples: 20, accuracy: 0.9 })).kind).toBe('healthy');
    expect(skillState(input({ versionSource: 'rollback', samples: 20, accuracy: 0.5 })).kind).toBe('needs-prompt');
  });
});

describe('formatTimeLeft', () => {
  it('speaks in minutes or hours', () => {
    expect(formatTimeLeft(null)).toBeNull();
    expect(formatTimeLeft(20)).toBe('less than a minute left');
    expect(formatTimeLeft(240)).toBe('about 4 min left');
    expect(formatTimeLeft(3 * 3600)).toBe('about 3 h left');
  });
});

describe('testProgressSentence', () => {
  it('counts votes and says what usually remains, never who leads', () => {
    expect(testProgressSentence(0, 30)).toBe('No votes yet; a decision usually within ~30 more.');
    expect(testProgressSentence(1, null)).toBe('1 vote so far.');
    expect(testProgressSentence(8, 12)).toBe('8 votes so far; a decision usually within ~12 more.');
  });
});

describe('evolutionWords', () => {
  it('names the step while running, pausing, stopped, paused and failed', () => {
    expect(evolutionWords(evolution({ phase: 'initialising', building: { made: 3, of: 19 } }), false)).toEqual({
      status: 'running',
      step: 'Writing the first prompts (3 of 19)',
      note: null,
    });
    expect(evolutionWords(evolution(), false).step).toBe('Generation 3 of 30');
    expect(evolutionWords(evolution({ elsewhere: true }), false).note).toBe('Started from the command line.');
    expect(evolutionWords(evolution(), true)).toMatchObject({
      status: 'pausing',
      note: 'Stops after this generation; goes on when you resume.',
    });
    expect(evolutionWords(evolution({ phase: 'final-evaluation' }), false).step).toBe('Comparing the best prompts');
    expect(evolutionWords(evolution({ phase: 'cancelled', stop: 'cancelled' }), false)).toEqual({
      status: 'stopped',
      step: 'Stopped after generation 3 of 30',
      note: 'Resume it where it stopped, or dismiss it.',
    });
    expect(evolutionWords(evolution({ phase: 'cancelled', stop: 'paused' }), true)).toEqual({
      status: 'stopped',
      step: 'Paused after generation 3 of 30',
      note: 'It goes on when you resume.',
    });
    expect(evolutionWords(evolution({ phase: 'failed', stop: 'failed', generation: 0 }), false)).toEqual({
      status: 'failed',
      step: 'Stopped while writing the first prompts',
      note: 'It could not finish: try again, or dismiss it.',
    });
  });
});
