import fs from 'node:fs';
import path from 'node:path';
import { defaultMember, isUserError, teamOffers, type Engine, type TeammateOffers, type TeamStatus } from '../engine';
import type { TeamOfferView, TeamView } from '../../contract/api';
import { percent } from '../../contract/format';

// The team as the app shows it: Preferences › Team and the popover's one offer per skill. Pure reads: the
// person's file is shared after each change by the engine, never by building a view.

/** The team folder read once for a state build: this member's status (or why the settings are unusable) and the offers. */
export interface TeamRead {
  status: TeamStatus | null;
  problem: string | null;
  offers: TeammateOffers[];
}

export function readTeam(engine: Engine): TeamRead {
  let settings: ReturnType<Engine['team']['settings']>;
  try {
    settings = engine.team.settings();
  } catch (error) {
    if (isUserError(error)) return { status: null, problem: error.message, offers: [] };
    throw error;
  }
  const read = engine.team.read(settings);
  const sources = { ctx: engine.ctx, team: engine.team, activePrompt: (skill: string) => engine.prompts.active(skill).prompt };
  return { status: engine.team.status({ share: false, read }), problem: null, offers: teamOffers(sources, read) };
}

export function teamView(engine: Engine, { status: team, problem, offers }: TeamRead): TeamView {
  const byMember = new Map(offers.map((o) => [o.member, o]));
  const skipped = new Set(team?.skipped.map((s) => s.member) ?? []);
  return {
    folder: team?.folder ?? engine.ctx.config.config.team.folder,
    member: team?.member ?? null,
    defaultMember: defaultMember(),
    shareProblem: team?.writeError ?? null,
    problem,
    teammates: (team?.members ?? [])
      .filter((m) => !skipped.has(m.member))
      .map((m) => {
        const offer = byMember.get(m.member);
        return {
          member: m.member,
          writtenAt: offer?.writtenAt ?? null,
          versions: offer?.versions.map(({ key: _k, dismissed: _d, testedBefore: _t, ...v }) => v) ?? [],
          tests: offer?.tests.map(({ key: _k, dismissed: _d, ...t }) => t) ?? [],
        };
      }),
    skipped: team?.skipped ?? [],
  };
}

/**
 * The one offer the popover shows for a skill: a teammate's test to run too (it pools votes at once), else a
 * teammate's version never tested here that does better for them than this skill does here. Nothing when the
 * skill has a test or an evolution under way, or cannot be tested, nor what the person answered "Not now" to.
 */
export function teamOfferFor(offers: TeammateOffers[], skill: string, accuracy: number | null): TeamOfferView | null {
  for (const o of offers) {
    const test = o.tests.find((t) => t.skill === skill && t.canJoin && !t.dismissed);
    if (test) return { kind: 'test', key: test.key, member: o.member, text: `${o.member} is testing ${test.arms} prompts.` };
  }
  for (const o of offers) {
    const v = o.versions.find(
      (x) =>
        x.skill === skill &&
        x.canTest &&
        !x.testedBefore &&
        !x.dismissed &&
        (x.accuracy === null || accuracy === null || x.accuracy > accuracy),
    );
    if (v) {
      const how = v.accuracy === null ? '' : ` (${percent(v.accuracy)} for them)`;
      return { kind: 'version', key: v.key, member: o.member, text: `${o.member} runs version ${v.version}${how}.` };
    }
  }
  return null;
}

/** The team folder's member files by size and time: what the state feed polls to see a teammate's new file. */
export function teamSignature(engine: Engine): string {
  const folder = engine.ctx.config.config.team.folder;
  if (!folder) return '';
  try {
    const root = engine.team.settings()?.folder ?? folder;
    return fs
      .readdirSync(root)
      .sort()
      .map((name) => {
        try {
          const stat = fs.statSync(path.join(root, name, 'share.json'));
          return `${name}:${stat.size}:${stat.mtimeMs}`;
        } catch {
          return name;
        }
      })
      .join('|');
  } catch (error) {
    return `unreadable:${(error as NodeJS.ErrnoException).code ?? ''}`;
  }
}
