import type { CallResult } from './calls';
import type { Violation } from './invariants';
import type { Snapshot } from './snapshot';

// What the callers were told against what the data folder kept: an acknowledged write must be there exactly once,
// and a race may acknowledge at most one of two conflicting writes. A call whose process was killed mid-way may or
// may not have landed; it is never counted as acknowledged.

const v = (kind: Violation['kind'], what: string): Violation => ({ kind, what });

export interface VersionCalls {
  promote?: CallResult[];
  rollback?: CallResult[];
}

/**
 * Each acknowledged promotion or rollback is one new history row of its kind, no row appears unasked (a killed call
 * may account for one), and the version running at rest is one an acknowledged (or killed) change made current.
 */
export function versionChangesMatch(before: Snapshot, after: Snapshot, calls: VersionCalls): Violation[] {
  const known = new Set(before.history.map((h) => h.id));
  const added = after.history.filter((h) => !known.has(h.id));
  const out: Violation[] = [];
  const allowed = new Set<string>();
  let acknowledged = 0;
  for (const [kind, list] of [
    ['promotion', calls.promote],
    ['rollback', calls.rollback],
  ] as const) {
    if (!list) continue;
    const acked = list.filter((c) => c.ok).length;
    const maybe = list.filter((c) => c.killed).length;
    const rows = added.filter((h) => h.evolution_source === kind).length;
    if (acked + maybe > 0) allowed.add(kind);
    acknowledged += acked;
    if (rows > acked + maybe) out.push(v('duplicated', `${rows} ${kind} rows for ${acked} acknowledged ${kind}s`));
    if (rows < acked) out.push(v('lost', `${acked - rows} acknowledged ${kind}(s) missing (${rows} rows for ${acked} acknowledged)`));
  }
  const skill = added[0]?.skill;
  const open = after.history.filter((h) => h.active_to === null && h.skill === skill);
  const current = open.length === 1 ? open[0] : null;
  const fromAllowed = added.some((h) => h.id === current?.id && allowed.has(h.evolution_source ?? ''));
  if (acknowledged > 0 && current && !fromAllowed) {
    out.push(v('lost', `acknowledged version changes were undone: the database runs v${current.version} (${current.evolution_source})`));
  }
  return out;
}

export interface Answer {
  taskId: string;
  /** An option label ('1', '2', ...), 'none' or 'skip'. */
  choice: string;
  call: CallResult;
}

/** A vote round answered by several callers: at most one answer acknowledged (repeats of it aside), and it is kept. */
export function answersMatch(after: Snapshot, answers: Answer[]): Violation[] {
  const out: Violation[] = [];
  for (const taskId of new Set(answers.map((a) => a.taskId))) {
    const round = after.rounds.find((r) => r.task_id === taskId);
    if (!round) continue;
    const acked = answers.filter((a) => a.taskId === taskId && a.call.ok);
    const distinct = [...new Set(acked.map((a) => a.choice))];
    const name = `round ${taskId}`;
    if (distinct.length > 1) out.push(v('duplicated', `${name}: ${distinct.length} answers acknowledged (${distinct.join(', ')})`));
    const applied = acked.filter((a) => (a.call.value as { duplicate?: unknown } | null)?.duplicate === false).length;
    if (applied > 1) out.push(v('duplicated', `${name}: the same answer applied ${applied} times (none reported it already recorded)`));
    const options = JSON.parse(round.options) as { label: string; variant_id: string }[];
    const kept = (choice: string) =>
      choice === 'none'
        ? round.status === 'none'
        : choice === 'skip'
          ? round.status === 'skipped'
          : round.status === 'picked' && options.find((o) => o.label === choice)?.variant_id === round.picked_variant_id;
    for (const choice of distinct.filter((c) => !kept(c))) {
      out.push(v('lost', `${name}: acknowledged answer '${choice}' not kept (the round is ${round.status})`));
    }
  }
  return out;
}

export interface FeedbackCall {
  taskId: string;
  outcome: string;
  final?: string;
  call: CallResult;
}

/** Feedback on one task from several callers: at most one verdict acknowledged, and the task holds it. */
export function feedbackMatches(after: Snapshot, items: FeedbackCall[]): Violation[] {
  const out: Violation[] = [];
  for (const taskId of new Set(items.map((i) => i.taskId))) {
    const task = after.tasks.find((t) => t.id === taskId);
    const acked = items.filter((i) => i.taskId === taskId && i.call.ok);
    const distinct = [...new Set(acked.map((i) => `${i.outcome}${i.final ? `:${i.final}` : ''}`))];
    const name = `task ${taskId}`;
    if (distinct.length > 1) out.push(v('duplicated', `${name}: ${distinct.length} verdicts acknowledged (${distinct.join(', ')})`));
    for (const verdict of distinct) {
      const [outcome, final] = verdict.split(':');
      if (!task || task.outcome !== outcome || (final !== undefined && task.final_output !== final)) {
        out.push(v('lost', `${name}: acknowledged '${verdict}' not kept (the task is ${task?.outcome ?? 'missing'})`));
      }
    }
  }
  return out;
}

/** Every acknowledged `task record` is a task row with its verdict. */
export function recordsKept(after: Snapshot, items: { id: string; outcome?: string; call: CallResult }[]): Violation[] {
  const tasks = new Map(after.tasks.map((t) => [t.id, t]));
  return items
    .filter((i) => i.call.ok && tasks.get(i.id)?.outcome !== (i.outcome ?? null))
    .map((i) => v('lost', `acknowledged task ${i.id} ${tasks.has(i.id) ? `has outcome ${tasks.get(i.id)!.outcome}` : 'is missing'}`));
}

const valueAt = (root: unknown, keys: string[]): unknown =>
  keys.reduce<unknown>((node, k) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[k] : undefined), root);

/** config.yaml holds the value of the last acknowledged write of each key (each key has one sequential writer). */
export function settingsKept(after: Snapshot, writes: { path: string[]; value: unknown; call: CallResult }[]): Violation[] {
  const last = new Map<string, { path: string[]; value: unknown }>();
  for (const w of writes) if (w.call.ok) last.set(w.path.join('.'), w);
  const out: Violation[] = [];
  for (const [key, w] of last) {
    const actual = valueAt(after.config, w.path);
    if (actual !== w.value) {
      out.push(v('lost', `config.yaml ${key} is ${JSON.stringify(actual)}, the last acknowledged write set ${JSON.stringify(w.value)}`));
    }
  }
  return out;
}

type DecisionValue = { proposal?: { status?: string; finalName?: string | null } } | null;

/** A proposal decided by several callers: at most one rename acknowledged, and the file carries its name. */
export function decisionsMatch(after: Snapshot, decisions: { id: string; call: CallResult }[]): Violation[] {
  const out: Violation[] = [];
  for (const id of new Set(decisions.map((d) => d.id))) {
    const renamed = decisions
      .filter((d) => d.id === id && d.call.ok)
      .map((d) => (d.call.value as DecisionValue)?.proposal)
      .filter((p) => p?.status === 'renamed')
      .map((p) => p!.finalName ?? null);
    if (renamed.length > 1) out.push(v('duplicated', `proposal ${id}: ${renamed.length} renames acknowledged (${renamed.join(', ')})`));
    const proposal = after.proposals.find((p) => p.id === id);
    for (const name of renamed.filter((n) => proposal?.final_name !== n)) {
      out.push(v('lost', `proposal ${id}: acknowledged rename to ${name} not kept (${proposal?.status} → ${proposal?.final_name})`));
    }
  }
  return out;
}
