import path from 'node:path';
import type { EngineContext } from '../context';
import { nowIso } from '../context';
import type { Outcome } from '../feedback/task-log';
import { writeTransaction } from '../store/database';
import { UserError } from '../util/errors';
import type { FileIdentity } from './safe-rename';

export type ProposalStatus = 'pending' | 'renamed' | 'skipped' | 'dismissed' | 'stale';

export interface ProposalOption {
  /** Blind label shown to the user: "1", "2", ... */
  label: string;
  /** The safe name this option renames to; null when the arm's answer was not a usable name. */
  name: string | null;
  /** What the user sees. */
  text: string;
}

export interface Proposal {
  id: string;
  folder: string;
  /** The file's name when it was proposed. */
  name: string;
  path: string;
  /** The skill input: the file description. */
  input: string;
  kind: 'single' | 'vote';
  /** single: the skill's output as the model gave it (after parsing). */
  output: string | null;
  /** single: the safe name offered; null when the answer was unusable (edit or skip). */
  proposed: string | null;
  /** vote: every arm's name, shuffled behind labels. */
  options: ProposalOption[];
  variant: string | null;
  promptVersion: number | null;
  taskId: string;
  status: ProposalStatus;
  outcome: Outcome | null;
  finalName: string | null;
  note: string | null;
  createdAt: string;
  decidedAt: string | null;
}

export interface ProposalRow {
  id: string;
  folder: string;
  name: string;
  input: string;
  kind: 'single' | 'vote';
  output: string | null;
  proposed: string | null;
  options: string | null;
  variant: string | null;
  prompt_version: number | null;
  task_id: string;
  status: ProposalStatus;
  outcome: Outcome | null;
  final_name: string | null;
  note: string | null;
  inode: number;
  size: number;
  mtime: number;
  created_at: string;
  decided_at: string | null;
  claim_pid?: number | null;
  claim_to?: string | null;
}

export interface ProposalFields {
  status: ProposalStatus;
  outcome?: Outcome | null;
  finalName?: string | null;
  note?: string | null;
}

/** The file_proposals table: proposals outlive the process, so the CLI and the app share one list. */
export class ProposalStore {
  constructor(private readonly ctx: Pick<EngineContext, 'db' | 'clock'>) {}

  get(id: string): Proposal | undefined {
    const row = this.ctx.db.prepare(`SELECT * FROM file_proposals WHERE id = ?`).get(id) as ProposalRow | undefined;
    return row && toProposal(row);
  }

  require(id: string): Proposal {
    const proposal = this.get(id);
    if (!proposal) throw new UserError(`unknown proposal '${id}'`, { exitCode: 2, code: 'unknown_proposal' });
    return proposal;
  }

  /** Pending proposals nobody is deciding right now, oldest first. */
  pending(): Proposal[] {
    const rows = this.ctx.db
      .prepare(`SELECT * FROM file_proposals WHERE status = 'pending' AND claim_pid IS NULL ORDER BY created_at, rowid`)
      .all() as ProposalRow[];
    return rows.map(toProposal);
  }

  /**
   * Claims a pending proposal for one decision, before any file moves: of two processes deciding it at once,
   * one gets it. 'claimed' or why not ('decided', or 'busy' with the process that holds it).
   */
  claim(id: string, target: string): { result: 'claimed' } | { result: 'decided' } | { result: 'busy'; pid: number } {
    return writeTransaction(this.ctx.db, () => {
      const row = this.ctx.db.prepare(`SELECT status, claim_pid FROM file_proposals WHERE id = ?`).get(id) as
        | Pick<ProposalRow, 'status' | 'claim_pid'>
        | undefined;
      if (row?.status !== 'pending') return { result: 'decided' as const };
      if (row.claim_pid !== null && row.claim_pid !== undefined) return { result: 'busy' as const, pid: row.claim_pid };
      this.ctx.db.prepare(`UPDATE file_proposals SET claim_pid = ?, claim_to = ? WHERE id = ?`).run(process.pid, target, id);
      return { result: 'claimed' as const };
    });
  }

  /** The name the claimed file is being moved to, written before each attempt (a crash then knows where to look). */
  setClaimTarget(id: string, target: string): void {
    writeTransaction(this.ctx.db, () => this.ctx.db.prepare(`UPDATE file_proposals SET claim_to = ? WHERE id = ?`).run(target, id));
  }

