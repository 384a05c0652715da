import type { ConfigIssue, ConfigPath } from './config-issue';
import {
  bool,
  checkRelations,
  checkRule,
  existingFile,
  existingFolder,
  int,
  isoDate,
  list,
  nullable,
  num,
  obj,
  oneOf,
  optional,
  record,
  share,
  str,
  type Infer,
  type Locate,
  type Relation,
  type Rule,
} from './schema-rules';

// The configuration schema: one line per key. Defaults live in defaults.yaml; a test keeps the two in step.

const accuracy = (description: string) => share(description);

export const SKILL_HISTORY_ENTRY = obj({
  version: int('Prompt version this entry describes', { min: 1 }),
  active_since: optional(isoDate('Date this version became active')),
  active_period: optional(str('Free text, e.g. "2024-09-15 to 2024-11-10"')),
  accuracy: optional(nullable(accuracy('Accuracy measured while this version was active'))),
  reason: optional(str('Why this version was replaced or introduced')),
  source: optional(str('Where this version came from, e.g. "SmolLM2 evolution (variant C)"')),
});

export const SKILL_ENTRY = obj({
  enabled: optional(bool('Run this skill at all')),
  prompt_template: optional(str('Prompt file (relative to the data folder) or inline prompt text')),
  prompt_version: optional(int('Version number of the active prompt', { min: 1 })),
  evolved_at: optional(isoDate('When the active prompt was promoted')),
  previous_accuracy: optional(nullable(accuracy('Accuracy of the prompt before the last promotion'))),
  current_accuracy: optional(nullable(accuracy('Accuracy of the active prompt'))),
  evolution_history: optional(list(SKILL_HISTORY_ENTRY, 'Past and present prompt versions')),
});

export const CONFIG_SCHEMA = obj({
  prompt_evolution: obj({
    enabled: bool("Evolve prompts when a skill's accuracy drops"),
    cross_skill_learning: bool('Share what evolution learns between skills: mutation prompts drawn by credit, lessons transferred'),
    triggers: obj({
      accuracy_threshold: accuracy('Below this accuracy, evolve'),
      sample_size: int('Tasks needed in the window before judging', { min: 1 }),
      cooldown_hours: num('At most one evolution per skill per this many hours', { min: 0 }),
      window_days: int('Accuracy window in days', { min: 1 }),
      check_interval_hours: num('How often the monitor checks accuracy', { min: 1 }),
    }),
    ab_testing: obj({
      rule: oneOf(['joint', 'dirichlet'] as const, 'Decision rule: joint (every signal, every vote) or dirichlet (the rule before)'),
      votes_required: int('Planned number of counted votes N; the test ends here', { min: 2 }),
      min_votes: int('Votes before the first look', { min: 1 }),
      look_every: int('Votes between looks after the first', { min: 1 }),
      decision_confidence: num('Winner when P(best) >= this at a look', { min: 0.5, max: 1 }),
      probable_confidence: num('At the end: probable winner when P(best) >= this', { min: 0.5, max: 1 }),
      boundary_from_vote: int('Evan Miller backup boundary applies from this vote', { min: 1 }),
      max_duration_days: num('Force a decision after this many days', { min: 0 }),
      show_probability: accuracy("Share of a skill's tasks shown as a vote round"),
      drop_below: num('Joint rule: an arm whose P(best) falls below this leaves later rounds', { min: 0, max: 0.5 }),
      prior_votes: num("Joint rule: Dirichlet prior of each arm's pick share", { min: 0.01, max: 100 }),
      offline_weight: num('Joint rule: pseudo-votes per held-out example behind the offline score', { min: 0, max: 1 }),
      served_slope: num('Joint rule: served acceptance logit per unit of log pick share', { min: 0.01, max: 5 }),
    }),
    smollm2: obj({
      model: str('Model to load (node-llama-cpp URI)'),
      model_path: nullable(existingFile('Explicit GGUF path; null = data folder models/, else download')),
      quantization: str('Quantization of the model file'),
      context_window: int('Context window in tokens', { min: 512 }),
      variants_per_evolution: int('Variants offered per evolution', { min: 1, max: 10 }),
      latency_budget_ms: int('Time budget per generation in milliseconds', { min: 100 }),
    }),
    learning: obj({
      min_accuracy_improvement: accuracy('Smallest accuracy gain worth promoting'),
      rollback_threshold: accuracy('Roll back a promoted prompt whose accuracy falls below this'),
      min_served_tasks: int('Served tasks with feedback a winner needs before auto-promotion', { min: 0 }),
      promotion_confidence: num("Auto-promotion needs P(winner's acceptance > old prompt's) >= this; 0 = off", { min: 0, max: 1 }),
      probable_promotion_confidence: num('The same for a probable winner; 0 = off', { min: 0, max: 1 }),
    }),
    evolution: obj({
      population_size: int('Candidate prompts per generation', { min: 2 }),
      generations: int('Generations per run', { min: 1 }),
      evaluation_samples: int('Examples scored per tournament match', { min: 1 }),
      final_evaluation_samples: int('Examples scored for the final ranking', { min: 1 }),
      tournaments_per_generation: nullable(int('Tournaments per generation; null = population_size / 2', { min: 1 })),
      max_llm_calls: int('Hard budget of model calls per run', { min: 1 }),
      similarity_threshold: accuracy('Candidates more similar than this are near-duplicates'),
      threads: nullable(int('CPU threads per model context; null = automatic', { min: 1 })),
      contexts: nullable(
        int('Model contexts decoding in parallel; null = automatic (CPU: one per core for tasks, one per sequence during an evolution)', {
          min: 1,
          max: 16,
        }),
      ),
      context_size: int('Context size in tokens for evolution runs', { min: 256 }),
      temperature: num('Sampling temperature for mutations', { min: 0, max: 2 }),
      max_tokens: int('Token cap per generated prompt', { min: 1 }),
      seed: nullable(int('Random seed; null = random', { min: 0 })),
    }),
    gold: obj({
      share: num('Share of every evaluation set taken from gold examples (shipped and pinned); 0 = none', { min: 0, max: 0.5 }),
      reset_reminder: bool('Suggest resetting a skill that drifted far from its default prompt and does worse (at most monthly)'),
      drift_threshold: accuracy('Drift from the default prompt (word edit distance / longer prompt) that counts as far'),
    }),
  }),
  skills: record(
    SKILL_ENTRY,
    { pattern: /^[a-z0-9]+(-[a-z0-9]+)*$/, hint: 'skill names must be kebab-case, e.g. file-naming' },
    'Per-skill settings',
  ),
  app: obj({
    tray_title: bool('Show the accuracy next to the menu-bar icon'),
    notifications: bool('Show notifications'),
    launch_at_login: bool('Start tinyArms when you log in'),
    show_confidence_before_vote: bool("Show each option's confidence before you vote (off: shown after, so it cannot steer the vote)"),
  }),
  watch: obj({
    enabled: bool('Propose names for new files in the watched folders'),
    folders: list(existingFolder('Folder to watch'), 'Folders whose new files are offered to skills; empty = the screenshots folder'),
    settle_ms: int('A new file must keep the same size this long before it is named', { min: 50 }),
    max_name_length: int('Longest proposed file name in UTF-8 bytes, extension included', { min: 16, max: 255 }),
  }),
  team: obj({
    folder: nullable(existingFolder('Shared folder a sync tool keeps in step (iCloud Drive, Dropbox, a git repo); null = not in a team')),
    member: nullable(str('Your name in the team folder (letters, digits, - _ .); null = <user>-<hostname>')),
    peer_vote_weight: num("A teammate's pick counts as this many of yours in the A/B posterior", { min: 0, max: 1 }),
    share_inputs: bool('Also share the inputs of your vote rounds (off: vote counts only)'),
  }),
});

