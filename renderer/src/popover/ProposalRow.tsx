import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ProposalView, ShellView } from '../../../contract/api';
import { useApi } from '../api/api-context';
import { Icon } from '../components/Icon';
import { Thumbnail } from '../components/Thumbnail';
import { errorMessage, formatBytes } from '../lib/format';
import { isTextEntry } from '../lib/keys';

export interface ProposalRowProps {
  proposal: ProposalView;
  shell: ShellView;
  /** The view's one default button is this row's Accept. */
  isDefault?: boolean;
  /** Lines to show once a decision went through (e.g. "x.png was taken, so the file is now x-2.png"). */
  onNotes(notes: string[]): void;
}

/** The name the edit field starts from: the proposal, else the file's own name. */
const startingName = (p: ProposalView): string => p.proposed ?? p.name;

/** Finder selects the name without its extension when renaming; so does this field. */
function selectBaseName(input: HTMLInputElement): void {
  const dot = input.value.lastIndexOf('.');
  input.setSelectionRange(0, dot > 0 ? dot : input.value.length);
}

/** The vote option a plain key press (no modifiers) picks, if it names a usable one. */
function optionForKey(proposal: ProposalView, event: { key: string; altKey: boolean; ctrlKey: boolean; metaKey: boolean }) {
  if (event.altKey || event.ctrlKey || event.metaKey) return undefined;
  return proposal.options.find((o) => o.label === event.key && o.name);
}

/**
 * A name proposed for a new file: the file as the person knows it (preview, kind, size, where it is), the name or
 * the names to choose from, and its actions. Number keys pick a vote's option only while this row has focus.
 */
