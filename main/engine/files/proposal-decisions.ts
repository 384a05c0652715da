import fs from 'node:fs';
import path from 'node:path';
import type { AbSessions } from '../ab/sessions';
import type { EngineContext } from '../context';
import type { Feedback, TaskRow } from '../feedback/task-log';
import type { TaskServer } from '../serving/task-server';
import type { Answer } from '../serving/types';
import { writeTransaction } from '../store/database';
import { crashPoint } from '../util/crash-point';
import { isUserError, UserError, usageError } from '../util/errors';
import { lstatOrNull, processAlive } from '../util/fs';
import type { Proposal, ProposalFields, ProposalOption, ProposalStore } from './proposal-store';
import type { RenameLog, RenameRow } from './rename-log';
import { safeRename } from './safe-rename';
import { sanitizeFileName } from './sanitize';

export interface Decision {
  proposal: Proposal;
  rename: RenameRow | null;
  task: TaskRow | null;
  notes: string[];
}

export interface DecisionDeps {
  ctx: EngineContext;
  server: Pick<TaskServer, 'answerInTransaction' | 'settle'>;
  sessions: Pick<AbSessions, 'round'>;
  store: ProposalStore;
  renames: RenameLog;
  maxBytes: () => number;
  /** A proposal changed (decided, stale). */
  updated: (proposal: Proposal) => void;
}

interface Committed {
  proposal: Proposal;
  task: TaskRow | null;
  sessionId: string | null;
}

// Errors that mean the A/B session moved on: the rename stands, the feedback cannot be counted.
const SESSION_CODES = new Set(['no_session', 'session_closed', 'already_voted', 'feedback_exists', 'unknown_round', 'duplicate_task']);
const FILE_CODES = new Set(['file_gone', 'file_changed', 'not_a_file']);

/**
 * The person's decisions on rename proposals. Each first claims the proposal in the database, so of two
 * processes deciding one proposal at once one decides and the other gets a plain refusal, before any file
 * moves. The file then moves (never overwriting, never keeping two names), and the answer, the rename log
 * entry and the decision commit together. A process that dies mid-way leaves a claim that recover() undoes.
 */
export class ProposalDecisions {
  constructor(private readonly deps: DecisionDeps) {}

  accept(proposal: Proposal, label?: string): Decision {
    if (proposal.kind === 'single') {
      if (!proposal.proposed) throw usageError(`proposal ${proposal.id} has no usable name: edit it or skip it`, 'unusable_name');
      return this.move(proposal, proposal.proposed, { feedback: { outcome: 'accepted' } });
    }
    const option = this.option(proposal, label, true)!;
    if (!option.name) throw usageError(`option ${option.label} is not a usable file name: edit instead`, 'unusable_name');
    return this.move(proposal, option.name, { vote: option.label, feedback: { outcome: 'accepted' } });
  }

  edit(proposal: Proposal, newName: string, label?: string): Decision {
    const { name, changes } = sanitizeFileName(newName, proposal.name, { maxBytes: this.deps.maxBytes() });
    const notes = changes.length ? [`Adjusted your name: ${changes.join('; ')}`] : [];
    const feedback: Feedback = { outcome: 'edited', finalOutput: name };
    if (proposal.kind === 'single') return this.move(proposal, name, { feedback }, notes);
    const option = this.option(proposal, label, false);
    return this.move(proposal, name, option ? { vote: option.label, feedback } : { vote: 'none' }, notes);
  }

  /** Leaves the file as it is and records nothing: the person did not say whether the name was good. */
  skip(proposal: Proposal): Decision {
    return this.stay(proposal, proposal.kind === 'vote' ? { vote: 'skip' } : null, {
      status: 'skipped',
      note: 'Skipped; no feedback recorded',
    });
  }

  /** Leaves the file as it is and records the proposal as rejected (vote: "none is good"). */
  dismiss(proposal: Proposal): Decision {
    const answer: Answer = proposal.kind === 'vote' ? { vote: 'none' } : { feedback: { outcome: 'rejected' } };
    return this.stay(proposal, answer, { status: 'dismissed', outcome: proposal.kind === 'single' ? 'rejected' : null, note: 'Dismissed' });
  }

  /** A proposal whose file went away or changed: closed as stale, its vote round skipped. */
  stale(proposal: Proposal, note: string, claimed = false): Proposal {
    return this.stay(proposal, proposal.kind === 'vote' ? { vote: 'skip' } : null, { status: 'stale', note }, claimed).proposal;
  }

  /**
   * Puts back what a process that died mid-decision left: a second name for the file is removed (or the
   * file gets its old name back), and the proposal is pending again.
   */
  recover(): Proposal[] {
    const recovered: Proposal[] = [];
    for (const claimed of this.deps.store.abandonedClaims(processAlive)) {
      if (claimed.claimTo && claimed.claimTo !== claimed.name)
        putBack(claimed.folder, claimed.name, claimed.claimTo, this.deps.store.identity(claimed.id).ino);
      this.deps.store.release(claimed.id);
      recovered.push(this.deps.store.require(claimed.id));
    }
    return recovered;
  }

