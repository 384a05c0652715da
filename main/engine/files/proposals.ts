/**
 * File proposals: the file-naming skill on real files, and the person's decision on each.
 *
 *   const proposals = engine.fileProposals({ source: 'app' });     // or new FileProposals(deps, options)
 *   const off = proposals.onChange((e) => ...);  // {type:'added'|'updated', proposal} | {type:'undone', results} | {type:'error', path, message}
 *   await proposals.propose(path);        // Proposal, or null for a file tinyArms renamed itself; UserError if gone or no model
 *   proposals.list();                     // pending proposals, oldest first; proposals.get(id), proposals.history()
 *   proposals.accept(id);                 // rename to the proposed name; feedback 'accepted'
 *   proposals.accept(id, { option: '2' }) // a vote proposal (kind 'vote'): the pick; vote + 'accepted'
 *   proposals.edit(id, 'my name');        // rename to the person's name (made safe, extension kept); feedback 'edited'
 *   proposals.skip(id);                   // leave the file; NO feedback (vote: 'skip', not counted)
 *   proposals.dismiss(id);                // leave the file; feedback 'rejected' (vote: 'none is good')
 *   proposals.undoLast(n); proposals.undo(renameId);   // put renamed files back (never overwrites)
 *
 * Names come from the one serving path (TaskServer.serve: the current prompt, an A/B arm, or a vote round of
 * every arm), so a proposal's task is recorded when it is made. Decisions are in proposal-decisions.ts.
 * Proposals live in SQLite (file_proposals), so the CLI and the app see the same list.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AbSessions } from '../ab/sessions';
import type { EngineContext } from '../context';
import { nowIso } from '../context';
import type { TaskServer } from '../serving/task-server';
import type { SkillRunner } from '../serving/types';
import { writeTransaction } from '../store/database';
import { isUserError, UserError } from '../util/errors';
import { lstatOrNull } from '../util/fs';
import { newId } from '../util/ids';
import { describeFile, readFileFacts } from './metadata';
import { ProposalDecisions, type Decision } from './proposal-decisions';
import { ProposalStore, type Proposal, type ProposalOption, type ProposalRow } from './proposal-store';
import { RenameLog, type UndoResult } from './rename-log';
import { identityOf, requireRegularFile, sameIdentity } from './safe-rename';
import { sanitizeFileName } from './sanitize';

export type { Decision } from './proposal-decisions';
export type { Proposal, ProposalOption, ProposalStatus } from './proposal-store';

export type ProposalEvent =
  | { type: 'added' | 'updated'; proposal: Proposal }
  | { type: 'undone'; results: UndoResult[] }
  | { type: 'error'; path: string; message: string };

export interface ProposalDeps {
  ctx: EngineContext;
  server: Pick<TaskServer, 'serve' | 'answerInTransaction' | 'settle'>;
  sessions: Pick<AbSessions, 'round' | 'openRounds'>;
  /** What names files: the model's skill runner, or null when there is no model (see `missing`). */
  runner: () => SkillRunner | null;
  /** The one-line error for "no model", naming where to put one. */
  missing: () => UserError;
}

export interface FileProposalsOptions {
  skill?: string;
  /** Task source recorded with the proposal's task (default 'watch'). */
  source?: string;
  /** Overrides watch.max_name_length. */
  maxNameBytes?: number;
  /** Files named at once (default 1: a local model is one queue anyway). */
  concurrency?: number;
}

const NO_NAME = '(no usable name)';

