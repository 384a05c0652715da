import type { Proposal, ProposalDecision as Decision, RenameRow } from '../engine';
import type { ProposalDecisionView, ProposalView, RenameView } from '../../contract/api';
import { browserImageType, fileKind } from '../../contract/file-kind';

// File proposals and renames → the contract's plain views.

/** Proposals and their file facts; `size` comes from the file at proposal time, `canPreview` from the shell. */
export function proposalView(p: Proposal, options: { size?: number | null; canPreview?: (file: string) => boolean } = {}): ProposalView {
  return {
    id: p.id,
    path: p.path,
    folder: p.folder,
    name: p.name,
    kind: p.kind === 'vote' ? 'vote' : 'name',
    proposed: p.proposed,
    options: p.options.map((o) => ({ label: o.label, name: o.name, text: o.text })),
    status: p.status,
    note: p.note,
    finalName: p.finalName,
    createdAt: p.createdAt,
    fileKind: fileKind(p.name),
    size: options.size ?? null,
    hasThumbnail: p.status === 'pending' && (options.canPreview ?? ((file: string) => browserImageType(file) !== null))(p.path),
  };
}

export const decisionView = (d: Decision): ProposalDecisionView => ({ proposal: proposalView(d.proposal), notes: d.notes });

export const renameView = (r: RenameRow): RenameView => ({ id: r.id, folder: r.folder, from: r.from_name, to: r.to_name, at: r.at });
