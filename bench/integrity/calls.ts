// What one call by one actor answered, and whether that answer is acceptable in a race.

/** How a call reached the engine: a CLI process, an engine held open in a process, or `tinyarms serve` over HTTP. */
export type Via = 'cli' | 'engine' | 'http-app' | 'http-task';

export interface CallResult {
  via: Via;
  /** What was asked, e.g. "cli vote cast t1 2" (for the report). */
  label: string;
  /** Acknowledged: exit 0, an engine call that returned, HTTP 200 with ok: true. */
  ok: boolean;
  /** The refusal or error as the caller saw it (CLI: its stderr; HTTP: the ApiResult's error). */
  message: string;
  /** CLI exit code, HTTP status; null when the process died. */
  code: number | null;
  /** Not a user-facing refusal: a non-UserError, HTTP 5xx, a crash, a stack trace. */
  internal: boolean;
  /** The parsed answer of an acknowledged call (CLI --json stdout, the engine's return, ApiResult value). */
  value?: unknown;
  /** Its process was killed on purpose (kill -9 scenarios): neither a success nor a failure. */
  killed?: boolean;
}

export type Verdict = 'ok' | 'refused' | 'failed' | 'killed';

/**
 * The clean refusals a loser of a race may get, as the issue words them. A refusal counts as clean only when
 * the scenario allows it, it is one plain line (CLI: "tinyarms: …" on stderr, exit 1 or 2, nothing on stdout;
 * HTTP: a 4xx ApiResult), and the state checks find nothing changed by it. Anything else is a failed call.
 */
export const REFUSALS = {
  promotionBusy: /another (promotion|rollback|promotion or rollback|change) of [\w-]+ is in progress/i,
  alreadyPromoted: /already promoted a variant/i,
  sameVersion: /already runs version \d+/i,
  alreadyAnswered: /was already answered/i,
  feedbackExists: /already has feedback/i,
  alreadyDecided: /was already decided|is being decided in another window or process/i,
  configChanged: /config\.yaml (changed|was changed|has changed)/i,
  sessionClosed: /takes no more votes|has no active A\/B session/i,
} as const;

export type RefusalName = keyof typeof REFUSALS;

/** Messages that are never a clean refusal, whatever the scenario allows: the engine lost a race it should win. */
const NEVER_CLEAN =
  /database is locked|SQLITE_BUSY|constraint failed|table \S+ already exists|duplicate column|no such table|disk I\/O|internal error/i;

export interface Judged {
  verdict: Verdict;
  /** Why a call failed, one line (without the call's label). */
  reason: string | null;
}

/** The command of a call without its arguments: "cli task record", "engine vote", "http setPreference". */
export function callKind(call: CallResult): string {
  if (call.via === 'cli') return call.label.split(' ').slice(0, 3).join(' ');
  return call.label.split(/[ (]/).slice(0, 2).join(' ');
}

export function judge(call: CallResult, allowed: readonly RefusalName[]): Judged {
  if (call.killed) return { verdict: 'killed', reason: null };
  if (call.ok) return { verdict: 'ok', reason: null };
  const message = call.message.trim();
  const first = message.split('\n')[0] ?? '';
  const fail = (why: string): Judged => ({ verdict: 'failed', reason: why });
  if (call.internal) return fail(`internal: ${first || `code ${call.code}`}`);
  if (NEVER_CLEAN.test(message)) return fail(first);
  if (call.via === 'cli') {
    if (call.code !== 1 && call.code !== 2) return fail(`exit ${call.code}: ${first}`);
    if (message.split('\n').length !== 1 || !first.startsWith('tinyarms: ')) return fail(`not one plain line: ${first}`);
  }
  if (call.via === 'http-app' || call.via === 'http-task') {
    if (call.code === null || call.code < 400 || call.code >= 500) return fail(`HTTP ${call.code}: ${first}`);
  }
  if (allowed.some((name) => REFUSALS[name].test(message))) return { verdict: 'refused', reason: null };
  return fail(`unexpected refusal: ${first}`);
}

/** A vote or feedback that the engine reported as an idempotent replay ("already recorded; nothing changed"). */
export function isDuplicate(call: CallResult): boolean {
  const value = call.value as { duplicate?: unknown; changed?: unknown } | null | undefined;
  return Boolean(value && typeof value === 'object' && value.duplicate === true);
}
