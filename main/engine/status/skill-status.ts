import type { PosteriorSummary } from '../ab/dirichlet';
import type { SessionResults } from '../ab/session-types';
import type { AbSessions } from '../ab/sessions';
import type { EngineContext } from '../context';
import type { SkillStats } from '../monitor/skill-stats';
import type { PromptVersions } from '../prompts/prompt-versions';
import { HOUR_MS } from '../util/clock';
import { ProgressStore, type LiveProgress } from '../evolution/live-progress';
import { skillState, type EvolutionInput, type SkillState, type SkillStateInput } from './skill-state';
import { votesToDecision } from './votes-to-decision';
import { nowIso } from '../context';

/** What a skill's state is read from: the engine (or anything with these parts). */
export interface StatusSource {
  ctx: Pick<EngineContext, 'config' | 'clock' | 'db'>;
  prompts: Pick<PromptVersions, 'active'>;
  sessions: Pick<AbSessions, 'results' | 'latest' | 'settings'>;
  models: { available(): boolean };
  stats(skill: string): SkillStats;
}

/** What only the caller knows: the pause switch, and the progress of an evolution it runs itself. */
export interface SkillStatusExtras {
  paused: boolean;
  /** This process's own run of the skill, if any; otherwise evolution_progress is read (another process's run). */
  evolution?: LiveProgress | null;
  /** Session tallies for one state read (AbSessions.resultsCache). */
  results?: (sessionId: string) => SessionResults;
}

export interface SkillStatus {
  state: SkillState;
  input: SkillStateInput;
  /** The progress shown, and whether another process runs it. */
  evolution: (LiveProgress & { elsewhere: boolean }) | null;
}

const MAX_CACHED = 500;
const moreVotesCache = new Map<string, number | null>();
const posteriorCache = new Map<string, PosteriorSummary>();

/** Forgets cached vote estimates (tests). */
export function resetSkillStatusCache(): void {
  moreVotesCache.clear();
  posteriorCache.clear();
}

/** How many more votes a running test usually needs (cached per tally); null once it cannot take more. */
export function moreVotes(engine: Pick<StatusSource, 'sessions'>, results: SessionResults): number | null {
  if (results.session.status !== 'active' || results.decision.kind !== 'continue') return null;
  const settings = engine.sessions.settings();
  const picks = results.arms.map((a) => a.votes);
  const key = `${results.session.id}|${picks.join(',')}|${results.none}|${JSON.stringify(settings)}`;
  if (moreVotesCache.has(key)) return moreVotesCache.get(key)!;
  if (moreVotesCache.size >= MAX_CACHED) moreVotesCache.clear();
  if (posteriorCache.size >= 50 * MAX_CACHED) posteriorCache.clear();
  const more = votesToDecision({ picks, none: results.none, elapsedDays: results.elapsedDays }, settings, { posteriorCache, seed: key });
  moreVotesCache.set(key, more);
  return more;
}

function evolutionOf(
  engine: Pick<StatusSource, 'ctx'>,
  skill: string,
  own: LiveProgress | null | undefined,
): (LiveProgress & { elsewhere: boolean }) | null {
  if (own && own.phase !== 'done') return { ...own, elsewhere: false };
  const stored = new ProgressStore(engine.ctx.db, () => nowIso(engine.ctx)).read(skill);
  if (!stored || stored.progress.phase === 'done') return null;
  return { ...stored.progress, elsewhere: stored.pid !== process.pid };
}

/**
 * Gathers what the skill-state function needs from the engine and applies it: the one place the app, the
 * tray and the CLI get a skill's live state from.
 */
export function skillStatus(engine: StatusSource, stats: SkillStats, extras: SkillStatusExtras): SkillStatus {
  const config = engine.ctx.config.config;
  const { triggers } = config.prompt_evolution;
  const results = extras.results ?? ((id: string) => engine.sessions.results(id));
  const active = engine.prompts.active(stats.skill);
  const latest = engine.sessions.latest(stats.skill);
  const evolution = evolutionOf(engine, stats.skill, extras.evolution);
  const tally = stats.session ? results(stats.session.id) : null;
  const evolutionInput: EvolutionInput | null = evolution
    ? {
        phase: evolution.phase,
        generation: evolution.generation,
        generations: evolution.generations,
        etaSeconds: evolution.etaSeconds,
        building: evolution.building,
        resumeFrom: evolution.resumeFrom,
        stop: evolution.stop,
        elsewhere: evolution.elsewhere,
      }
    : null;
  const input: SkillStateInput = {
    evolvable: stats.evolvable,
    enabled: config.skills[stats.skill]?.enabled !== false,
    evolutionEnabled: config.prompt_evolution.enabled,
    modelAvailable: engine.models.available(),
    paused: extras.paused,
    accuracy: stats.accuracy.accuracy,
    samples: stats.accuracy.samples,
    sampleSize: triggers.sample_size,
    threshold: triggers.accuracy_threshold,
    version: stats.version,
    versionSource: active.history.evolution_source,
    test: tally ? { votes: tally.votes, moreVotes: moreVotes(engine, tally), flagged: tally.session.needs_review === 1 } : null,
    review: !stats.session && latest?.status === 'completed' && latest.outcome === 'awaiting_manual',
    evolution: evolutionInput,
    cooldownUntil: latest ? new Date(Date.parse(latest.triggered_at) + triggers.cooldown_hours * HOUR_MS).toISOString() : null,
    now: engine.ctx.clock.now(),
  };
  return { state: skillState(input), input, evolution };
}

/** One skill's state by name, for callers without a state read under way (the CLI). */
export function describeSkill(engine: StatusSource, skill: string, extras: SkillStatusExtras): SkillStatus {
  return skillStatus(engine, engine.stats(skill), extras);
}