export function ProposalRow({ proposal, shell, isDefault = false, onNotes }: ProposalRowProps) {
  const api = useApi();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const field = useRef<HTMLInputElement>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  useEffect(() => {
    if (editing && field.current) {
      field.current.focus();
      selectBaseName(field.current);
    }
  }, [editing]);

  const run = async (call: () => Promise<{ notes: string[] } | void>) => {
    setBusy(true);
    setError(null);
    try {
      const result = await call();
      onNotes(result?.notes ?? []);
      if (mounted.current) setEditing(false);
    } catch (e) {
      if (mounted.current) setError(errorMessage(e));
    } finally {
      if (mounted.current) setBusy(false);
    }
  };

  const accept = (option?: string) => run(() => api.acceptProposal(proposal.id, option));
  const save = () => {
    if (draft.trim() === '') return setError('Type a name, or press Esc to cancel.');
    return run(() => api.editProposal(proposal.id, draft));
  };
  const startEdit = () => {
    setDraft(startingName(proposal));
    setError(null);
    setEditing(true);
  };
  const onFieldKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      void save();
    } else if (event.key === 'Escape') {
      // Handled here: the popover's own Esc (close) must not fire.
      event.preventDefault();
      setEditing(false);
      setError(null);
    }
  };

  const stale = proposal.status === 'stale';
  const voting = proposal.kind === 'vote' && !stale && !editing;
  const onRowKey = (event: KeyboardEvent<HTMLLIElement>) => {
    if (!voting || event.defaultPrevented || event.repeat || isTextEntry(event.target)) return;
    const option = optionForKey(proposal, event);
    if (!option) return;
    event.preventDefault();
    if (!busy) void accept(option.label);
  };
  const reveal = () => run(() => api.revealInFinder(proposal.path));
  const meta = [proposal.fileKind, proposal.size === null ? null : formatBytes(proposal.size)].filter(Boolean).join(' · ');
  const keys = proposal.options.filter((o) => o.name).map((o) => o.label);

  return (
    <li
      className={`proposal${stale ? ' proposal--stale' : ''}${isDefault ? ' proposal--default' : ''}`}
      aria-label={proposal.name}
      aria-busy={busy}
      tabIndex={voting ? 0 : undefined}
      onKeyDown={voting ? onRowKey : undefined}
    >
      <Thumbnail proposalId={proposal.id} hasThumbnail={proposal.hasThumbnail} kind={proposal.fileKind} />
      <div className="proposal__main">
        <p className="proposal__from mono" title={proposal.path}>
          {proposal.name}
        </p>
        <p className="proposal__meta">
          {meta}
          {shell.kind === 'electron' ? (
            <>
              {' · '}
              <button type="button" className="link-button" onClick={() => void reveal()}>
                Show in Finder
              </button>
            </>
          ) : (
            <span className="proposal__where" title={proposal.path}>
              {' '}
              · in {proposal.folder}
            </span>
          )}
        </p>
        {stale ? (
          <div className="proposal__foot">
            <p className="proposal__note proposal__note--warning">
              <Icon name="warning" className="proposal__note-icon" />
              <span>{proposal.note ?? 'Left alone: the file changed'}</span>
            </p>
            <button
              type="button"
              className="button button--small"
              onClick={() => void run(() => api.dismissProposal(proposal.id))}
              disabled={busy}
            >
              Dismiss
            </button>
          </div>
        ) : editing ? (
          <div className="proposal__edit">
            <input
              ref={field}
              className="text-field text-field--wide mono"
              aria-label={`New name for ${proposal.name}`}
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              onKeyDown={onFieldKey}
              disabled={busy}
              spellCheck={false}
              autoComplete="off"
            />
            <div className="proposal__foot">
              <span className="proposal__hint">Return to rename · Esc to cancel</span>
              <span className="proposal__actions proposal__actions--shown">
                <button type="button" className="button button--small" onClick={() => setEditing(false)} disabled={busy}>
                  Cancel
                </button>
                <button type="button" className="button button--small button--default" onClick={() => void save()} disabled={busy}>
                  Rename
                </button>
              </span>
            </div>
          </div>
        ) : proposal.kind === 'vote' ? (
          <>
            <p className="proposal__ask" id={`${proposal.id}-ask`}>
              Which name fits best?
            </p>
            <div className="proposal__options" role="group" aria-labelledby={`${proposal.id}-ask`}>
              {proposal.options.map((o) => (
                <button
                  key={o.label}
                  type="button"
                  className="proposal__option"
                  onClick={() => void accept(o.label)}
                  disabled={busy || !o.name}
                  aria-keyshortcuts={o.name ? o.label : undefined}
                  title={o.name ? `Rename to ${o.name}` : 'Not a usable file name'}
                >
                  <kbd className="keycap">{o.label}</kbd>{' '}
                  <span className={`proposal__option-name mono${o.name ? '' : ' proposal__option-name--unusable'}`}>{o.text}</span>
                </button>
              ))}
            </div>
            <div className="proposal__foot">
              <span className="proposal__hint">
                {keys.length ? `Select the row, then press ${keys.join(' or ')}.` : 'None fits? Edit it.'}
              </span>
              <span className="proposal__actions">
                <button type="button" className="button button--small" onClick={startEdit} disabled={busy}>
                  Edit
                </button>
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => void run(() => api.skipProposal(proposal.id))}
                  disabled={busy}
                >
                  Skip
                </button>
              </span>
            </div>
          </>
        ) : (
          <>
            <p className="proposal__to">
              <Icon name="arrow-right" className="proposal__arrow" />
              {proposal.proposed ? (
                <span className="mono proposal__name" title={proposal.proposed}>
                  {proposal.proposed}
                </span>
              ) : (
                <span className="proposal__name proposal__name--unusable">No usable name</span>
              )}
            </p>
            {proposal.note ? <p className="proposal__note">{proposal.note}</p> : null}
            <div className="proposal__foot proposal__foot--end">
              <span className={`proposal__actions${isDefault ? ' proposal__actions--shown' : ''}`}>
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => void run(() => api.skipProposal(proposal.id))}
                  disabled={busy}
                >
                  Skip
                </button>
                <button type="button" className="button button--small" onClick={startEdit} disabled={busy}>
                  Edit
                </button>
                <button
                  type="button"
                  className={`button button--small${isDefault ? ' button--default' : ''}`}
                  onClick={() => void accept()}
                  disabled={busy || !proposal.proposed}
                >
                  Accept
                </button>
              </span>
            </div>
          </>
        )}
        {error ? (
          <p className="inline-error proposal__error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
    </li>
  );
}
