import type { Command } from 'commander';
import { percent, teamOffers, type Engine, type TeammateOffers, type TeamStatus } from '../../../engine';
import { withExamples } from '../help';
import type { CliContext } from '../index';
import { emit, tone, type CliIo } from '../output';

type StatusView = TeamStatus & { offers: TeammateOffers[] };

const sources = (engine: Engine) => ({
  ctx: engine.ctx,
  team: engine.team,
  activePrompt: (skill: string) => engine.prompts.active(skill).prompt,
});

/** What a teammate offers, one line each: the command that takes it, or why it cannot be taken now. */
function offerLines(member: string, offers: TeammateOffers | undefined): string[] {
  if (!offers) return [];
  const tests = offers.tests.map((t) => {
    const what = `${t.skill}: testing ${t.arms} prompts, ${t.votes} vote(s)`;
    return `    ${what}: ${t.canJoin ? `tinyarms team test ${member} ${t.skill}` : t.note}`;
  });
  const versions = offers.versions.map((v) => {
    const what = `${v.skill}: version ${v.version}${v.accuracy === null ? '' : ` (${percent(v.accuracy)} for them)`}`;
    const how = v.canTest
      ? `tinyarms team adopt ${member} ${v.skill}${v.note ? ` (${v.note.replace(/\.$/, '').toLowerCase()})` : ''}`
      : v.note;
    return `    ${what}: ${how}`;
  });
  return [...tests, ...versions];
}

function renderStatus(s: StatusView, io: CliIo): string[] {
  if (!s.enabled) return ['Not in a team. Join one with: tinyarms team join <shared folder>'];
  const lines = [
    `Team folder: ${s.folder}`,
    `You: ${s.member} (a teammate's pick counts ${s.weight} of yours; task inputs ${s.shareInputs ? 'shared' : 'not shared'})`,
    s.writeError ? tone(io, 'yellow', `Not shared: ${s.writeError}`) : `Shared: ${s.file}`,
  ];
  const skipped = new Set(s.skipped.map((k) => k.member));
  const good = s.members.filter((m) => !skipped.has(m.member));
  lines.push(good.length === 0 ? 'Teammates: none seen yet' : `Teammates (${good.length}):`);
  for (const m of good) {
    const shared = `${m.sessions} A/B session(s), ${m.promoted} promoted version(s), written ${m.writtenAt}`;
    const what = m.writtenAt ? shared : 'nothing shared yet';
    lines.push(`  ${m.member.padEnd(20)} ${what}`);
    lines.push(
      ...offerLines(
        m.member,
        s.offers.find((o) => o.member === m.member),
      ),
    );
  }
  if (s.skipped.length > 0) {
    lines.push(tone(io, 'yellow', `Skipped (${s.skipped.length}):`));
    for (const k of s.skipped) lines.push(`  ${(k.member || '(folder)').padEnd(20)} ${k.reason} — ${k.file}`);
  }
  return lines;
}

export function registerTeamCommands(program: Command, ctx: CliContext): void {
  const team = program.command('team').description('pool A/B votes with teammates through a shared folder (opt-in)');

  withExamples(
    team
      .command('status')
      .description('the team folder, teammates seen, and files skipped and why')
      .action((_o, cmd: Command) =>
        ctx.withEngine(cmd, (engine, io) => {
          // One read of the folder for both (a bad team.member throws here, as status says first).
          const read = engine.team.read();
          const status: StatusView = { ...engine.team.status({ read }), offers: teamOffers(sources(engine), read) };
          emit(io, status, (s) => renderStatus(s, io));
        }),
      ),
    ['tinyarms team status', 'tinyarms --json team status'],
  );

  withExamples(
    team
      .command('join')
      .argument('<folder>', 'a folder your sync tool keeps in step (iCloud Drive, Dropbox, a git repository)')
      .option('--member <name>', 'your name in the folder (default: <user>-<hostname>)')
      .description("share your votes and promoted prompts there, and pool your teammates' (writes config.yaml)")
      .action((folder: string, o: { member?: string }, cmd: Command) =>
        ctx.withEngine(cmd, (engine, io) => {
          const status: StatusView = { ...engine.team.join(folder, o.member), offers: teamOffers(sources(engine)) };
          emit(io, status, (s) => [`Joined the team in ${s.folder} as ${s.member}.`, ...renderStatus(s, io).slice(2)]);
        }),
      ),
    ['tinyarms team join ~/Dropbox/tinyarms-team', 'tinyarms team join "~/Library/Mobile Documents/com~apple~CloudDocs/team" --member ana'],
  );

  withExamples(
    team
      .command('leave')
      .description('stop sharing and pooling (files already shared stay in the folder)')
      .action((_o, cmd: Command) =>
        ctx.withEngine(cmd, (engine, io) => {
          engine.team.leave();
          emit(io, { left: true }, () => 'Left the team: votes are no longer shared or pooled.');
        }),
      ),
    ['tinyarms team leave'],
  );

  withExamples(
    team
      .command('adopt')
      .argument('<member>', 'the teammate')
      .argument('<skill>', 'the skill')
      .description("start an A/B test of your current prompt against a teammate's promoted version")
      .action((member: string, skill: string, _o, cmd: Command) =>
        ctx.withEngine(cmd, (engine, io) => {
          const session = engine.adoptFromTeammate(member, skill);
          const line = `${skill}: started A/B session ${session.id} with ${member}'s version as variant B.`;
          emit(io, { sessionId: session.id, skill: session.skill }, () => line);
        }),
      ),
    ['tinyarms team adopt ana file-naming'],
  );

  withExamples(
    team
      .command('test')
      .argument('<member>', 'the teammate')
      .argument('<skill>', 'the skill')
      .description('run the same A/B test as a teammate (their variants), so your votes and theirs decide it together')
      .action((member: string, skill: string, _o, cmd: Command) =>
        ctx.withEngine(cmd, (engine, io) => {
          const session = engine.joinTeammateTest(member, skill);
          const arms = engine.sessions.variants(session.id).length;
          const line = `${skill}: started A/B session ${session.id} with ${member}'s ${arms} variants; your votes pool.`;
          emit(io, { sessionId: session.id, skill: session.skill, arms }, () => line);
        }),
      ),
    ['tinyarms team test ana file-naming'],
  );
}
