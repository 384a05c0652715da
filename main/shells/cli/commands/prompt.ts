import fs from 'node:fs';
import path from 'node:path';
import { type Command, Option } from 'commander';
import {
  INPUT_PLACEHOLDER,
  parseSkillFile,
  usageError,
  type Engine,
  type SessionResults,
  type SkillStats,
  type VariantSpec,
} from '../../../engine';
import { evolutionView, resultsView, sessionView, statsView, versionView } from '../../json-views';
import { withExamples } from '../help';
import type { CliContext } from '../index';
import { bar, day, emit, minute, pct, tone, type CliIo } from '../output';
import { skillStatus } from '../status';
import { registerGoldCommands } from './gold';
import { parsePositiveInt } from './parse';

const VARIANT_FLAGS = ['a', 'b', 'c', 'd', 'e'] as const;

export function registerPromptCommands(program: Command, ctx: CliContext): void {
  const prompt = program.command('prompt').description('prompt performance, A/B sessions, evolution, promotion and rollback');

  withExamples(
    prompt
      .command('stats')
      .argument('[skill]', 'one skill (default: all)')
      .description('accuracy, version and status of each skill')
      .action((skill: string | undefined, _o, cmd: Command) =>
        ctx.withEngine(cmd, (engine, io) => {
          const stats = skill ? [engine.stats(skill)] : engine.allStats();
          const views = stats.map((s) => statsView(s, skillStatus(engine, s).line));
          emit(io, skill ? views[0] : views, () => stats.flatMap((s, i) => [...(i ? [''] : []), ...renderStats(engine, io, s)]));
        }),
      ),
    ['tinyarms prompt stats', 'tinyarms prompt stats file-naming', 'tinyarms --json prompt stats file-naming'],
  );

  withExamples(
    prompt
      .command('results')
      .argument('<skill-or-session>', 'a skill (its running or latest session) or a session id')
      .description('votes, P(best), expected loss and accuracy of each arm; the decision')
      .action((ref: string, _o, cmd: Command) =>
        ctx.withEngine(cmd, (engine, io) => {
          const session = ref.startsWith('ses_') ? engine.sessions.require(ref) : latestSession(engine, ref);
          const results = engine.sessions.results(session.id);
          emit(io, resultsView(results), () => renderResults(results, io));
        }),
      ),
    ['tinyarms prompt results file-naming', 'tinyarms prompt results ses_538790a5d8d6'],
  );

  withExamples(
    prompt
      .command('history')
      .argument('<skill>')
      .description('every version of a skill prompt, with its period, accuracy and source')
      .action((skill: string, _o, cmd: Command) =>
        ctx.withEngine(cmd, (engine, io) => {
          engine.prompts.active(skill);
          const rows = engine.prompts.history(skill);
          const learned = rows.map((r) => engine.learning.versionIdeaSource(r.session_id));
          emit(io, { skill, versions: rows.map((r, i) => ({ ...versionView(r), learnedFrom: learned[i] })) }, () => [
            `Skill: ${skill}`,
            ...rows.flatMap((r, i) => [
              `  v${r.version}  ${minute(r.active_from)} → ${r.active_to ? minute(r.active_to) : 'now'}  ${r.accuracy_end === null ? '' : `accuracy ${pct(r.accuracy_end)}  `}${r.evolution_source ?? ''}${r.notes ? ` — ${r.notes}` : ''}${r.active_to ? '' : '  ← current'}`,
              ...(learned[i] ? [`       ${learned[i]}`] : []),
            ]),
          ]);
        }),
      ),
    ['tinyarms prompt history file-naming'],
  );

  withExamples(
    prompt
      .command('promote')
      .argument('<skill>')
      .argument('<variant>', 'arm letter (A, B, C) or variant id')
      .option('--session <id>', 'session to promote from (default: the running or latest one)')
      .description('promote an A/B arm by hand')
      .action((skill: string, variant: string, options: { session?: string }, cmd: Command) =>
        ctx.withEngine(cmd, (engine, io) => {
          const result = engine.promoteByHand(skill, variant, { sessionId: options.session });
          emit(io, { change: result.change, session: sessionView(result.session) }, ({ change }) => [
            tone(io, 'green', `Promoted ${skill}: version ${change.fromVersion} → ${change.toVersion}`),
            `Prompt file: ${path.join(engine.dataDir, change.templatePath)}`,
          ]);
        }),
      ),
    ['tinyarms prompt promote file-naming C', 'tinyarms prompt promote file-naming B --session ses_538790a5d8d6'],
  );

  withExamples(
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
      ),
    ['tinyarms prompt rollback file-naming', 'tinyarms prompt rollback file-naming --to 1'],
  );

  const withVariantFlags = (command: Command): Command => {
    for (const letter of VARIANT_FLAGS)
      command.addOption(new Option(`--variant-${letter} <file>`, `prompt file for variant ${letter.toUpperCase()}`));
    return command.option('--include-current', 'add the current prompt as one more arm');
  };

  withExamples(
    withVariantFlags(
      prompt.command('create').argument('<skill>').description('start an A/B session from variant prompt files (Phase 1)'),
    ).action((skill: string, options: Record<string, string | boolean | undefined>, cmd: Command) =>
      ctx.withEngine(cmd, async (engine, io) => {
        const variants = readVariantFiles(options);
        if (variants.length + (options.includeCurrent ? 1 : 0) < 2)
          throw usageError('give at least two variants: --variant-a FILE --variant-b FILE');
        checkDistinct(engine, skill, variants, Boolean(options.includeCurrent));
        const session = await engine.evolve(skill, { variants, includeCurrent: Boolean(options.includeCurrent), reason: 'manual' });
        const results = engine.sessions.results(session.id);
        emit(io, resultsView(results), () => [`Created A/B session ${session.id} for ${skill}`, ...renderArms(results, io)]);
      }),
    ),
    [
      'tinyarms prompt create file-naming --variant-a a.md --variant-b b.md --variant-c c.md',
      'tinyarms prompt create file-naming --variant-a mine.md --include-current',
    ],
  );

  withExamples(
    withVariantFlags(
      prompt
        .command('evolve')
        .argument('<skill>')
        .option('--variants <n>', 'number of variants to generate')
        .option('--model <path>', 'GGUF model file (default: the one `tinyarms model use` chose, then the data folder)')
        .option('--generations <n>', 'generations (default: prompt_evolution.evolution.generations)')
        .option('--population <n>', 'population size (default: prompt_evolution.evolution.population_size)')
        .option('--yes', 'start without asking')
        .option('--fresh', 'start a new run instead of resuming an unfinished one')
        .description('evolve the prompt with the local model (PromptBreeder) and A/B test the best variants, or A/B test variant files'),
    ).action((skill: string, options: Record<string, string | boolean | undefined>, cmd: Command) =>
      ctx.withEngine(cmd, async (engine, io) => {
        const variants = readVariantFiles(options);
        const count = options.variants === undefined ? undefined : parsePositiveInt(String(options.variants), '--variants');
        const started = (r: SessionResults) => [
          `Started A/B session ${r.session.id} for ${skill} with ${r.arms.length} variants${r.session.needs_review ? ' (flagged for review)' : ''}.`,
          ...renderArms(r, io),
          ...r.arms.filter((a) => a.reasoning).map((a) => `  ${a.letter}: ${a.reasoning}`),
          `Next ${r.maxVotes} votes decide (or ${engine.ctx.config.config.prompt_evolution.ab_testing.max_duration_days} days): tinyarms vote list ${skill}`,
        ];
        if (variants.length > 0) {
          checkDistinct(engine, skill, variants, Boolean(options.includeCurrent));
          const session = await engine.evolve(skill, {
            variants,
            count,
            includeCurrent: Boolean(options.includeCurrent),
            reason: 'manual',
          });
          const results = engine.sessions.results(session.id);
          emit(io, { ...resultsView(results), evolution: null }, () => started(results));
          return;
        }
        const settings = {
          generations: options.generations === undefined ? undefined : parsePositiveInt(String(options.generations), '--generations'),
          populationSize: options.population === undefined ? undefined : parsePositiveInt(String(options.population), '--population'),
        };
        // Everything is checked before the model loads: the skill, a running session, enough feedback, the model file.
        const { preflightEvolution, renderEvolution, withEvolution } = await import('./evolution-cli');
        await preflightEvolution(engine, skill, settings);
        await withEvolution(engine, io, { settings, yes: Boolean(options.yes), fresh: Boolean(options.fresh) }, async (generator) => {
          const session = await engine.evolve(skill, { count, includeCurrent: Boolean(options.includeCurrent), reason: 'manual' });
          const result = generator.lastResult();
          const results = engine.sessions.results(session.id);
          emit(io, { ...resultsView(results), evolution: result ? evolutionView(result) : null }, () => [
            ...(result ? renderEvolution(result) : []),
            '',
            ...started(results),
          ]);
        });
      }),
    ),
    [
      'tinyarms prompt evolve file-naming',
      'tinyarms prompt evolve file-naming --generations 5 --population 8 --yes',
      'tinyarms prompt evolve file-naming --variant-a a.md --variant-b b.md',
    ],
  );

  registerGoldCommands(prompt, ctx);
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
      throw usageError(
        `cannot read variant file ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
        'missing_file',
      );
    }
    // A variant file is either a skill file (front matter + body) or a bare prompt.
    const prompt = text.startsWith('---') ? parseSkillFile(text, path.resolve(file)).prompt : text.trim();
    if (!prompt.includes(INPUT_PLACEHOLDER)) throw usageError(`${file}: the prompt has no ${INPUT_PLACEHOLDER} placeholder`, 'bad_variant');
    variants.push({ prompt, source: 'file', reasoning: `from ${path.basename(file)}` });
  }
  return variants;
}

/** Two arms with the same prompt would split votes between identical outputs: refuse before a session starts. */
function checkDistinct(engine: Engine, skill: string, variants: VariantSpec[], includeCurrent: boolean): void {
  const norm = (text: string) => text.replace(/\s+/g, ' ').trim();
  const prompts = variants.map((v) => norm(v.prompt));
  if (includeCurrent) prompts.push(norm(engine.prompts.active(skill).prompt));
  const labels = [...variants.map((_, i) => `variant ${String.fromCharCode(65 + i)}`), 'the current prompt'];
  for (let i = 0; i < prompts.length; i++) {
    const j = prompts.indexOf(prompts[i]);
    if (j < i) throw usageError(`${labels[i]} is the same prompt as ${labels[j]}: every arm must differ`, 'duplicate_variant');
  }
}

function renderStats(engine: Engine, io: CliIo, s: SkillStats): string[] {
  const { previous, direction } = s.trend;
  const status = skillStatus(engine, s);
  const reminder = engine.resetReminder(s.skill);
  return [
    `Skill: ${s.skill}`,
    `Current accuracy: ${pct(s.accuracy.accuracy)}${previous !== null && direction !== null && s.accuracy.accuracy !== null ? ` (${direction === 'flat' ? 'steady, was' : `${direction} from`} ${pct(previous)})` : ''}`,
    `Prompt version: ${s.version} (active since ${day(s.activeSince)})`,
    `Recent failures: ${s.recentFailures}/${s.accuracy.samples} tasks${s.accuracy.samples ? ` (${pct(s.recentFailures / s.accuracy.samples)})` : ''} since ${day(s.accuracy.windowStart)}`,
    `Status: ${status.line}`,
    ...(status.review ? [tone(io, 'yellow', `Review: ${status.review}`)] : []),
    ...(reminder ? [tone(io, 'yellow', `Suggestion: ${reminder} (tinyarms prompt reset ${s.skill})`)] : []),
    ...(s.problem ? [tone(io, 'red', `Problem: ${s.problem}; roll back with \`tinyarms prompt rollback ${s.skill}\``)] : []),
  ];
}

