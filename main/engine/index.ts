/**
 * The engine's public surface: everything the shells (CLI, server, Electron), the app layer and the demo use. They
 * import from here and nowhere else under main/engine, so what the engine offers is this file. Modules that load
 * node-llama-cpp are not here: the model is reached through Engine.models, and the one header check the CLI needs
 * before loading anything is loaded on first use below.
 */
export type { Decision as AbDecision } from './ab/decision';
export type { ArmResult, PooledVotes, SessionResults, SessionRow, VariantSpec, VoteOutcome, VoteRound } from './ab/session-types';
export { NEW_CONFIG_HEADER, formatIssue } from './config/config-store';
export type { ConfigIssue, ConfigPath, TinyArmsConfig } from './config/config-store';
export { CONFIG_SCHEMA, validateConfig } from './config/schema';
export { checkRule, ruleAt, valueAt } from './config/schema-rules';
export type { Rule } from './config/schema-rules';
export { nowIso } from './context';
export { APP_ROOT, findAppRoot, resolveDataDir } from './data-paths';
export { Engine } from './engine';
export type { EngineOptions, MonitorRun, SkillStats } from './engine';
export { MIN_EXAMPLES, collectExamples } from './evolution/examples';
export { createEvolutionGenerator } from './evolution/generator';
export type { EvolutionGenerator } from './evolution/generator';
export { createEvolutionHost, type EvolutionHost } from './evolution/in-process-host';
export { ProgressStore, isRunningPhase } from './evolution/live-progress';
export type { LiveProgress, StoredProgress } from './evolution/live-progress';
export { formatPlan } from './evolution/plan';
export type { EvolutionPlan } from './evolution/plan';
export { formatDownload } from './evolution/progress';
export type { EvolutionResult } from './evolution/run';
export { evolutionSettings } from './evolution/settings';
export type { EvolutionProgress, EvolutionSettings, OperatorName, OperatorStats, RejectionReason } from './evolution/types';
export { OUTCOMES, isOutcome } from './feedback/task-log';
export type { Outcome, TaskRow } from './feedback/task-log';
export { resolveWatchFolders } from './files/default-folders';
export { describeFile, readFileFacts } from './files/metadata';
export type { Decision as ProposalDecision, FileProposals, Proposal, ProposalEvent } from './files/proposals';
export type { RenameRow, UndoResult } from './files/rename-log';
export { startFileWatch } from './files/watch-service';
export type { FileWatch, FileWatchOptions } from './files/watch-service';
export { MODEL_PATH_CONFIG_KEY, loadCatalog, modelsDir } from './llm/model-catalog';
export type { CatalogEntry } from './llm/model-catalog';
export { checkExpected, identifyModel, pullModel, resolveModel, unexpectedModelError } from './llm/model-resolve';
export type { ModelInfo } from './llm/types';
export type { CheckResult } from './monitor/monitor';
export type { Conclusion } from './promotion/conclude';
export type { ResetResult } from './promotion/reset';
export type { GoldExample } from './gold/gold-file';
export type { GoldList } from './gold/gold-pins';
export type { HistoryRow } from './prompts/prompt-versions';
export { monitorIntervalMs, scheduleMonitor } from './scheduler/monitor-schedule';
export type { Scheduler, Timers } from './scheduler/scheduler';
export type { Served } from './serving/types';
export { INPUT_PLACEHOLDER, parseSkillFile } from './skills/skill-file';
export { skillInsight } from './status/insight';
export { defaultMember } from './team/team';
export type { Team, TeamStatus } from './team/team';
export { teamOffers } from './team/offers';
export type { TeammateOffers, TeammateTestOffer, TeammateVersionOffer } from './team/offers';
export { evolutionWords, formatTimeLeft, testProgressSentence } from './status/skill-state';
export type { SkillStateKind } from './status/skill-state';
export { moreVotes, skillStatus } from './status/skill-status';
export { writeFileAtomic } from './util/atomic-write';
export { DAY_MS, HOUR_MS, ManualClock } from './util/clock';
export { UserError, isUserError, usageError } from './util/errors';
export { percent } from './util/format';
export { startLoadSampler } from './util/load-sampler';
export { describeValue, issuePath, problems, skillNameSchema, v } from './util/schema';
export { expandHome, isFile } from './util/fs';
export { promptHash } from './util/ids';
export { createRng, pickFrom, pickWeighted } from './util/random';
export type { Rng } from './util/random';

/** The GGUF header check, imported on first use: node-llama-cpp is slow to import and most commands never need it. */
export async function checkGgufFile(file: string): Promise<void> {
  await (await import('./llm/gguf-check')).checkGgufFile(file);
}
