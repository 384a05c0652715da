import type { EngineContext } from '../context';
import { armHash } from '../util/ids';
import type { Team } from './team';
import type { PeerRead, PromotedVersion, TeamFile, TeamSession } from './team-file';

/*
 * What a teammate's file offers this person: the version of each skill they run (to test against ours) and their
 * A/B tests under way (to run too, so both people's votes decide one winner). Each offer says whether it can be
 * taken now and, when not, why in one sentence. The app's Team pane and popover show these; the CLI's
 * `team adopt` / `team test` do the same actions.
 */

export interface TeammateVersionOffer {
  /** Names the offer for "Not now": this member's version of this skill, by its prompt's hash. */
  key: string;
  /** The person answered "Not now" to it. */
  dismissed: boolean;
  skill: string;
  version: number;
  /** Their accuracy with it, on their own tasks; null before they have enough feedback. */
  accuracy: number | null;
  canTest: boolean;
  /** This person already had this exact prompt in one of their tests (or runs it). */
  testedBefore: boolean;
  /** Why it cannot be tested now, or that it was tested before; null otherwise. */
  note: string | null;
}

export interface TeammateTestOffer {
  /** Names the offer for "Not now": this member's test, by its session id. */
  key: string;
  dismissed: boolean;
  skill: string;
  arms: number;
  /** Votes the teammate has given in it. */
  votes: number;
  canJoin: boolean;
  /** This person runs the same test (the same prompts): their votes already pool. */
  joined: boolean;
  note: string | null;
}

export interface TeammateOffers {
  member: string;
  writtenAt: string;
  versions: TeammateVersionOffer[];
  tests: TeammateTestOffer[];
}

export interface OfferSources {
  ctx: EngineContext;
  team: Team;
  /** The prompt a skill runs now. */
  activePrompt(skill: string): string;
}

interface LocalSkill {
  /** Why nothing can be started for it here; null when a test could start. */
  blocked: string | null;
  activeHash: string;
  /** The arms of its test under way, by hash; null when none runs. */
  running: Set<string> | null;
  /** Every prompt it has had in a test, by hash. */
  tested: Set<string>;
}

function localSkill(sources: OfferSources, skill: string): LocalSkill | null {
  const { ctx } = sources;
  if (!ctx.skills.has(skill)) return null;
  const variants = ctx.db
    .prepare(
      `SELECT s.status, v.prompt_template AS prompt FROM prompt_variants v JOIN prompt_evolution_sessions s ON s.id = v.session_id
       WHERE s.skill = ?`,
    )
    .all(skill) as { status: string; prompt: string }[];
  const runningRows = variants.filter((v) => v.status === 'active');
  const running = runningRows.length > 0 ? new Set(runningRows.map((v) => armHash(v.prompt))) : null;
  let blocked: string | null = null;
  if (!ctx.skills.get(skill).evolvable) blocked = 'This skill’s prompt is not tested here.';
  else if (ctx.config.config.skills[skill]?.enabled === false) blocked = 'This skill is turned off here.';
  else if (running) blocked = 'A test of this skill is under way here.';
  return { blocked, activeHash: armHash(sources.activePrompt(skill)), running, tested: new Set(variants.map((v) => armHash(v.prompt))) };
}

/** The version of a skill a teammate runs now, else their latest promotion. */
function currentVersions(file: TeamFile): PromotedVersion[] {
  const bySkill = new Map<string, PromotedVersion>();
  for (const p of file.promoted) {
    const seen = bySkill.get(p.skill);
    const better = !seen || (p.active && !seen.active) || (p.active === seen.active && p.version > seen.version);
    if (better) bySkill.set(p.skill, p);
  }
  return [...bySkill.values()].sort((a, b) => a.skill.localeCompare(b.skill));
}

function versionOffer(member: string, p: PromotedVersion, local: LocalSkill, dismissed: Set<string>): TeammateVersionOffer {
  const key = `version:${member}:${p.skill}:${p.hash}`;
  const runs = p.hash === local.activeHash;
  const testedBefore = runs || local.tested.has(p.hash);
  const canTest = !runs && local.blocked === null;
  const note = runs ? 'You run this version.' : (local.blocked ?? (testedBefore ? 'You tested this version before.' : null));
  return { key, dismissed: dismissed.has(key), skill: p.skill, version: p.version, accuracy: p.accuracy, canTest, testedBefore, note };
}

function testOffer(member: string, s: TeamSession, local: LocalSkill, dismissed: Set<string>): TeammateTestOffer {
  const key = `test:${member}:${s.id}`;
  const votes = s.groups.reduce((t, g) => t + Object.values(g.picks).reduce((n, k) => n + k, 0), 0);
  const joined = local.running !== null && local.running.size === s.arms.length && s.arms.every((h) => local.running!.has(h));
  const intact = s.prompts.every((prompt, i) => armHash(prompt) === s.arms[i]);
  const canJoin = !joined && intact && local.blocked === null;
  const note = joined
    ? 'You run this test too: your votes pool.'
    : !intact
      ? 'Their file lists prompts that do not match their hashes.'
      : local.blocked;
  return { key, dismissed: dismissed.has(key), skill: s.skill, arms: s.arms.length, votes, canJoin, joined, note };
}

/**
 * Every teammate's offers, for the skills this person has; empty when not in a team. `read`: the team folder as
 * already read (the app reads it once per state build for the status and the offers).
 */
export function teamOffers(sources: OfferSources, read?: PeerRead): TeammateOffers[] {
  let peers: TeamFile[];
  if (read) peers = read.peers;
  else {
    let settings: ReturnType<Team['settings']>;
    try {
      settings = sources.team.settings();
    } catch {
      return []; // a team.member that is not a name: the Team pane says so from the status
    }
    peers = settings ? sources.team.read(settings).peers : [];
  }
  if (peers.length === 0) return [];
  const dismissed = sources.team.dismissedOffers();
  const locals = new Map<string, LocalSkill | null>();
  const local = (skill: string) => {
    if (!locals.has(skill)) locals.set(skill, localSkill(sources, skill));
    return locals.get(skill) ?? null;
  };
  return peers.map((peer) => ({
    member: peer.member,
    writtenAt: peer.written_at,
    versions: currentVersions(peer).flatMap((p) => {
      const here = local(p.skill);
      return here ? [versionOffer(peer.member, p, here, dismissed)] : [];
    }),
    tests: peer.sessions
      .filter((s) => s.status === 'active')
      .flatMap((s) => {
        const here = local(s.skill);
        return here ? [testOffer(peer.member, s, here, dismissed)] : [];
      }),
  }));
}
