/**
 * File proposals: the file-naming skill on real files, and the user's decision on each.
 *
 *   const proposals = new FileProposals(engine, { namer: namerFromRunner(runner) });  // or standInNamer()
 *   const off = proposals.onChange((e) => ...);  // {type:'added'|'updated', proposal} | {type:'undone', results} | {type:'error', path, message}; returns unsubscribe
 *   const watch = await startFileWatch(engine, proposals);           // watched folders → proposals.propose(path)
 *   await proposals.propose(path);        // Proposal, or null for a file tinyArms renamed itself; UserError if gone or no model
 *   proposals.list();                     // pending proposals, oldest first; proposals.get(id), proposals.history()
 *   proposals.accept(id);                 // rename to the proposed name; feedback 'accepted'
 *   proposals.accept(id, { option: '2' }) // a vote proposal (kind 'vote'): the user's pick; vote + 'accepted'
 *   proposals.edit(id, 'my name');        // rename to the user's name (made safe, extension kept); feedback 'edited'
 *                                         //   (vote: with { option } the pick is voted and edited; without, the vote is 'none')
 *   proposals.skip(id);                   // leave the file; NO feedback (vote: 'skip', not counted)
 *   proposals.dismiss(id);                // leave the file; feedback 'rejected' (vote: 'none is good')
 *   proposals.undoLast(n); proposals.undo(renameId);   // put renamed files back (never overwrites)
 *   await proposals.close();
 *
 * Decisions are synchronous and return { proposal, rename, task, notes }. A file that was renamed, moved,
 * deleted or changed since its proposal is never touched: the proposal becomes 'stale' with a note.
 * Proposals live in SQLite (file_proposals), so the CLI and the app see the same list.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Engine } from '../engine';
import { nowIso } from '../context';
import { noModelError } from '../feedback/skill-runner';
import type { Feedback, TaskRow } from '../feedback/task-log';
import { isUserError, UserError, usageError } from '../util/errors';
import { newId } from '../util/ids';
import { describeFile, readFileFacts, type FileFacts } from './metadata';
import type { FileNamer } from './namer';
import { ProposalStore, type Proposal, type ProposalFields, type ProposalOption, type ProposalRow } from './proposal-store';
import { RenameLog, type RenameRow, type UndoResult } from './rename-log';
import { identityOf, requireRegularFile, safeRename } from './safe-rename';
import { sanitizeFileName } from './sanitize';

export type { Proposal, ProposalOption, ProposalStatus } from './proposal-store';

export interface Decision {
  proposal: Proposal;
  rename: RenameRow | null;
  task: TaskRow | null;
  notes: string[];
}

export type ProposalEvent =
  | { type: 'added' | 'updated'; proposal: Proposal }
  | { type: 'undone'; results: UndoResult[] }
  | { type: 'error'; path: string; message: string };

export interface FileProposalsOptions {
  namer?: FileNamer | null;
  skill?: string;
  /** Task source recorded with feedback (default 'watch'). */
  source?: string;
  /** Overrides watch.max_name_length. */
  maxNameBytes?: number;
  /** Files named at once (default 1: a local model is one queue anyway). */
  concurrency?: number;
}

// Errors that mean the A/B session moved on: the rename stands, the feedback cannot be counted.
const SESSION_CODES = new Set(['no_session', 'session_closed', 'already_voted', 'feedback_exists', 'unknown_round', 'duplicate_task']);

