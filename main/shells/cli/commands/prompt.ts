import fs from 'node:fs';
import path from 'node:path';
import { type Command, Option } from 'commander';
import type { SessionResults, VariantSpec } from '../../../engine/ab/session-types';
import type { Engine, SkillStats } from '../../../engine/engine';
import { summariseResult } from '../../../engine/evolution/run';
import { INPUT_PLACEHOLDER, parseSkillFile } from '../../../engine/skills/skill-file';
import { usageError } from '../../../engine/util/errors';
import type { CliContext } from '../index';
import { bar, day, emit, minute, pct } from '../output';
import { renderEvolution, requireEvolutionModel, withEvolution } from './evolution-cli';
import { parsePositiveInt } from './parse';

const VARIANT_FLAGS = ['a', 'b', 'c', 'd', 'e'] as const;

export function registerPromptCommands(program: Command, ctx: CliContext): void {
  const prompt = program.command('prompt').description('prompt performance, A/B sessions, promotion and rollback');

  prompt
    .command('stats')
    .argument('[skill]', 'one skill (default: all)')
    .description('accuracy, version and status of each skill')
    .action((skill: string | undefined, _o, cmd: Command) =>
      ctx.withEngine(cmd, (engine, io) => {
        const stats = skill ? [engine.stats(skill)] : engine.allStats();
        emit(io, skill ? stats[0] : stats, () => stats.flatMap((s, i) => [...(i ? [''] : []), ...renderStats(engine, s)]));
      }),
    );

  prompt
    .command('results')
    .argument('<skill-or-session>', 'a skill (its latest session) or a session id')
    .description('votes, P(best), expected loss and accuracy of each arm')
    .action((ref: string, _o, cmd: Command) =>
      ctx.withEngine(cmd, (engine, io) => {
        const session = ref.startsWith('ses_') ? engine.sessions.require(ref) : latestSession(engine, ref);
        const results = engine.sessions.results(session.id);
        emit(io, results, renderResults);
      }),
    );

  prompt
    .command('history')
    .argument('<skill>')
    .description('every version of a skill prompt, with its period and accuracy')
    .action((skill: string, _o, cmd: Command) =>
      ctx.withEngine(cmd, (engine, io) => {
        engine.prompts.active(skill);
        const rows = engine.prompts.history(skill);
        emit(io, rows, () => [
          `Skill: ${skill}`,
          ...rows.map((r) =>
            `  v${r.version}  ${minute(r.active_from)} → ${r.active_to ? minute(r.active_to) : 'now'}  ${r.accuracy_end === null ? '' : `accuracy ${pct(r.accuracy_end)}  `}${r.evolution_source ?? ''}${r.notes ? ` — ${r.notes}` : ''}${r.active_to ? '' : '  ← current'}`,
          ),
        ]);
      }),
    );

  prompt
    .command('promote')
    .argument('<skill>')
    .argument('<variant>', 'arm letter (A, B, C) or variant id')
    .option('--session <id>', 'session to promote from (default: the running or latest one)')
    .description('promote an A/B arm by hand')
    .action((skill: string, variant: string, options: { session?: string }, cmd: Command) =>
      ctx.withEngine(cmd, (engine, io) => {
        const result = engine.promoteByHand(skill, variant, { sessionId: options.session });
        emit(io, result, ({ change }) => [
          `Promoted ${skill}: version ${change.fromVersion} → ${change.toVersion}`,
          `Prompt file: ${path.join(engine.dataDir, change.templatePath)}`,
        ]);
      }),
    );

  prompt
    .command('rollback')
    .argument('<skill>')
    .option('--to <version>', 'version to return to (default: the previous one)')
    .description('return to an earlier prompt version')
    .action((skill: string, options: { to?: string }, cmd: Command) =>
      ctx.withEngine(cmd, (engine, io) => {
        const change = engine.rollback(skill, options.to === undefined ? undefined : parsePositiveInt(options.to, '--to'));
        emit(io, change, (c) => `Rolled back ${skill}: version ${c.fromVersion} → ${c.toVersion} (${c.templatePath})`);
      }),
    );

  const withVariantFlags = (command: Command): Command => {
    for (const letter of VARIANT_FLAGS) command.addOption(new Option(`--variant-${letter} <file>`, `prompt file for variant ${letter.toUpperCase()}`));
    return command.option('--include-current', 'add the current prompt as one more arm');
  };

  withVariantFlags(
    prompt.command('create').argument('<skill>').description('start an A/B session from variant prompt files (Phase 1)'),
  ).action((skill: string, options: Record<string, string | boolean | undefined>, cmd: Command) =>
    ctx.withEngine(cmd, async (engine, io) => {
      const variants = readVariantFiles(options);
      if (variants.length + (options.includeCurrent ? 1 : 0) < 2) throw usageError('give at least two variants: --variant-a FILE --variant-b FILE');
      const session = await engine.evolve(skill, { variants, includeCurrent: Boolean(options.includeCurrent), reason: 'manual' });
      emit(io, engine.sessions.results(session.id), (r) => [`Created A/B session ${session.id} for ${skill}`, ...renderArms(r)]);
    }),
  );

  withVariantFlags(
    prompt
      .command('evolve')
      .argument('<skill>')
      .option('--variants <n>', 'number of variants to generate')
      .option('--model <path>', 'GGUF model file (default: prompt_evolution.smollm2.model_path, then the data folder)')
      .option('--generations <n>', 'generations (default: prompt_evolution.evolution.generations)')
      .option('--population <n>', 'population size (default: prompt_evolution.evolution.population_size)')
      .option('--yes', 'start without asking')
      .option('--fresh', 'start a new run instead of resuming an unfinished one')
      .description('start an evolution: PromptBreeder generates variants with the local model (or take files) and A/B tests them'),
  ).action((skill: string, options: Record<string, string | boolean | undefined>, cmd: Command) =>
    ctx.withEngine(cmd, async (engine, io) => {
      const variants = readVariantFiles(options);
      const count = options.variants === undefined ? undefined : parsePositiveInt(String(options.variants), '--variants');
      const started = (r: SessionResults) => [
        `Started A/B session ${r.session.id} for ${skill} with ${r.arms.length} variants.`,
        ...renderArms(r),
        ...r.arms.filter((a) => a.reasoning).map((a) => `  ${a.letter}: ${a.reasoning}`),
        `Next ${r.maxVotes} votes decide (or ${engine.ctx.config.config.prompt_evolution.ab_testing.max_duration_days} days).`,
      ];
      if (variants.length > 0) {
        const session = await engine.evolve(skill, { variants, count, includeCurrent: Boolean(options.includeCurrent), reason: 'manual' });
        emit(io, engine.sessions.results(session.id), started);
        return;
      }
      engine.ctx.skills.get(skill);
      const modelPath = typeof options.model === 'string' ? options.model : undefined;
      await requireEvolutionModel(engine, modelPath);
      const settings = {
        generations: options.generations === undefined ? undefined : parsePositiveInt(String(options.generations), '--generations'),
        populationSize: options.population === undefined ? undefined : parsePositiveInt(String(options.population), '--population'),
      };
      await withEvolution(engine, io, { modelPath, settings, yes: Boolean(options.yes), fresh: Boolean(options.fresh) }, async (generator) => {
        const session = await engine.evolve(skill, { count, includeCurrent: Boolean(options.includeCurrent), reason: 'manual' });
        const result = generator.lastResult();
        const results = engine.sessions.results(session.id);
        emit(io, { ...results, evolution: result ? summariseResult(result) : null }, () => [...(result ? renderEvolution(result) : []), '', ...started(results)]);
      });
    }),
  );
}

