/**
 * The views of the one contract (api.ts re-exports them): what the engine side sends the renderer. Plain data only:
 * everything here must survive structured clone and JSON.
 */
import type { TeamOfferView, TeamView } from './team-view';

/** An evolution's progress event, as the engine's run reports it (the CLI's progress bar prints it). */
export interface EvolutionProgressView {
  skill: string;
  phase: 'initialising' | 'evolving' | 'final-evaluation' | 'done' | 'cancelled' | 'failed';
  generation: number;
  generations: number;
  bestFitness: number | null;
  meanFitness: number | null;
  llmCalls: number;
  maxLlmCalls: number;
  tokensPerSecond: number | null;
  etaSeconds: number | null;
  message: string | null;
}

/** A skill's one live state (the engine's skill-state function), the same in the tray, the popover and the CLI. */
export type SkillStateKind =
  | 'collecting'
  | 'healthy'
  | 'needs-prompt'
  | 'evolving'
  | 'testing'
  | 'review'
  | 'promoted'
  | 'rolled-back'
  | 'paused'
  | 'off';

export interface SkillStateView {
  kind: SkillStateKind;
  /** "Collecting feedback (12 of 20)", "Testing (8 votes; a decision usually within ~12 more)". */
  label: string;
  /** One plain sentence: what it means, or what happens next. */
  detail: string;
  tone: 'good' | 'warn' | 'bad' | 'accent' | 'muted';
}

/** An evolution as the popover shows it: from its first second (writing the first prompts counts) to its end. */
export interface EvolutionView {
  /** running; pausing (stops after this generation); stopped (paused or cancelled: resumable); failed. */
  status: 'running' | 'pausing' | 'stopped' | 'failed';
  /** Where it is, in words: "Writing the first prompts (3 of 19)", "Generation 3 of 30", "Stopped after generation 3 of 30". */
  step: string;
  /** 0–1 of the whole run. */
  fraction: number;
  /** "about 4 min left"; null when unknown or not running. */
  timeLeft: string | null;
  /** Started by another process (the command line): it can be watched here, not cancelled. */
  elsewhere: boolean;
  /** Why it stopped or failed, in words; null while running. */
  note: string | null;
}

/** A finished (or flagged) test's winner, for the person to compare and decide on. */
export interface ReviewView {
  /** The arm to promote; passed back to promote(), never shown. */
  letter: string;
  /** 'decided': the test ended with this winner; 'flagged': evolution scored its prompts low, so look before voting on. */
  reason: 'decided' | 'flagged';
  /** One sentence, e.g. "The new prompt won 9 of 12 votes." */
  summary: string;
  currentPrompt: string;
  newPrompt: string;
  /** Cross-skill learning: where the new prompt's idea came from ("learned from file-naming v3 (…)"), else null. */
  learnedFrom: string | null;
  /**
   * Up to three inputs with what the current prompt and the new one made of them. taskId: the past task behind the
   * sample when it has a known right answer (it can be pinned as a gold example); pinned: it is one.
   */
  samples: { input: string; current: string | null; proposed: string; taskId: string | null; pinned: boolean }[];
}

export interface AccuracyPointView {
  from: string;
  accuracy: number | null;
  samples: number;
}

export interface SkillInsightView {
  /** Weekly accuracy, oldest first. */
  points: AccuracyPointView[];
  markers: { at: string; kind: 'promoted' | 'rolled-back'; version: number }[];
  month: {
    votesAsked: number;
    votesGiven: number;
    evolutionsRun: number;
    promotions: { version: number; at: string; before: number | null; after: number | null; samples: number }[];
  };
}

export interface SkillView {
  skill: string;
  description: string;
  evolvable: boolean;
  version: number;
  activeSince: string;
  accuracy: number | null;
  samples: number;
  /** Accuracy one window earlier ("down from 92%"). */
  previousAccuracy: number | null;
  /** Where accuracy is heading, computed once by the engine (a regression over the last two windows); null with too little data. */
  trend: 'up' | 'down' | 'flat' | null;
  state: SkillStateView;
  evolution: EvolutionView | null;
  review: ReviewView | null;
  /** "Evolve now" can start (evolvable, a model, no test or evolution under way, not paused). */
  canEvolve: boolean;
  insight: SkillInsightView;
  /** The monitor's last check in its own words, for Preferences › History; null before any. */
  lastCheck: string | null;
  /** "Reset to default prompt" can run: a later version runs, and no test or evolution of the skill is under way. */
  canReset: boolean;
  /** The monthly reminder: one sentence suggesting a reset when the skill drifted far from its default and does worse; else null. */
  resetSuggestion: string | null;
  /** A teammate's test to run too, or their version to test (in a team, when nothing runs for the skill); else null. */
  teamOffer: TeamOfferView | null;
}

export interface RoundOptionView {
  label: string;
  output: string;
  /**
   * The option's chance of being the best, as the votes so far say. Null in a round still open (unless the person
   * asked to see it before voting): a leader shown before a vote steers it.
   */
  pBest: number | null;
}

export interface VoteRoundView {
  taskId: string;
  skill: string;
  /** What the person is asked about, as the skill saw it (a file's name, a transcript, a document). */
  input: string;
  status: 'open' | 'picked' | 'none' | 'skipped';
  options: RoundOptionView[];
  picked: string | null;
  votes: number;
  maxVotes: number;
  /** Where the test is, without naming a leader: "8 votes so far; a decision usually within ~12 more." */
  progress: string;
  /** This round's vote can still be taken back (answered, and its test not decided). */
  canUndo: boolean;
}

