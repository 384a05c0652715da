import fs from 'node:fs';
import path from 'node:path';
import { BUNDLED_SKILLS_DIR } from '../../main/engine/skills/skill-registry';
import { parseSkillFile } from '../../main/engine/skills/skill-file';
import { SCHEMA_VERSION } from '../../main/engine/store/migrations';
import { promptHash } from '../../main/engine/util/ids';
import { configVersion, openRows, type Snapshot } from './snapshot';

/**
 * broken: the data contradicts itself or cannot be used (two current versions, a current version without its file,
 * config.yaml and the database disagreeing, a file with two names); lost: something acknowledged or kept is gone
 * (a vote, a feedback, a version file, a rename the log does not know); duplicated: something counted or applied
 * twice (vote counters above the picked rounds, two result rows for one arm of one task, two promotions of one session).
 */
export type ViolationKind = 'broken' | 'lost' | 'duplicated';

export interface Violation {
  kind: ViolationKind;
  what: string;
}

/** The files of a watched folder as seeded: inode → original name. */
export interface WatchedFiles {
  folder: string;
  files: Map<number, string>;
}

export interface CheckOptions {
  /** Nobody edits config.yaml's versions by hand in the scenario, so an 'imported' version is a phantom (default true). */
  noHandEdits?: boolean;
  watched?: WatchedFiles;
}

const v = (kind: ViolationKind, what: string): Violation => ({ kind, what });

/** Collects findings: `when(condition, kind, what)` records one when the condition holds. */
class Findings {
  readonly list: Violation[] = [];
  when(condition: boolean, kind: ViolationKind, what: string | (() => string)): void {
    if (condition) this.list.push(v(kind, typeof what === 'string' ? what : what()));
  }
}

/** Every invariant that holds for any data folder at rest (after the next start-up's crash recovery). */
export function checkInvariants(s: Snapshot, options: CheckOptions = {}): Violation[] {
  if (s.schemaVersion === null) return [v('broken', 'no database file')];
  const f = new Findings();
  f.when(s.schemaVersion !== SCHEMA_VERSION, 'broken', `schema version ${s.schemaVersion}, expected ${SCHEMA_VERSION}`);
  f.when(s.configError !== null, 'broken', () => `config.yaml does not parse: ${s.configError!.split('\n')[0]}`);
  checkVersions(f, s, options.noHandEdits ?? true);
  checkSessions(f, s);
  checkVotes(f, s);
  checkTasks(f, s);
  if (options.watched) checkFiles(f, s, options.watched);
  return f.list;
}