export class FileProposals {
  readonly renames: RenameLog;
  private readonly store: ProposalStore;
  private namer: FileNamer | null;
  private readonly skill: string;
  private readonly source: string;
  private readonly listeners = new Set<(event: ProposalEvent) => void>();
  private readonly inflight = new Map<string, Promise<Proposal | null>>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly engine: Engine,
    private readonly options: FileProposalsOptions = {},
  ) {
    this.namer = options.namer ?? null;
    this.skill = options.skill ?? 'file-naming';
    this.source = options.source ?? 'watch';
    this.renames = new RenameLog(engine.ctx);
    this.store = new ProposalStore(engine.ctx);
  }

  setNamer(namer: FileNamer | null): void {
    this.namer = namer;
  }

  onChange(listener: (event: ProposalEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(id: string): Proposal | undefined {
    return this.store.get(id);
  }

  require(id: string): Proposal {
    return this.store.require(id);
  }

  /** Pending proposals, oldest first. */
  list(): Proposal[] {
    return this.store.pending();
  }

  /** Decided proposals, newest first. */
  history(limit = 20): Proposal[] {
    return this.store.decided(limit);
  }

  /**
   * Names one file. Null when tinyArms renamed this file itself; the pending proposal when the file already
   * has one. UserError when the file is gone or not a regular file, the skill is disabled, or no model is wired.
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
    if (!exists(path.join(folder, name))) throw new UserError(`${absolute} does not exist`, { code: 'file_gone' });
    const identity = identityOf(requireRegularFile(folder, name));
    if (this.renames.isOurs(folder, name, identity)) return null;
    const pending = this.store.pendingFor(folder, name, identity);
    if (pending) return pending;
    if (this.engine.ctx.config.config.skills[this.skill]?.enabled === false) {
      throw new UserError(`skill '${this.skill}' is disabled in config.yaml`, { code: 'skill_disabled' });
    }
    const key = `${identity.dev}:${identity.ino}:${identity.size}:${identity.mtimeMs}`;
    const running = this.inflight.get(key);
    if (running) return running;
    const job = this.limited(() => this.create(folder, name)).finally(() => this.inflight.delete(key));
    this.inflight.set(key, job);
    return job;
  }

  accept(id: string, options: { option?: string } = {}): Decision {
    const proposal = this.requirePending(id);
    if (proposal.kind === 'single') {
      if (!proposal.proposed) throw usageError(`proposal ${id} has no usable name: edit it or skip it`, 'unusable_name');
      return this.rename(proposal, proposal.proposed, () => this.recordSingle(proposal, { outcome: 'accepted' }));
    }
    const option = this.option(proposal, options.option, true)!;
    if (!option.name) throw usageError(`option ${option.label} is not a usable file name: edit instead`, 'unusable_name');
    return this.rename(proposal, option.name, () => this.recordVote(proposal, option.label, { outcome: 'accepted' }));
  }

  edit(id: string, newName: string, options: { option?: string } = {}): Decision {
    const proposal = this.requirePending(id);
    const { name, changes } = sanitizeFileName(newName, proposal.name, { maxBytes: this.maxBytes() });
    const notes = changes.length ? [`Adjusted your name: ${changes.join('; ')}`] : [];
    const feedback: Feedback = { outcome: 'edited', finalOutput: name };
    if (proposal.kind === 'single') return this.rename(proposal, name, () => this.recordSingle(proposal, feedback), notes);
    const option = this.option(proposal, options.option, false);
    return this.rename(proposal, name, () => (option ? this.recordVote(proposal, option.label, feedback) : this.castVote(proposal, 'none')), notes);
  }

  /** Leaves the file as it is and records nothing: the user did not say whether the name was good. */
  skip(id: string): Decision {
    const proposal = this.requirePending(id);
    if (proposal.kind === 'vote') this.castVote(proposal, 'skip');
    return { proposal: this.finish(proposal, { status: 'skipped', note: 'Skipped; no feedback recorded' }), rename: null, task: null, notes: [] };
  }

  /** Leaves the file as it is and records the proposal as rejected (vote: "none is good"). */
  dismiss(id: string): Decision {
    const proposal = this.requirePending(id);
    const notes: string[] = [];
    let task: TaskRow | null = null;
    try {
      task = proposal.kind === 'vote' ? this.castVote(proposal, 'none') : this.recordSingle(proposal, { outcome: 'rejected' });
    } catch (error) {
      if (!isUserError(error) || !SESSION_CODES.has(error.code)) throw error;
      notes.push(`Feedback not counted: ${error.message}`);
    }
    const finished = this.finish(proposal, { status: 'dismissed', outcome: proposal.kind === 'single' ? 'rejected' : null, note: notes[0] ?? 'Dismissed' });
    return { proposal: finished, rename: null, task, notes };
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
        stale.push(this.markStale(proposal, error.message));
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

  private maxBytes(): number {
    return this.options.maxNameBytes ?? this.engine.ctx.config.config.watch.max_name_length;
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
      const facts = readFileFacts(file);
      const input = describeFile(facts);
      if (!this.namer) throw noModelError(this.engine);
      const named = await this.name(input, facts, name);
      // Another process (the app and the CLI) may have proposed the same file meanwhile.
      const pending = this.store.pendingFor(folder, name, identity);
      if (pending) {
        if (named.kind === 'vote') this.castVote({ ...pending, taskId: named.taskId }, 'skip');
        return pending;
      }
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
        created_at: nowIso(this.engine.ctx),
        decided_at: null,
      };
      const proposal = this.store.insert(row);
      this.emit({ type: 'added', proposal });
      return proposal;
    } catch (error) {
      if (!isUserError(error) || !['file_gone', 'not_a_file'].includes(error.code)) {
        this.emit({ type: 'error', path: file, message: (error as Error).message });
      }
      throw error;
    }
  }

  private async name(input: string, facts: FileFacts, original: string) {
    const namer = this.namer!;
    const taskId = newId('task');
    const allocation = this.engine.sessions.allocate(this.skill);
    if (allocation.kind === 'vote') {
      const variants = this.engine.sessions.variants(allocation.session.id);
      const outputs = await namer.nameWithArms(input, variants.map((v) => ({ letter: v.variant_letter, prompt: v.prompt_template })), { skill: this.skill, facts });
      const shown = new Map<string, string | null>();
      const texts: Record<string, string> = {};
      for (const variant of variants) {
        const name = this.safeName(outputs[variant.variant_letter] ?? '', original);
        const text = name.name ?? '(no usable name)';
        if (!shown.has(text) || name.name) shown.set(text, name.name);
        texts[variant.variant_letter] = text;
      }
      const round = this.engine.sessions.openRound(allocation.session.id, { taskId, input, outputs: texts });
      const options: ProposalOption[] = round.options.map((o) => ({ label: o.label, name: shown.get(o.output) ?? null, text: o.output }));
      return { kind: 'vote' as const, taskId, output: null, proposed: null, options, variant: null, promptVersion: null, note: null };
    }
    const arm = allocation.kind === 'arm' ? allocation.variant : null;
    const active = arm ? null : this.engine.prompts.active(this.skill);
    const variant = arm?.variant_letter ?? null;
    const { output } = await namer.name(input, { skill: this.skill, prompt: arm ? arm.prompt_template : active!.prompt, variant, facts });
    const safe = this.safeName(output, original);
    const note = safe.name === null
      ? `The model's answer is not a usable file name (${safe.reason}): edit it or skip`
      : safe.changes.length ? `Made safe: ${safe.changes.join('; ')}` : null;
    return { kind: 'single' as const, taskId, output, proposed: safe.name, options: null, variant, promptVersion: active?.version ?? null, note };
  }

  private safeName(output: string, original: string): { name: string | null; changes: string[]; reason?: string } {
    try {
      return sanitizeFileName(output, original, { maxBytes: this.maxBytes() });
    } catch (error) {
      if (!isUserError(error)) throw error;
      return { name: null, changes: [], reason: error.message };
    }
  }

  private rename(proposal: Proposal, target: string, record: () => TaskRow | null, notes: string[] = []): Decision {
    const identity = this.store.identity(proposal.id);
    let result;
    try {
      result = safeRename({ folder: proposal.folder, from: proposal.name, to: target, expect: identity, maxBytes: this.maxBytes() });
    } catch (error) {
      if (!isUserError(error) || !['file_gone', 'file_changed', 'not_a_file'].includes(error.code)) throw error;
      return { proposal: this.markStale(proposal, error.message), rename: null, task: null, notes: [...notes, error.message] };
    }
    if (result.to !== target) notes.push(`${target} was taken, so the file is now ${result.to}`);
    let task: TaskRow | null = null;
    try {
      task = record();
    } catch (error) {
      if (isUserError(error) && SESSION_CODES.has(error.code)) {
        notes.push(`Renamed, but the feedback was not counted: ${error.message}`);
      } else {
        // The database refused: put the name back so the log never misses a rename.
        if (result.to !== result.from) safeRename({ folder: result.folder, from: result.to, to: result.from, counter: false });
        throw error;
      }
    }
    const rename = result.to === result.from
      ? null
      : this.renames.record({ folder: result.folder, from: result.from, to: result.to, taskId: task?.id ?? null, identity: result.identity });
    const outcome = task?.outcome ?? null;
    const finished = this.finish(proposal, { status: 'renamed', outcome, finalName: result.to, note: notes.join('; ') || null });
    return { proposal: finished, rename, task, notes };
  }

  private recordSingle(proposal: Proposal, feedback: Feedback): TaskRow {
    return this.engine.recordTask(
      {
        skill: this.skill,
        input: proposal.input,
        output: proposal.proposed ?? proposal.output ?? '',
        id: proposal.taskId,
        source: this.source,
        variant: proposal.variant,
        promptVersion: proposal.promptVersion,
        at: proposal.createdAt,
      },
      feedback,
    );
  }

  private recordVote(proposal: Proposal, label: string, feedback: Feedback): TaskRow {
    this.engine.vote(proposal.taskId, label);
    return this.engine.feedback(proposal.taskId, feedback);
  }

  /** 'skip' or 'none' on the proposal's vote round; a round already closed elsewhere is left alone. */
  private castVote(proposal: Proposal, choice: 'skip' | 'none'): null {
    try {
      this.engine.vote(proposal.taskId, choice);
    } catch (error) {
      if (!isUserError(error) || !SESSION_CODES.has(error.code)) throw error;
    }
    return null;
  }

  /** The option the user picked: given, or already voted in the round elsewhere; required when `required`. */
  private option(proposal: Proposal, label: string | undefined, required: boolean): ProposalOption | null {
    const labels = proposal.options.map((o) => o.label).join(', ');
    if (label !== undefined) {
      const found = proposal.options.find((o) => o.label === label.trim());
      if (!found) throw usageError(`proposal ${proposal.id} has options ${labels} (got '${label}')`, 'unknown_option');
      return found;
    }
    const picked = safeRound(this.engine, proposal.taskId)?.picked ?? null;
    if (picked) return proposal.options.find((o) => o.label === picked) ?? null;
    if (required) throw usageError(`proposal ${proposal.id} is a vote: pick one of the options ${labels}`, 'pick_option');
    return null;
  }

  private requirePending(id: string): Proposal {
    const proposal = this.require(id);
    if (proposal.status !== 'pending') {
      throw new UserError(`proposal ${id} was already decided (${proposal.status}${proposal.finalName ? ` → ${proposal.finalName}` : ''})`, {
        exitCode: 2,
        code: 'already_decided',
      });
    }
    return proposal;
  }

  private markStale(proposal: Proposal, note: string): Proposal {
    if (proposal.kind === 'vote') this.castVote(proposal, 'skip');
    return this.finish(proposal, { status: 'stale', note });
  }

  private finish(proposal: Proposal, fields: ProposalFields): Proposal {
    const updated = this.store.finish(proposal.id, fields);
    this.emit({ type: 'updated', proposal: updated });
    return updated;
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

function exists(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

function safeRound(engine: Engine, taskId: string) {
  try {
    return engine.sessions.round(taskId);
  } catch {
    return null;
  }
}