export interface VoteResultView {
  /** The round after the vote, with every option's confidence revealed. */
  round: VoteRoundView;
  duplicate: boolean;
  /** The engine's sentence when this vote ended the test; null otherwise. */
  conclusion: string | null;
}

export interface PreferencesView {
  accuracyThreshold: number;
  sampleSize: number;
  cooldownHours: number;
  decisionConfidence: number;
  showProbability: number;
  votesRequired: number;
  maxDurationDays: number;
  minAccuracyImprovement: number;
  rollbackThreshold: number;
  modelPath: string | null;
  trayTitle: boolean;
  notifications: boolean;
  launchAtLogin: boolean;
  /** Show each option's confidence before voting (the design's original layout); off by default. */
  showConfidenceBeforeVote: boolean;
  /** Share of every evaluation set taken from gold examples (shipped and pinned), 0–0.5. */
  goldShare: number;
  /** A teammate's pick counts as this many of the person's own (0–1). */
  teamVoteWeight: number;
  /** Share task inputs with the team folder too (off: only votes and prompts). */
  shareTaskInputs: boolean;
}

export type PreferenceKey = keyof PreferencesView;

export interface ModelView {
  configuredPath: string | null;
  resolvedPath: string | null;
  source: 'config' | 'data-folder' | 'downloaded' | null;
  loaded: boolean;
  download: { downloadedBytes: number; totalBytes: number } | null;
  error: string | null;
}

/** One choice of a vote proposal (an A/B round on a file): the blind label and the arm's name. */
export interface ProposalOptionView {
  label: string;
  /** The safe name this option renames to; null when the arm's answer was not a usable file name. */
  name: string | null;
  /** What the user sees. */
  text: string;
}

/** A name proposed for a new file in a watched folder, waiting for the user (or just gone stale). */
export interface ProposalView {
  id: string;
  path: string;
  folder: string;
  /** The file's name when it was proposed. */
  name: string;
  /** 'name': one proposed name; 'vote': an A/B round, one option per arm. */
  kind: 'name' | 'vote';
  /** kind 'name': the safe name offered; null when the model's answer was unusable (edit or skip). */
  proposed: string | null;
  /** kind 'vote': the options, behind blind labels 1, 2, 3. */
  options: ProposalOptionView[];
  status: 'pending' | 'renamed' | 'skipped' | 'dismissed' | 'stale';
  /** One line: why a name was adjusted, or why a stale proposal was left alone. */
  note: string | null;
  finalName: string | null;
  createdAt: string;
  /** What the file is, as Finder says it ("PNG image"), and its size; null when it cannot be read. */
  fileKind: string;
  size: number | null;
  /** A preview can be asked for (getThumbnail). */
  hasThumbnail: boolean;
}

export interface RenameView {
  id: string;
  folder: string;
  from: string;
  to: string;
  at: string;
}

export interface ProposalDecisionView {
  proposal: ProposalView;
  /** One line each: "x.png was taken, so the file is now x-2.png". */
  notes: string[];
}

/** What the shell around the page can do: native dialogs and Finder in the app; in a browser, paths are typed. */
export interface ShellView {
  kind: 'electron' | 'browser';
}

export interface WatchView {
  enabled: boolean;
  /** The folders watched for new files, as people write them ("~/Desktop"). */
  folders: string[];
  /** Why nothing is being watched or named, in words; null when all is well. */
  problem: string | null;
}

export interface ConfigProblemsView {
  /** The config.yaml with errors. */
  file: string;
  /** One line each: "Line 12: sample_size must be a whole number ≥ 1 (got "twenty")". */
  lines: string[];
}

export interface MonthView {
  votesAsked: number;
  votesGiven: number;
  evolutionsRun: number;
  /** Promotions this month: accuracy before and since. */
  gains: { skill: string; version: number; before: number | null; after: number | null }[];
}

export interface AppStateView {
  dataDir: string;
  shell: ShellView;
  skills: SkillView[];
  /** Vote rounds waiting for the user, oldest first. */
  pendingVotes: VoteRoundView[];
  evolutionPaused: boolean;
  preferences: PreferencesView;
  /** Problems in the user's config.yaml (the last good settings apply meanwhile); null when there are none. */
  configProblems: ConfigProblemsView | null;
  model: ModelView;
  watch: WatchView;
  /** Rename suggestions: pending ones oldest first, then ones that went stale (with their note) until dismissed. */
  proposals: ProposalView[];
  /** The newest rename tinyArms made that can still be undone. */
  lastRename: RenameView | null;
  /** The team folder, teammates and what they offer (README "Teams"). */
  team: TeamView;
  /** What tinyArms cost and gained this month, over every skill. */
  month: MonthView;
  /** Increments on every change, so a view can ignore stale pushes. */
  revision: number;
}

export interface VersionView {
  version: number;
  templatePath: string;
  prompt: string;
  activeFrom: string;
  activeTo: string | null;
  accuracyEnd: number | null;
  source: string | null;
  notes: string | null;
  current: boolean;
  /** Cross-skill learning: where the version's idea came from, e.g. "learned from file-naming v3 (added an output rule: …)". */
  learnedFrom: string | null;
}

export interface HistoryView {
  skill: string;
  versions: VersionView[];
}