  release(id: string): void {
    writeTransaction(this.ctx.db, () =>
      this.ctx.db.prepare(`UPDATE file_proposals SET claim_pid = NULL, claim_to = NULL WHERE id = ?`).run(id),
    );
  }

  /** Claims held by processes that are gone: their file may sit between two names. */
  abandonedClaims(isAlive: (pid: number) => boolean): (Proposal & { claimPid: number; claimTo: string | null })[] {
    const rows = this.ctx.db
      .prepare(`SELECT * FROM file_proposals WHERE status = 'pending' AND claim_pid IS NOT NULL`)
      .all() as ProposalRow[];
    return rows
      .filter((row) => !isAlive(row.claim_pid!))
      .map((row) => ({ ...toProposal(row), claimPid: row.claim_pid!, claimTo: row.claim_to ?? null }));
  }

  decided(limit: number): Proposal[] {
    const rows = this.ctx.db
      .prepare(`SELECT * FROM file_proposals WHERE status != 'pending' ORDER BY decided_at DESC, rowid DESC LIMIT ?`)
      .all(limit) as ProposalRow[];
    return rows.map(toProposal);
  }

  /** Inserts a proposal unless the file already has a pending one (checked in the same write), which it returns. */
  insert(row: ProposalRow): Proposal {
    return writeTransaction(this.ctx.db, () => {
      const pending = this.pendingFor(row.folder, row.name, { ino: row.inode, size: row.size, mtimeMs: row.mtime });
      if (pending) return pending;
      this.insertRow(row);
      return toProposal(row);
    });
  }

  private insertRow(row: ProposalRow): void {
    this.ctx.db
      .prepare(
        `INSERT INTO file_proposals (id, folder, name, input, kind, output, proposed, options, variant, prompt_version, task_id,
           status, outcome, final_name, note, inode, size, mtime, created_at, decided_at)
         VALUES (@id, @folder, @name, @input, @kind, @output, @proposed, @options, @variant, @prompt_version, @task_id,
           @status, @outcome, @final_name, @note, @inode, @size, @mtime, @created_at, @decided_at)`,
      )
      .run(row);
  }

  /** The file as it was when proposed. */
  identity(id: string): Omit<FileIdentity, 'dev'> {
    const row = this.ctx.db.prepare(`SELECT inode, size, mtime FROM file_proposals WHERE id = ?`).get(id) as Pick<
      ProposalRow,
      'inode' | 'size' | 'mtime'
    >;
    return { ino: row.inode, size: row.size, mtimeMs: row.mtime };
  }

  /** A pending proposal for this name or this very file (same inode, size and mtime). */
  pendingFor(folder: string, name: string, identity: Omit<FileIdentity, 'dev'>): Proposal | null {
    const row = this.ctx.db
      .prepare(
        `SELECT * FROM file_proposals WHERE status = 'pending' AND folder = @folder
           AND (name = @name OR (inode = @ino AND size = @size AND mtime = @mtime)) ORDER BY created_at LIMIT 1`,
      )
      .get({ folder, name, ino: identity.ino, size: identity.size, mtime: identity.mtimeMs }) as ProposalRow | undefined;
    return row ? toProposal(row) : null;
  }

  /** Records the decision and drops the claim; call inside the decision's write transaction. */
  finish(id: string, fields: ProposalFields): Proposal {
    writeTransaction(this.ctx.db, () =>
      this.ctx.db
        .prepare(
          `UPDATE file_proposals SET status = ?, outcome = ?, final_name = ?, note = ?, decided_at = ?, claim_pid = NULL, claim_to = NULL
           WHERE id = ?`,
        )
        .run(fields.status, fields.outcome ?? null, fields.finalName ?? null, fields.note ?? null, nowIso(this.ctx), id),
    );
    return this.require(id);
  }
}

function toProposal(row: ProposalRow): Proposal {
  return {
    id: row.id,
    folder: row.folder,
    name: row.name,
    path: path.join(row.folder, row.name),
    input: row.input,
    kind: row.kind,
    output: row.output,
    proposed: row.proposed,
    options: row.options ? (JSON.parse(row.options) as ProposalOption[]) : [],
    variant: row.variant,
    promptVersion: row.prompt_version,
    taskId: row.task_id,
    status: row.status,
    outcome: row.outcome,
    finalName: row.final_name,
    note: row.note,
    createdAt: row.created_at,
    decidedAt: row.decided_at,
  };
}