export function renderArms(r: SessionResults, io?: CliIo): string[] {
  return r.arms.map((a, i) => {
    const winner = r.decision.arm === i && r.votes > 0;
    const mark = r.decision.leader === i && r.votes > 0 ? (winner ? ' ← WINNER' : ' ← leading') : '';
    const loss = a.expectedLoss === null ? 'out of the test' : `loss ${a.expectedLoss.toFixed(3)}`;
    const line = `Variant ${a.letter}: ${String(a.votes).padStart(2)} votes  P(best) ${pct(a.pBest).padStart(4)} ${bar(a.pBest, 12)}  ${loss}  accuracy ${a.accuracy === null ? 'n/a' : `${pct(a.accuracy)} of ${a.served}`}${a.source === 'current' ? '  (current prompt)' : ''}${a.brokenPins.length ? `  breaks ${a.brokenPins.length} pinned` : ''}${mark}`;
    return winner && io ? tone(io, 'green', line) : line;
  });
}

const pooledLine = (team: NonNullable<SessionResults['team']>): string =>
  `Pooled with the team: ${team.members.map((m) => `${m.picks} picks from ${m.member}`).join(', ')} (each counts ${team.weight} of yours)`;

export function renderResults(r: SessionResults, io?: CliIo): string[] {
  const remaining = Math.max(0, r.maxVotes - r.votes);
  const d = r.decision;
  return [
    `Evolution Session: ${r.session.id} (${r.session.skill}, ${r.session.status}${r.session.outcome ? `, ${r.session.outcome.replace('_', ' ')}` : ''})`,
    ...(r.session.needs_review ? ["Flagged for review: the evolution's best variant scored below the rollback threshold."] : []),
    ...renderArms(r, io),
    `Votes: ${r.votes}/${r.maxVotes} counted (${r.none} none is good, ${r.skips} skipped), day ${r.elapsedDays.toFixed(1)}`,
    ...(r.team ? [pooledLine(r.team)] : []),
    r.session.status === 'active'
      ? d.kind === 'continue'
        ? `${remaining} votes remaining at most; next decision at ${d.nextLookAt ?? r.maxVotes} votes.`
        : `Decision ready: ${d.reason}`
      : `Decision: ${r.session.decision_reason ?? r.session.status}`,
  ];
}
