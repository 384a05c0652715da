import { ProgressStore, formatIssue, nowIso, type ConfigIssue, type Engine, type StoredProgress } from '../engine';
import type { AppStateView, ConfigProblemsView, ModelView, MonthView, ShellView, SkillView } from '../../contract/api';
import type { AppFiles } from './app-files';
import type { EvolutionHost } from './evolution-host';
import { preferencesFromConfig } from './preferences';
import { roundView, skillView } from './state-view';
import { readTeam, teamOfferFor, teamView } from './team-view';

export interface StateSources {
  engine: Engine;
  files: AppFiles;
  evolution: EvolutionHost;
  paused: boolean;
  shell: ShellView;
}

/** Open vote rounds, except those of file proposals: the popover asks those with the file itself. */
export function openRounds(engine: Engine, files: AppFiles, results = engine.sessions.resultsCache()) {
  const ofFiles = new Set(
    files.proposals
      .list()
      .filter((p) => p.kind === 'vote')
      .map((p) => p.taskId),
  );
  return engine.sessions.openRounds(undefined, results).filter((round) => !ofFiles.has(round.taskId));
}

const progressStore = (engine: Engine) => new ProgressStore(engine.ctx.db, () => nowIso(engine.ctx));

/** The skill's progress row in evolution_progress (another process's run, or a stopped one), if any. */
export const storedProgress = (engine: Engine, skill: string): StoredProgress | null => progressStore(engine).read(skill);

export const clearProgress = (engine: Engine, skill: string): void => progressStore(engine).clear(skill);

/** "Line 12: prompt_evolution.triggers.sample_size must be …" for the Preferences card (the file is named once, above). */
function configProblems(engine: Engine): ConfigProblemsView | null {
  const { issues, file } = engine.ctx.config;
  if (issues.length === 0) return null;
  const line = (issue: ConfigIssue) =>
    issue.file === file
      ? `${issue.line === null ? '' : `Line ${issue.line}: `}${issue.path ? `${issue.path} ` : ''}${issue.message}`
      : formatIssue(issue);
  return { file, lines: issues.map(line) };
}

function modelView(engine: Engine, files: AppFiles): ModelView {
  const status = engine.models.status();
  return {
    configuredPath: status.configuredPath,
    resolvedPath: status.resolvedPath,
    source: status.source,
    loaded: status.loaded,
    download: status.download,
    // A missing file is only an error once the person named one (said in words); an empty data folder is the
    // first run, which the popover explains itself. A failed load or download keeps its own line.
    error:
      status.configuredPath && !status.resolvedPath
        ? `There is no model file at ${status.configuredPath}.`
        : (status.error ?? (status.resolvedPath ? files.modelError() : null)),
  };
}

function monthView(skills: SkillView[]): MonthView {
  return {
    votesAsked: skills.reduce((n, s) => n + s.insight.month.votesAsked, 0),
    votesGiven: skills.reduce((n, s) => n + s.insight.month.votesGiven, 0),
    evolutionsRun: skills.reduce((n, s) => n + s.insight.month.evolutionsRun, 0),
    gains: skills.flatMap((s) =>
      s.insight.month.promotions.map(({ version, before, after }) => ({ skill: s.skill, version, before, after })),
    ),
  };
}

/** The whole state the windows show, read once. */
export function buildState({ engine, files, evolution, paused, shell }: StateSources): Omit<AppStateView, 'revision'> {
  const config = engine.ctx.config;
  const results = engine.sessions.resultsCache();
  const team = readTeam(engine);
  const skills = engine.allStats().map((stats) => {
    const teamOffer = teamOfferFor(team.offers, stats.skill, stats.accuracy.accuracy);
    return skillView(engine, stats, { paused, results, evolution: evolution.progress(stats.skill), teamOffer });
  });
  const revealOpen = config.config.app.show_confidence_before_vote;
  return {
    dataDir: engine.dataDir,
    shell,
    skills,
    pendingVotes: openRounds(engine, files, results).map((round) => roundView(engine, round, results(round.sessionId), { revealOpen })),
    evolutionPaused: paused,
    preferences: preferencesFromConfig(config.config),
    configProblems: configProblems(engine),
    model: modelView(engine, files),
    watch: files.watchView(),
    proposals: files.views(),
    lastRename: files.lastRename(),
    month: monthView(skills),
    team: teamView(engine, team),
  };
}
