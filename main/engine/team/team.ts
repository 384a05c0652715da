import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PeerVotesSource } from '../ab/session-types';
import { nowIso, type EngineContext } from '../context';
import { writeTransaction } from '../store/database';
import { isUserError, UserError, usageError } from '../util/errors';
import { expandHome } from '../util/fs';
import { armHash } from '../util/ids';
import { buildTeamFile } from './share';
import {
  isMemberName,
  memberFile,
  readPeers,
  writeTeamFile,
  type PeerRead,
  type PromotedVersion,
  type SkippedFile,
  type TeamFile,
} from './team-file';
import { poolPeerPicks } from './team-pool';

/*
 * A team pools its votes through a folder a sync tool keeps in step (README "Teams"). No server: each member
 * writes only <folder>/<member>/share.json, and reads the others' files when a session's results are computed.
 */

export interface TeamSettings {
  folder: string;
  member: string;
  weight: number;
  shareInputs: boolean;
}

export interface TeamStatus {
  enabled: boolean;
  folder: string | null;
  member: string | null;
  weight: number;
  shareInputs: boolean;
  /** This member's own file, and why it could not be written (null when it was). */
  file: string | null;
  writeError: string | null;
  members: { member: string; writtenAt: string | null; promoted: number; sessions: number }[];
  skipped: SkippedFile[];
}

/** `<user>-<hostname>`, as a member name: stable on one machine for one account. */
export function defaultMember(user = os.userInfo().username, host = os.hostname()): string {
  const clean = (s: string) =>
    s
      .toLowerCase()
      .replace(/\.local$/, '')
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z0-9]+|[-.]+$/g, '');
  const name = `${clean(user) || 'user'}-${clean(host) || 'mac'}`.slice(0, 64);
  return isMemberName(name) ? name : 'member';
}

export type SkipListener = (skipped: SkippedFile) => void;

export class Team {
  private lastWritten: string | null = null;
  private writeError: string | null = null;
  private readonly skipListeners = new Set<SkipListener>();
  private readonly reported = new Set<string>();

  constructor(private readonly ctx: EngineContext) {}

  /** The team settings in force; null when no team folder is set. A bad member name is a config error. */
  settings(): TeamSettings | null {
    const team = this.ctx.config.config.team;
    if (!team.folder) return null;
    const member = team.member ?? defaultMember();
    if (!isMemberName(member)) {
      throw usageError(`team.member '${member}' must be letters, digits, - _ . (at most 64, no folders)`, 'bad_member');
    }
    return { folder: path.resolve(expandHome(team.folder)), member, weight: team.peer_vote_weight, shareInputs: team.share_inputs };
  }

  /** The settings, or null (no team, or a team.member that is not a name: `team status` says why). */
  private usable(): TeamSettings | null {
    try {
      return this.settings();
    } catch (error) {
      if (isUserError(error)) return null;
      throw error;
    }
  }

  /** Teammates' picks for a session's arms: the source AbSessions reads on every results(). */
  readonly peerVotes: PeerVotesSource = (request) => {
    const settings = this.usable();
    if (!settings || settings.weight === 0) return null;
    return poolPeerPicks(this.read(settings).peers, request, settings.weight);
  };

  /** Called with each peer file that is skipped, once per version of that file (a note for logs and the app). */
  onSkip(listener: SkipListener): () => void {
    this.skipListeners.add(listener);
    return () => {
      this.skipListeners.delete(listener);
    };
  }

  /**
   * Writes this member's file when what it would say has changed. Never throws for the folder's sake (a sync
   * folder may be unmounted) or the settings' (it runs after votes): the error is kept for `team status`, and
   * the next call tries again.
   */
  publish(): string | null {
    let settings: TeamSettings | null;
    try {
      settings = this.settings();
    } catch (error) {
      if (!isUserError(error)) throw error;
      this.writeError = error.message;
      return null;
    }
    if (!settings) return null;
    const file = buildTeamFile(this.ctx, settings.member, settings.shareInputs);
    const body = JSON.stringify({ ...file, written_at: '' });
    const target = memberFile(settings.folder, settings.member);
    if (body === this.lastWritten && fs.existsSync(target)) return target;
    try {
      if (!fs.statSync(settings.folder).isDirectory()) throw new Error('not a folder');
      writeTeamFile(settings.folder, file);
      this.lastWritten = body;
      this.writeError = null;
      return target;
    } catch (error) {
      this.writeError = `cannot write ${target}: ${(error as Error).message}`;
      return null;
    }
  }

  read(settings = this.settings()): PeerRead {
    if (!settings) return { members: [], peers: [], skipped: [] };
    const read = readPeers(settings.folder, settings.member);
    for (const skipped of read.skipped) {
      const key = `${skipped.file}\u0000${skipped.reason}\u0000${this.mtime(skipped.file)}`;
      if (this.reported.has(key)) continue;
      this.reported.add(key);
      this.skipListeners.forEach((listener) => listener(skipped));
    }
    return read;
  }