export class FileProposals {
  readonly renames: RenameLog;
  private readonly store: ProposalStore;
  private readonly decisions: ProposalDecisions;
  private readonly skill: string;
  private readonly source: string;
  private readonly listeners = new Set<(event: ProposalEvent) => void>();
  private readonly inflight = new Map<string, Promise<Proposal | null>>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly deps: ProposalDeps,
    private readonly options: FileProposalsOptions = {},
  ) {
    this.skill = options.skill ?? 'file-naming';
    this.source = options.source ?? 'watch';
    this.renames = new RenameLog(deps.ctx);
    this.store = new ProposalStore(deps.ctx);
    this.decisions = new ProposalDecisions({
      ctx: deps.ctx,
      server: deps.server,
      sessions: deps.sessions,
      store: this.store,
      renames: this.renames,
      maxBytes: () => this.maxBytes(),
      updated: (proposal) => this.emit({ type: 'updated', proposal }),
    });
    this.decisions.recover();
  }

  onChange(listener: (event: ProposalEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(id: string): Proposal | undefined {
    const proposal = this.store.get(id);
    return proposal && this.showing([proposal])[0];
  }

  require(id: string): Proposal {
    return this.showing([this.store.require(id)])[0];
  }

  /** Pending proposals, oldest first. */
  list(): Proposal[] {
    return this.showing(this.store.pending());
  }

  /** Decided proposals, newest first. */
  history(limit = 20): Proposal[] {
    return this.store.decided(limit);
  }

  /**
   * Names one file. Null when tinyArms renamed this file itself; the pending proposal when the file already
   * has one. UserError when the file is gone or not a regular file, the skill is turned off, or there is no model.
   */
  async propose(file: string): Promise<Proposal | null> {
    const absolute = path.resolve(file);
    const name = path.basename(absolute);
    let folder: string;
    try {
      folder = fs.realpathSync(path.dirname(absolute));
    } catch {
      throw new UserError(`${path.dirname(absolute)} does not exist`, { code: 'file_gone' });
    }
    // Nothing there, not even a link (requireRegularFile refuses a link with its own message).
    if (!lstatOrNull(path.join(folder, name))) {
      throw new UserError(`${absolute} does not exist`, { code: 'file_gone' });
    }
    const identity = identityOf(requireRegularFile(folder, name));
    if (this.renames.isOurs(folder, name, identity)) return null;
    const pending = this.store.pendingFor(folder, name, identity);
    if (pending) {
      if (sameIdentity(this.store.identity(pending.id), identity)) return pending;
      // Same name, different content: the file was still being written when it was proposed. Propose it anew.
      this.decisions.stale(pending, 'the file changed after it was proposed (it was still being written); it was proposed again');
    }
    if (this.deps.ctx.config.config.skills[this.skill]?.enabled === false) {
      throw new UserError(`skill '${this.skill}' is turned off in config.yaml`, { code: 'skill_disabled' });
    }
    const key = `${identity.dev}:${identity.ino}:${identity.size}:${identity.mtimeMs}`;
    const running = this.inflight.get(key);
    if (running) return running;
    const job = this.limited(() => this.create(folder, name)).finally(() => this.inflight.delete(key));
    this.inflight.set(key, job);
    return job;
  }

  accept(id: string, options: { option?: string } = {}): Decision {
    return this.decisions.accept(this.requirePending(id), options.option);
  }

  edit(id: string, newName: string, options: { option?: string } = {}): Decision {
    return this.decisions.edit(this.requirePending(id), newName, options.option);
  }

  skip(id: string): Decision {
    return this.decisions.skip(this.requirePending(id));
  }

  dismiss(id: string): Decision {
    return this.decisions.dismiss(this.requirePending(id));
  }

  /** Marks pending proposals of a file that is gone or changed as stale (the watcher calls this on unlink). */
  checkFiles(filter: { path?: string } = {}): Proposal[] {
    const stale: Proposal[] = [];
    for (const proposal of this.list()) {
      if (filter.path && path.resolve(filter.path) !== proposal.path && filter.path !== proposal.path) continue;
      try {
        requireRegularFile(proposal.folder, proposal.name, this.store.identity(proposal.id));
      } catch (error) {
        if (!isUserError(error)) throw error;
        try {
          stale.push(this.decisions.stale(proposal, error.message));
        } catch (claimError) {
          // Another process is deciding it right now; its decision will say what happened.
          if (!isUserError(claimError) || claimError.code !== 'already_decided') throw claimError;
        }
      }
    }
    return stale;
  }

  undo(renameId: string): UndoResult {
    const result = this.renames.undo(renameId);
    this.emit({ type: 'undone', results: [result] });
    return result;
  }

  undoLast(count = 1): UndoResult[] {
    const results = this.renames.undoLast(count);
    if (results.length) this.emit({ type: 'undone', results });
    return results;
  }

  /** Waits for names being generated, then drops every listener. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.inflight.values()]);
    this.listeners.clear();
  }

  /**
   * A pending vote proposal offers what its round shows now: an arm that lost after the proposal was made (its
   * P(best) fell below drop_below, see docs/ab-statistics.md) is left out; the other labels stay as they were.
   */
  private showing(proposals: Proposal[]): Proposal[] {
    if (!proposals.some((p) => p.kind === 'vote' && p.status === 'pending')) return proposals;
    const rounds = new Map(this.deps.sessions.openRounds(this.skill).map((r) => [r.taskId, r]));
    return proposals.map((p) => {
      const round = p.kind === 'vote' && p.status === 'pending' ? rounds.get(p.taskId) : undefined;
      if (!round || round.options.length === p.options.length) return p;
      const labels = new Set(round.options.map((o) => o.label));
      return { ...p, options: p.options.filter((o) => labels.has(o.label)) };
    });
  }

  private maxBytes(): number {
    return this.options.maxNameBytes ?? this.deps.ctx.config.config.watch.max_name_length;
  }

  private requirePending(id: string): Proposal {
    const proposal = this.require(id);
    if (proposal.status !== 'pending') {
      throw new UserError(
        `proposal ${id} was already decided (${proposal.status}${proposal.finalName ? ` → ${proposal.finalName}` : ''})`,
        {
          exitCode: 2,
          code: 'already_decided',
        },
      );
    }
    return proposal;
  }

  private async limited<T>(fn: () => Promise<T>): Promise<T> {
    // A finished job hands its slot straight to the next waiter, so the limit is never exceeded.
    if (this.running >= Math.max(1, this.options.concurrency ?? 1)) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }

  private async create(folder: string, name: string): Promise<Proposal | null> {
    const file = path.join(folder, name);
    try {
      // Stat again: the file may have changed while it waited in the queue.
      const identity = identityOf(requireRegularFile(folder, name));
      const input = describeFile(readFileFacts(file));
      const runner = this.deps.runner();
      if (!runner) throw this.deps.missing();
      const named = await this.name(runner, input, name);
      const row: ProposalRow = {
        id: newId('fp'),
        folder,
        name,
        input,
        task_id: named.taskId,
        kind: named.kind,
        output: named.output,
        proposed: named.proposed,
        options: named.options ? JSON.stringify(named.options) : null,
        variant: named.variant,
        prompt_version: named.promptVersion,
        status: 'pending',
        outcome: null,
        final_name: null,
        note: named.note,
        inode: identity.ino,
        size: identity.size,
        mtime: identity.mtimeMs,
        created_at: nowIso(this.deps.ctx),
        decided_at: null,
      };
      // Another process (the app and the CLI) may have proposed the same file meanwhile: the first one stands.
      const proposal = this.store.insert(row);
      if (proposal.id !== row.id) {
        if (named.kind === 'vote') this.skipRound(named.taskId);
        return proposal;
      }
      this.emit({ type: 'added', proposal });
      return proposal;
    } catch (error) {
      if (!isUserError(error) || !['file_gone', 'not_a_file'].includes(error.code)) {
        this.emit({ type: 'error', path: file, message: (error as Error).message });
      }
      throw error;
    }
  }

  private async name(runner: SkillRunner, input: string, original: string) {
    // What the person sees for each arm: a safe file name, or the answer as it was when none can be made.
    const names = new Map<string, string | null>();
    let single: { output: string; safe: ReturnType<FileProposals['safeName']> } | null = null;
    const present = (output: string): string => {
      const safe = this.safeName(output, original);
      single = { output, safe };
      const text = safe.name ?? NO_NAME;
      if (!names.has(text) || safe.name) names.set(text, safe.name);
      return text;
    };
    const served = await this.deps.server.serve(runner, {
      skill: this.skill,
      input,
      source: this.source,
      present: (output) => present(output),
    });
    if (served.kind === 'vote') {
      const options: ProposalOption[] = served.round.options.map((o) => ({
        label: o.label,
        name: names.get(o.output) ?? null,
        text: o.output,
      }));
      return {
        kind: 'vote' as const,
        taskId: served.taskId,
        output: null,
        proposed: null,
        options,
        variant: null,
        promptVersion: null,
        note: null,
      };
    }
    const { output, safe } = single!;
    const note =
      safe.name === null
        ? `The model's answer is not a usable file name (${safe.reason}): edit it or skip`
        : safe.changes.length
          ? `Made safe: ${safe.changes.join('; ')}`
          : null;
    return {
      kind: 'single' as const,
      taskId: served.taskId,
      output,
      proposed: safe.name,
      options: null,
      variant: served.variant,
      promptVersion: served.promptVersion,
      note,
    };
  }

  private safeName(output: string, original: string): { name: string | null; changes: string[]; reason?: string } {
    try {
      return sanitizeFileName(output, original, { maxBytes: this.maxBytes() });
    } catch (error) {
      if (!isUserError(error)) throw error;
      return { name: null, changes: [], reason: error.message };
    }
  }

  private skipRound(taskId: string): void {
    try {
      writeTransaction(this.deps.ctx.db, () => this.deps.server.answerInTransaction(taskId, { vote: 'skip' }));
    } catch {
      // The round was closed elsewhere; nothing to count either way.
    }
  }

  private emit(event: ProposalEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A broken listener must not break a rename that already happened.
      }
    }
  }
}