export type TinyArmsConfig = Infer<typeof CONFIG_SCHEMA>;
export type PromptEvolutionConfig = TinyArmsConfig['prompt_evolution'];
export type TriggersConfig = PromptEvolutionConfig['triggers'];
export type AbTestingConfig = PromptEvolutionConfig['ab_testing'];
export type SmolLM2Config = PromptEvolutionConfig['smollm2'];
export type LearningConfig = PromptEvolutionConfig['learning'];
export type EvolutionConfig = PromptEvolutionConfig['evolution'];
export type GoldConfig = PromptEvolutionConfig['gold'];
export type AppConfig = TinyArmsConfig['app'];
export type WatchConfig = TinyArmsConfig['watch'];
export type TeamConfig = TinyArmsConfig['team'];
export type SkillConfigEntry = Infer<typeof SKILL_ENTRY>;
export type SkillHistoryEntry = Infer<typeof SKILL_HISTORY_ENTRY>;

const ab = (key: string): ConfigPath => ['prompt_evolution', 'ab_testing', key];

/** Relations between keys, checked on the merged configuration; the words name each key for people at a field. */
export const RELATIONS: readonly Relation[] = [
  {
    key: ab('min_votes'),
    other: ab('votes_required'),
    relation: 'at most',
    words: { key: 'the votes a test waits for before its first look', other: 'the votes per test' },
  },
  {
    key: ab('boundary_from_vote'),
    other: ab('votes_required'),
    relation: 'at most',
    words: { key: 'the vote from which a clear lead ends a test', other: 'the votes per test' },
  },
  {
    key: ab('probable_confidence'),
    other: ab('decision_confidence'),
    relation: 'at most',
    share: true,
    words: { key: 'the confidence that names a probable winner when a test ends', other: 'the confidence that decides a test early' },
  },
  {
    key: ['prompt_evolution', 'learning', 'rollback_threshold'],
    other: ['prompt_evolution', 'triggers', 'accuracy_threshold'],
    relation: 'below',
    share: true,
    words: { key: 'the accuracy below which a promoted prompt is rolled back', other: 'the accuracy below which a skill is evolved' },
  },
];

export interface ValidateOptions {
  file: string;
  /** Line of a key or value in the file; omit for values with no source text. */
  locate?: Locate;
  /** true (default) for a user file, where keys may be left out; false for a merged configuration. */
  partial?: boolean;
  /** Paths must name existing files and folders (a write; see CheckContext.checkFiles). */
  checkFiles?: boolean;
}

/** Validates a parsed user file (partial) or a merged configuration (complete). Never throws. */
export function validateConfig(value: unknown, options: ValidateOptions): ConfigIssue[] {
  const locate = options.locate ?? (() => null);
  const issues: ConfigIssue[] = [];
  const partial = options.partial ?? true;
  checkRule(CONFIG_SCHEMA as Rule, value, [], { file: options.file, locate, partial, issues, checkFiles: options.checkFiles });
  if (!partial && issues.length === 0) checkRelations(value, RELATIONS, { file: options.file, locate, issues });
  return issues;
}