  /**
   * The team as this member sees it. With share (the default) this member's file is written first when it is out
   * of date; the app's state reads without sharing (it shares after each change itself). `read`: the folder as
   * already read for this view (one read per state build).
   */
  status(options: { share?: boolean; read?: PeerRead } = {}): TeamStatus {
    const team = this.ctx.config.config.team;
    const settings = this.settings(); // a bad team.member is the first thing status must say
    // A read-only data folder (another account's) is shown, never shared under this member's name.
    const share = options.share !== false && settings !== null && !this.ctx.db.readonly;
    const own = share ? this.publish() : settings ? this.sharedFile(settings) : null;
    const read = options.read ?? this.read(settings);
    const byMember = new Map(read.peers.map((p) => [p.member, p]));
    return {
      enabled: settings !== null,
      folder: settings?.folder ?? null,
      member: settings?.member ?? null,
      weight: team.peer_vote_weight,
      shareInputs: team.share_inputs,
      file: own,
      writeError: settings ? this.writeError : null,
      members: read.members.map((member) => {
        const peer = byMember.get(member);
        return { member, writtenAt: peer?.written_at ?? null, promoted: peer?.promoted.length ?? 0, sessions: peer?.sessions.length ?? 0 };
      }),
      skipped: read.skipped,
    };
  }

  /** Joins a team: team.folder (and team.member when given) in config.yaml, then shares at once. */
  join(folder: string, member?: string): TeamStatus {
    const resolved = path.resolve(expandHome(folder));
    if (member !== undefined && !isMemberName(member)) {
      throw usageError(`'${member}' is not a member name (letters, digits, - _ .)`, 'bad_member');
    }
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(resolved);
    } catch {
      /* reported below */
    }
    if (!stat?.isDirectory()) throw usageError(`${resolved} is not a folder (make it in your synced drive first)`, 'bad_team_folder');
    this.ctx.config.set(['team', 'folder'], resolved);
    if (member !== undefined) this.ctx.config.set(['team', 'member'], member);
    this.lastWritten = null;
    return this.status();
  }

  /** Leaves the team: the folder setting goes; the files already shared stay (teammates' copies are theirs). */
  leave(): void {
    this.ctx.config.unsetMany(
      [
        ['team', 'folder'],
        ['team', 'member'],
      ],
      'leave the team',
    );
    this.lastWritten = null;
  }

  /** A teammate's promoted version of a skill: the one they run now, else their latest. */
  teammateVersion(member: string, skill: string): PromotedVersion {
    const peer = this.peer(member);
    const versions = peer.promoted.filter((p) => p.skill === skill).sort((a, b) => b.version - a.version);
    const version = versions.find((p) => p.active) ?? versions[0];
    if (!version) throw new UserError(`${member} has no promoted version of ${skill}`, { exitCode: 2, code: 'nothing_promoted' });
    return version;
  }

  private peer(member: string): TeamFile {
    const settings = this.settings();
    if (!settings) throw usageError('not in a team: run `tinyarms team join <folder>` first', 'no_team');
    const read = this.read(settings);
    const peer = read.peers.find((p) => p.member === member);
    if (peer) return peer;
    const skipped = read.skipped.find((s) => s.member === member);
    if (skipped) throw new UserError(`${member}'s file is skipped: ${skipped.reason}`, { exitCode: 2, code: 'peer_skipped' });
    const known = read.peers.map((p) => p.member).join(', ') || 'none yet';
    throw new UserError(`no teammate '${member}' in ${settings.folder} (members: ${known})`, { exitCode: 2, code: 'unknown_member' });
  }

  /** A teammate's running A/B test of a skill, with its arms' prompts checked against their hashes. */
  teammateTest(member: string, skill: string): { id: string; prompts: string[] } {
    const peer = this.peer(member);
    const session = peer.sessions.find((s) => s.skill === skill && s.status === 'active');
    if (!session) throw new UserError(`${member} has no A/B test of ${skill} running`, { exitCode: 2, code: 'no_session' });
    if (session.prompts.some((prompt, i) => armHash(prompt) !== session.arms[i])) {
      throw new UserError(`${member}'s test of ${skill} lists prompts that do not match their hashes; skipped`, { code: 'peer_skipped' });
    }
    return { id: session.id, prompts: session.prompts };
  }

  /** "Not now" to a teammate's offer (offers.ts names it by key): it is not offered again. */
  dismissOffer(key: string): void {
    if (!/^(test|version):/.test(key) || key.length > 300) throw usageError(`'${key.slice(0, 80)}' is not a team offer`, 'bad_offer');
    writeTransaction(this.ctx.db, () => {
      this.ctx.db.prepare(`INSERT OR IGNORE INTO team_offer_dismissals (offer_key, dismissed_at) VALUES (?, ?)`).run(key, nowIso(this.ctx));
    });
  }

  dismissedOffers(): Set<string> {
    const rows = this.ctx.db.prepare(`SELECT offer_key FROM team_offer_dismissals`).all() as { offer_key: string }[];
    return new Set(rows.map((r) => r.offer_key));
  }

  private sharedFile(settings: TeamSettings): string | null {
    const file = memberFile(settings.folder, settings.member);
    return fs.existsSync(file) ? file : null;
  }

  private mtime(file: string): number {
    try {
      return fs.statSync(file).mtimeMs;
    } catch {
      return 0;
    }
  }
}
