import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../util/atomic-write';
import { problems, skillNameSchema, v } from '../util/schema';

/*
 * One member's file in the team folder: <folder>/<member>/share.json, written only by that member, atomically
 * (temp + rename), so a sync tool never carries a half-written file from a careful writer; a half-synced or
 * hand-broken file is still possible on the reader's side, and is skipped with a note. Arms are named by the
 * hash of their prompt text (promptHash of the trimmed prompt), never by letters or ids, which differ per member.
 */

export const TEAM_FILE_NAME = 'share.json';
export const TEAM_FORMAT = 'tinyarms-team';
export const TEAM_FILE_VERSION = 1;

const MEMBER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const HASH_PATTERN = /^[0-9a-f]{16}$/;

export const memberSchema = v.pipe(
  v.string('a member name (letters, digits, - _ .)'),
  v.regex(MEMBER_PATTERN, 'a member name (letters, digits, - _ ., at most 64)'),
);
const hashSchema = v.pipe(v.string('a prompt hash (16 hex digits)'), v.regex(HASH_PATTERN, 'a prompt hash (16 hex digits)'));
const SHARE = 'an accuracy in [0, 1]';
const count = v.pipe(v.number('a count'), v.integer('a whole count'), v.minValue(0, 'a count >= 0'));

const promotedSchema = v.object({
  skill: skillNameSchema,
  version: v.pipe(v.number('a version number'), v.integer('a version number'), v.minValue(1, 'a version >= 1')),
  hash: hashSchema,
  prompt: v.pipe(v.string('the prompt text'), v.minLength(1, 'a prompt')),
  accuracy: v.nullable(v.pipe(v.number(SHARE), v.minValue(0, SHARE), v.maxValue(1, SHARE))),
  promoted_at: v.string('a date'),
  active: v.boolean('true or false'),
});

/** Picks of the rounds that showed exactly these arms: the pooling uses a group only if it showed every arm in our test. */
const groupSchema = v.pipe(
  v.object({
    shown: v.pipe(v.array(hashSchema, 'a list of prompt hashes'), v.minLength(2, 'at least two arms')),
    picks: v.record(hashSchema, count, 'picks per prompt hash'),
    rounds: count,
  }),
  v.check((g) => Object.keys(g.picks).every((h) => g.shown.includes(h)), 'picks only of arms the rounds showed'),
  v.check((g) => Object.values(g.picks).reduce((t, n) => t + n, 0) <= g.rounds, 'no more picks than rounds'),
);

const sessionSchema = v.pipe(
  v.object({
    id: v.string('a session id'),
    skill: skillNameSchema,
    status: v.picklist(['active', 'completed'], '"active" or "completed"'),
    arms: v.array(hashSchema, 'a list of prompt hashes'),
    /** The arms' prompt texts, in the order of `arms`: what a teammate needs to run the same test. */
    prompts: v.array(v.string('a prompt'), 'a list of prompts'),
    groups: v.array(groupSchema, 'a list of vote groups'),
    inputs: v.optional(v.array(v.object({ input: v.string('a task input'), picked: v.nullable(hashSchema) }), 'a list of inputs')),
  }),
  v.check((s) => s.prompts.length === s.arms.length, 'one prompt per arm'),
);

export const teamFileSchema = v.object({
  format: v.literal(TEAM_FORMAT, `"${TEAM_FORMAT}"`),
  version: v.literal(TEAM_FILE_VERSION, String(TEAM_FILE_VERSION)),
  member: memberSchema,
  written_at: v.string('a date'),
  promoted: v.array(promotedSchema, 'a list of promoted versions'),
  sessions: v.array(sessionSchema, 'a list of A/B sessions'),
});

export type TeamFile = v.InferOutput<typeof teamFileSchema>;
export type TeamSession = TeamFile['sessions'][number];
export type TeamGroup = TeamSession['groups'][number];
export type PromotedVersion = TeamFile['promoted'][number];

export const isMemberName = (name: string): boolean => MEMBER_PATTERN.test(name);

export const memberFile = (folder: string, member: string): string => path.join(folder, member, TEAM_FILE_NAME);

/** Writes this member's file, atomically, inside its own folder and nowhere else. */
export function writeTeamFile(folder: string, file: TeamFile): string {
  if (!isMemberName(file.member)) throw new RangeError(`not a member name: ${file.member}`);
  const target = memberFile(folder, file.member);
  writeFileAtomic(target, `${JSON.stringify(file, null, 2)}\n`);
  return target;
}

export type ParsedTeamFile = { ok: true; file: TeamFile } | { ok: false; reason: string };

/** Parses one peer's file text; a failure is one line saying why (half-synced, not JSON, newer format, schema). */
export function parseTeamFile(text: string, folderName: string): ParsedTeamFile {
  if (text.trim() === '') return { ok: false, reason: 'empty (still syncing?)' };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not complete JSON (half-synced or edited by hand)' };
  }
  const version = (raw as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > TEAM_FILE_VERSION) {
    return { ok: false, reason: `format version ${version}, written by a newer tinyArms (this one reads ${TEAM_FILE_VERSION})` };
  }
  const parsed = v.safeParse(teamFileSchema, raw);
  if (!parsed.success) return { ok: false, reason: problems(parsed.issues, teamFileSchema)[0] };
  if (parsed.output.member !== folderName) {
    return { ok: false, reason: `says it is member '${parsed.output.member}' but sits in folder '${folderName}'` };
  }
  return { ok: true, file: parsed.output };
}

export interface SkippedFile {
  member: string;
  file: string;
  reason: string;
}

export interface PeerRead {
  /** Member folders seen (ourselves excluded), valid or not. */
  members: string[];
  peers: TeamFile[];
  skipped: SkippedFile[];
}

const cache = new Map<string, { key: string; parsed: ParsedTeamFile }>();

/** Forgets parsed files (tests). */
export function resetTeamFileCache(): void {
  cache.clear();
}

/**
 * Every other member's file, validated; an unchanged file (same size and mtime) is not parsed again. A member
 * folder without a file yet is seen but not skipped; a file that fails is skipped with its reason.
 */
export function readPeers(folder: string, self: string): PeerRead {
  const out: PeerRead = { members: [], peers: [], skipped: [] };
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    out.skipped.push({ member: '', file: folder, reason: `the team folder cannot be read (${code})` });
    return out;
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name === self) continue;
    const file = memberFile(folder, entry.name);
    if (!isMemberName(entry.name)) continue;
    out.members.push(entry.name);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      continue; // nothing shared yet
    }
    const key = `${stat.size}:${stat.mtimeMs}`;
    let parsed = cache.get(file)?.key === key ? cache.get(file)!.parsed : null;
    if (!parsed) {
      try {
        parsed = parseTeamFile(fs.readFileSync(file, 'utf8'), entry.name);
      } catch (error) {
        parsed = { ok: false, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
      }
      cache.set(file, { key, parsed });
    }
    if (parsed.ok) out.peers.push(parsed.file);
    else out.skipped.push({ member: entry.name, file, reason: parsed.reason });
  }
  return out;
}