  private move(proposal: Proposal, target: string, answer: Answer, notes: string[] = []): Decision {
    this.claim(proposal, target);
    let result: ReturnType<typeof safeRename>;
    try {
      result = safeRename({
        folder: proposal.folder,
        from: proposal.name,
        to: target,
        expect: this.deps.store.identity(proposal.id),
        maxBytes: this.deps.maxBytes(),
        onCandidate: (name) => this.deps.store.setClaimTarget(proposal.id, name),
      });
    } catch (error) {
      if (isUserError(error) && FILE_CODES.has(error.code)) {
        return { proposal: this.stale(proposal, error.message, true), rename: null, task: null, notes: [...notes, error.message] };
      }
      this.deps.store.release(proposal.id);
      throw error;
    }
    crashPoint('rename:moved');
    if (result.to !== target) notes.push(`${target} was taken, so the file is now ${result.to}`);
    const commit = (withAnswer: boolean): Committed & { rename: RenameRow | null } =>
      writeTransaction(this.deps.ctx.db, () => {
        const answered = withAnswer ? this.deps.server.answerInTransaction(proposal.taskId, answer) : null;
        const task = withAnswer ? this.taskOf(proposal, answer) : null;
        const rename =
          result.to === result.from
            ? null
            : this.deps.renames.record({
                folder: result.folder,
                from: result.from,
                to: result.to,
                taskId: task?.id ?? null,
                identity: result.identity,
              });
        const finished = this.deps.store.finish(proposal.id, {
          status: 'renamed',
          outcome: task?.outcome ?? null,
          finalName: result.to,
          note: notes.join('; ') || null,
        });
        return { proposal: finished, rename, task, sessionId: answered?.sessionId ?? null };
      });
    let done: Committed & { rename: RenameRow | null };
    try {
      done = commit(true);
    } catch (error) {
      if (!isUserError(error) || !SESSION_CODES.has(error.code)) {
        // The database refused: the file gets its name back, so the log never misses a rename.
        if (result.to !== result.from) safeRename({ folder: result.folder, from: result.to, to: result.from, counter: false });
        this.deps.store.release(proposal.id);
        throw isUserError(error) && error.code === 'option_withdrawn' ? withdrawn() : error;
      }
      notes.push(`Renamed, but the feedback was not counted: ${error.message}`);
      done = commit(false);
    }
    if (done.sessionId) this.deps.server.settle(done.sessionId);
    this.deps.updated(done.proposal);
    return { proposal: done.proposal, rename: done.rename, task: done.task, notes };
  }

  private stay(proposal: Proposal, answer: Answer | null, fields: ProposalFields, claimed = false): Decision {
    if (!claimed) this.claim(proposal, proposal.name);
    const notes: string[] = [];
    const commit = (withAnswer: boolean): Committed =>
      writeTransaction(this.deps.ctx.db, () => {
        const answered = withAnswer && answer ? this.deps.server.answerInTransaction(proposal.taskId, answer) : null;
        const task = withAnswer && answer ? this.taskOf(proposal, answer) : null;
        const note = notes[0] ?? fields.note ?? null;
        return { proposal: this.deps.store.finish(proposal.id, { ...fields, note }), task, sessionId: answered?.sessionId ?? null };
      });
    let done: Committed;
    try {
      done = commit(true);
    } catch (error) {
      if (!isUserError(error) || !SESSION_CODES.has(error.code)) {
        this.deps.store.release(proposal.id);
        throw error;
      }
      notes.push(`Feedback not counted: ${error.message}`);
      done = commit(false);
    }
    if (done.sessionId) this.deps.server.settle(done.sessionId);
    this.deps.updated(done.proposal);
    return { proposal: done.proposal, rename: null, task: done.task, notes };
  }

  private claim(proposal: Proposal, target: string): void {
    let claim = this.deps.store.claim(proposal.id, target);
    if (claim.result === 'busy' && !processAlive(claim.pid)) {
      this.recover();
      claim = this.deps.store.claim(proposal.id, target);
    }
    if (claim.result === 'claimed') return;
    if (claim.result === 'busy') {
      throw new UserError(`proposal ${proposal.id} is being decided in another window or process right now`, {
        exitCode: 2,
        code: 'already_decided',
      });
    }
    const now = this.deps.store.require(proposal.id);
    throw new UserError(`proposal ${proposal.id} was already decided (${now.status}${now.finalName ? ` → ${now.finalName}` : ''})`, {
      exitCode: 2,
      code: 'already_decided',
    });
  }

  private taskOf(proposal: Proposal, answer: Answer): TaskRow | null {
    if (!answer.feedback) return null;
    return (this.deps.ctx.db.prepare(`SELECT * FROM task_history WHERE id = ?`).get(proposal.taskId) as TaskRow | undefined) ?? null;
  }

  /** The option picked: given, or already voted in the round elsewhere; required when `required`. */
  private option(proposal: Proposal, label: string | undefined, required: boolean): ProposalOption | null {
    const labels = proposal.options.map((o) => o.label).join(', ');
    if (label !== undefined) {
      const found = proposal.options.find((o) => o.label === label.trim());
      if (!found) throw usageError(`proposal ${proposal.id} has options ${labels} (got '${label}')`, 'unknown_option');
      return found;
    }
    let picked: string | null = null;
    try {
      picked = this.deps.sessions.round(proposal.taskId).picked;
    } catch {
      picked = null;
    }
    if (picked) return proposal.options.find((o) => o.label === picked) ?? null;
    if (required) throw usageError(`proposal ${proposal.id} is a vote: pick one of the options ${labels}`, 'pick_option');
    return null;
  }
}

/** The picked name's prompt lost between the proposal's last read and the vote (another process voted): in words. */
const withdrawn = (): UserError =>
  new UserError('That name has just left the test, and the file keeps its name: pick one of the names shown now.', {
    exitCode: 2,
    code: 'option_withdrawn',
  });

/** A file caught between two names by a crash: keep the old name only. */
function putBack(folder: string, name: string, claimTo: string, ino: number): void {
  const from = path.join(folder, name);
  const to = path.join(folder, claimTo);
  const atTo = lstatOrNull(to);
  if (!atTo || atTo.ino !== ino) return;
  const atFrom = lstatOrNull(from);
  if (atFrom && atFrom.ino === ino) fs.unlinkSync(to);
  else if (!atFrom) safeRename({ folder, from: claimTo, to: name, counter: false });
}