function templateFile(dataDir: string, template: string): string | null {
  const name = template.replace(/^skills\//, '');
  return [path.join(dataDir, 'skills', name), path.join(BUNDLED_SKILLS_DIR, name)].find((file) => fs.existsSync(file)) ?? null;
}

function fileHash(file: string): string | null {
  try {
    return promptHash(parseSkillFile(fs.readFileSync(file, 'utf8'), file).prompt);
  } catch {
    return null;
  }
}

const list = <T>(items: T[], show: (item: T) => string): string => items.map(show).join(', ');

function checkVersions(f: Findings, s: Snapshot, noHandEdits: boolean): void {
  for (const j of s.journal) {
    f.when(true, 'broken', `promotion journal row ${j.id} (${j.action} of ${j.skill}, pid ${j.pid}) left after recovery`);
  }
  for (const skill of new Set(s.history.map((h) => h.skill))) {
    const rows = s.history.filter((h) => h.skill === skill);
    const open = openRows(s, skill);
    const openList = () => list(open, (o) => `v${o.version} ${o.evolution_source}`);
    f.when(open.length !== 1, 'broken', () => `${skill} has ${open.length} current versions (${openList()})`);
    const config = configVersion(s, skill);
    const [current] = open;
    f.when(
      open.length === 1 && (config.version !== current.version || config.template !== current.prompt_template_path),
      'broken',
      () =>
        `${skill}: config.yaml names v${config.version} (${config.template}), ` +
        `the database runs v${current.version} (${current.prompt_template_path})`,
    );
    for (const version of new Set(rows.map((r) => r.version))) {
      const hashes = new Set(rows.filter((r) => r.version === version).map((r) => r.prompt_hash));
      f.when(hashes.size > 1, 'broken', `${skill} v${version} is recorded with ${hashes.size} different prompts`);
    }
    const seen = new Set<string>();
    for (const row of rows) {
      const key = `${row.version}:${row.prompt_template_path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const file = templateFile(s.dataDir, row.prompt_template_path);
      const isCurrent = open.some((o) => o.version === row.version);
      const where = `${skill} v${row.version}: ${row.prompt_template_path}`;
      const consequence = isCurrent ? ' (the current version)' : ': rollback --to it fails';
      f.when(!file, isCurrent ? 'broken' : 'lost', `${where} is missing${consequence}`);
      const otherPrompt = Boolean(file && row.prompt_hash && fileHash(file) !== row.prompt_hash);
      f.when(otherPrompt, 'broken', `${where} holds another prompt than the one recorded`);
    }
    for (const row of rows.filter((r) => noHandEdits && r.evolution_source === 'imported')) {
      f.when(true, 'broken', `${skill}: phantom 'imported' v${row.version} recorded (${row.notes ?? 'no note'})`);
    }
  }
  // A version file no history row names: a failed or losing writer left it behind.
  const skillsDir = path.join(s.dataDir, 'skills');
  const named = new Set(s.history.map((h) => h.prompt_template_path));
  for (const file of fs.existsSync(skillsDir) ? fs.readdirSync(skillsDir) : []) {
    const debris = /^[a-z0-9-]+-v\d+\.md$/.test(file) && !named.has(`skills/${file}`);
    f.when(debris, 'broken', `skills/${file} belongs to no recorded version (debris)`);
  }
}

function checkSessions(f: Findings, s: Snapshot): void {
  for (const session of s.sessions) {
    const promoted = s.history.filter((h) => h.session_id === session.id && h.evolution_source === 'promotion');
    const says = session.outcome ?? session.status;
    const name = `session ${session.id}`;
    const versions = () => list(promoted, (p) => `v${p.version}`);
    f.when(promoted.length > 1, 'duplicated', () => `${name} was promoted ${promoted.length} times (${versions()})`);
    f.when(session.outcome === 'promoted' && promoted.length === 0, 'broken', `${name} says promoted, but no version came from it`);
    const unpromoted = promoted.length > 0 && session.outcome !== 'promoted';
    f.when(unpromoted, 'broken', () => `v${promoted[0].version} came from ${name}, which says ${says}`);
  }
}

/** A counter against what it counts: above is duplicated, below is lost. */
function counter(f: Findings, name: string, counted: number, actual: number, what: string): void {
  f.when(counted !== actual, counted > actual ? 'duplicated' : 'lost', `${name} counts ${counted} ${what.replace('#', String(actual))}`);
}

function checkVotes(f: Findings, s: Snapshot): void {
  const tasks = new Map(s.tasks.map((t) => [t.id, t]));
  for (const arm of s.variants) {
    const picked = s.rounds.filter((r) => r.status === 'picked' && r.picked_variant_id === arm.id).length;
    const withFeedback = s.tasks.filter((t) => t.variant_id === arm.id && t.outcome !== null);
    const accepted = withFeedback.filter((t) => t.outcome === 'accepted').length;
    const name = `arm ${arm.variant_letter} of ${arm.session_id}`;
    counter(f, name, arm.votes, picked, 'votes for # picked rounds');
    counter(f, name, arm.served, withFeedback.length, 'served for # tasks with feedback');
    counter(f, name, arm.accepted, accepted, 'accepted for # accepted tasks');
  }
  const perArm = new Map<string, number>();
  for (const r of s.results) perArm.set(`${r.task_id}|${r.variant_id}`, (perArm.get(`${r.task_id}|${r.variant_id}`) ?? 0) + 1);
  for (const [key, n] of perArm) f.when(n > 1, 'duplicated', `${n} ab_test_results rows for task|arm ${key}`);
  for (const round of s.rounds) {
    const options = (JSON.parse(round.options) as { variant_id: string }[]).map((o) => o.variant_id);
    const votes = s.results.filter((r) => r.task_id === round.task_id && r.user_choice !== null);
    const task = tasks.get(round.task_id);
    const answered = round.status === 'picked' || round.status === 'none';
    const name = `round ${round.task_id} (${round.status})`;
    for (const arm of answered ? options : []) {
      const rows = votes.filter((r) => r.variant_id === arm);
      const expected = round.status === 'picked' && arm === round.picked_variant_id ? 1 : 0;
      f.when(rows.length === 0, 'lost', `${name} has no result row for arm ${arm}`);
      f.when(
        rows.some((r) => r.user_choice !== expected),
        'broken',
        `${name}: results disagree with the answer for arm ${arm}`,
      );
    }
    f.when(!answered && votes.length > 0, 'broken', `${name} has ${votes.length} vote results (an answer flipped)`);
    if (round.status === 'picked') {
      f.when(!task, 'lost', `${name} has no task row`);
      f.when(Boolean(task && task.variant_id !== round.picked_variant_id), 'broken', () => `${name}: its task is arm ${task!.variant_id}`);
    } else {
      f.when(task?.source === 'vote', 'broken', `${name} kept the task of a pick (an answer flipped)`);
    }
  }
}

function checkTasks(f: Findings, s: Snapshot): void {
  const tasks = new Map(s.tasks.map((t) => [t.id, t]));
  for (const t of s.tasks) {
    const half = (t.outcome === null) !== (t.feedback_at === null);
    f.when(half, 'broken', `task ${t.id}: outcome ${t.outcome} with feedback_at ${t.feedback_at}`);
    f.when(t.outcome === 'edited' && !t.final_output, 'broken', `task ${t.id} is edited without a final output`);
  }
  for (const r of s.results.filter((x) => x.user_choice === null)) {
    const t = tasks.get(r.task_id);
    f.when(!t, 'lost', `served result of task ${r.task_id} has no task row`);
    const success = !t || t.outcome === null ? null : t.outcome === 'accepted' ? 1 : 0;
    const disagrees = Boolean(t && t.variant_id === r.variant_id && r.task_success !== success);
    f.when(disagrees, 'broken', () => `served task ${t!.id} is ${t!.outcome} but its result says success=${r.task_success}`);
  }
}

function checkFiles(f: Findings, s: Snapshot, watched: WatchedFiles): void {
  const entries = fs.readdirSync(watched.folder).map((name) => ({ name, stat: fs.lstatSync(path.join(watched.folder, name)) }));
  for (const [ino, original] of watched.files) {
    const names = entries.filter((e) => e.stat.ino === ino).map((e) => e.name);
    if (names.length === 0) {
      f.when(true, 'lost', `${original} is gone from the folder`);
      continue;
    }
    const links = Math.max(names.length, entries.find((e) => e.stat.ino === ino)!.stat.nlink);
    f.when(links > 1, 'broken', `${original} has ${links} names (${names.join(', ')}): a hard link was left`);
    const live = s.renames.filter((r) => r.inode === ino && r.undone_at === null);
    f.when(live.length > 1, 'duplicated', () => `${original}: ${live.length} renames in the log (${list(live, (r) => r.to_name)})`);
    for (const name of names.filter((n) => n !== original && !live.some((r) => r.to_name === n))) {
      f.when(true, 'lost', `${original} is now also ${name}, a name the rename log does not know: undo cannot remove it`);
    }
    for (const r of live.filter((x) => !names.includes(x.to_name))) {
      f.when(true, 'broken', `the rename log says ${original} → ${r.to_name}, but no such file`);
    }
    const renamed = names.some((n) => n !== original);
    for (const p of s.proposals.filter((x) => x.inode === ino)) {
      const now = names.join(', ');
      const elsewhere = p.status === 'renamed' && !names.includes(p.final_name ?? '');
      f.when(elsewhere, 'broken', `proposal ${p.id} says renamed → ${p.final_name}, the file is ${now}`);
      f.when(p.status !== 'renamed' && renamed, 'broken', `proposal ${p.id} says ${p.status}, but the file was renamed to ${now}`);
      const feedback = s.tasks.some((t) => t.id === p.task_id && t.outcome !== null);
      const unrecorded = p.kind === 'single' && p.status === 'renamed' && !feedback;
      f.when(unrecorded, 'lost', `proposal ${p.id} was renamed but its feedback (task ${p.task_id}) is missing`);
    }
  }
}