function latestSession(engine: Engine, skill: string) {
  engine.ctx.skills.get(skill);
  const session = engine.sessions.active(skill) ?? engine.sessions.latest(skill);
  if (!session) throw usageError(`${skill} has no A/B session yet`, 'unknown_session');
  return session;
}

function readVariantFiles(options: Record<string, string | boolean | undefined>): VariantSpec[] {
  const variants: VariantSpec[] = [];
  for (const letter of VARIANT_FLAGS) {
    const file = options[`variant${letter.toUpperCase()}`];
    if (typeof file !== 'string') continue;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw usageError(`cannot read variant file ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, 'missing_file');
    }
    // A variant file is either a skill file (front matter + body) or a bare prompt.
    const prompt = text.startsWith('---') ? parseSkillFile(text, path.resolve(file)).prompt : text.trim();
    if (!prompt.includes(INPUT_PLACEHOLDER)) throw usageError(`${file}: the prompt has no ${INPUT_PLACEHOLDER} placeholder`, 'bad_variant');
    variants.push({ prompt, source: 'file', reasoning: `from ${path.basename(file)}` });
  }
  return variants;
}

function renderStats(engine: Engine, s: SkillStats): string[] {
  const trend = engine.previousAccuracy(s.skill);
  const status = s.session
    ? `A/B testing in progress (session ${s.session.id})`
    : s.lastCheck
      ? `${s.lastCheck.verdict.replace(/_/g, ' ')}: ${s.lastCheck.reason}`
      : s.evolvable ? 'not checked yet' : 'not evolvable';
  return [
    `Skill: ${s.skill}`,
    `Current accuracy: ${pct(s.accuracy.accuracy)}${trend !== null && s.accuracy.accuracy !== null ? ` (${trend > s.accuracy.accuracy ? 'down' : 'up'} from ${pct(trend)})` : ''}`,
    `Prompt version: ${s.version} (active since ${day(s.activeSince)})`,
    `Recent failures: ${s.recentFailures}/${s.accuracy.samples} tasks${s.accuracy.samples ? ` (${pct(s.recentFailures / s.accuracy.samples)})` : ''} since ${day(s.accuracy.windowStart)}`,
    `Status: ${status}`,
  ];
}

export function renderArms(r: SessionResults): string[] {
  return r.arms.map((a, i) => {
    const mark = r.decision.leader === i && r.votes > 0 ? (r.decision.arm === i ? ' ← WINNER' : ' ← leading') : '';
    const loss = a.expectedLoss === null ? 'out of the test' : `loss ${a.expectedLoss.toFixed(3)}`;
    return `Variant ${a.letter}: ${String(a.votes).padStart(2)} votes  P(best) ${pct(a.pBest).padStart(4)} ${bar(a.pBest, 12)}  ${loss}  accuracy ${a.accuracy === null ? 'n/a' : `${pct(a.accuracy)} of ${a.served}`}${a.source === 'current' ? '  (current prompt)' : ''}${mark}`;
  });
}

export function renderResults(r: SessionResults): string[] {
  const remaining = Math.max(0, r.maxVotes - r.votes);
  const d = r.decision;
  return [
    `Evolution Session: ${r.session.id} (${r.session.skill}, ${r.session.status}${r.session.outcome ? `, ${r.session.outcome.replace('_', ' ')}` : ''})`,
    ...renderArms(r),
    `Votes: ${r.votes}/${r.maxVotes} counted (${r.none} none is good, ${r.skips} skipped), day ${r.elapsedDays.toFixed(1)}`,
    r.session.status === 'active'
      ? d.kind === 'continue'
        ? `${remaining} votes remaining at most; next decision at ${d.nextLookAt ?? r.maxVotes} votes.`
        : `Decision ready: ${d.reason}`
      : `Decision: ${r.session.decision_reason ?? r.session.status}`,
  ];
}
