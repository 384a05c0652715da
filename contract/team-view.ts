/**
 * The team as the app shows it (Preferences › Team, and the popover's offers): part of the one contract in
 * api.ts, which re-exports these. Plain data only.
 */

/** A version of a skill a teammate runs, and whether this person can test it against their own prompt now. */
export interface TeammateVersionView {
  skill: string;
  version: number;
  /** Their accuracy with it, on their own tasks; null before they have enough feedback. */
  accuracy: number | null;
  canTest: boolean;
  /** Why it cannot be tested now ("You run this version."), or that it was tested before; null otherwise. */
  note: string | null;
}

/** A teammate's A/B test under way: running it too makes both people's votes decide one winner. */
export interface TeammateTestView {
  skill: string;
  arms: number;
  /** Votes the teammate has given in it. */
  votes: number;
  canJoin: boolean;
  /** This person runs the same test: their votes already pool. */
  joined: boolean;
  note: string | null;
}

export interface TeammateView {
  member: string;
  /** When their app last wrote their file; null when they have shared nothing yet. */
  writtenAt: string | null;
  versions: TeammateVersionView[];
  tests: TeammateTestView[];
}

export interface TeamView {
  /** The shared folder; null when not in a team. */
  folder: string | null;
  /** This person's name in the folder; null when not in a team. */
  member: string | null;
  /** The name a join uses when none is given (<user>-<hostname>). */
  defaultMember: string;
  /** Why this person's file could not be written (an unmounted drive, a read-only folder); null when it was. */
  shareProblem: string | null;
  /** A problem with the team settings themselves (a team.member that is not a name); null when none. */
  problem: string | null;
  /** Teammates seen in the folder, by name; a member whose file was skipped is listed under skipped instead. */
  teammates: TeammateView[];
  /** Files left out, and why: half-synced, broken, written by a newer tinyArms. */
  skipped: { member: string; file: string; reason: string }[];
}

/** What the popover offers for one skill: a teammate's test to run too, or a teammate's version to test. */
export interface TeamOfferView {
  kind: 'test' | 'version';
  /** Names the offer for dismissTeamOffer ("Not now"). */
  key: string;
  member: string;
  /** One sentence, under the skill it is about: "ana is testing 3 prompts.", "ana runs version 4 (93% for them)." */
  text: string;
}
