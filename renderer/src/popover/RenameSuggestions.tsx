import { useState } from 'react';
import type { AppStateView } from '../../../contract/api';
import { useApi } from '../api/api-context';
import { useAction } from '../hooks/use-action';
import { ProposalRow } from './ProposalRow';

/**
 * Names proposed for new files in the watched folders: accept, edit or skip each; a vote proposal (a test of
 * file naming) offers every prompt's name. With a model and nothing proposed yet, it says what will happen.
 */
export function RenameSuggestions({ state, defaultProposal }: { state: AppStateView; defaultProposal: string | null }) {
  const api = useApi();
  const [message, setMessage] = useState<string[]>([]);
  const undo = useAction(async () => setMessage(await api.undoRenames(1)));
  const { proposals, lastRename } = state;
  const waiting = proposals.filter((p) => p.status === 'pending').length;
  const ready = Boolean(state.model.resolvedPath) && state.watch.enabled && !state.watch.problem;
  if (proposals.length === 0 && !lastRename && message.length === 0) {
    return ready ? <p className="hint-line">New files in {state.watch.folders.join(', ')} get a name suggestion here.</p> : null;
  }

  return (
    <section className="renames" aria-labelledby="renames-title">
      <header className="section-head">
        <h2 id="renames-title" className="section-title">
          Rename Suggestions{waiting > 0 ? <span className="section-title__count tabular"> {waiting}</span> : null}
        </h2>
        {lastRename ? (
          <button
            type="button"
            className="link-button"
            onClick={() => void undo.run()}
            disabled={undo.busy}
            title={`Put ${lastRename.to} back to ${lastRename.from}`}
          >
            Undo Last Rename
          </button>
        ) : null}
      </header>
      {proposals.length > 0 ? (
        <ul className="renames__list" aria-label="Rename suggestions">
          {proposals.map((p) => (
            <ProposalRow key={p.id} proposal={p} shell={state.shell} isDefault={p.id === defaultProposal} onNotes={setMessage} />
          ))}
        </ul>
      ) : lastRename && message.length === 0 ? (
        <p className="renames__last" title={lastRename.folder}>
          Renamed <span className="mono">{lastRename.from}</span> → <span className="mono">{lastRename.to}</span>
        </p>
      ) : null}
      {message.length > 0 ? (
        <p className="renames__message" role="status">
          {message.join(' ')}
        </p>
      ) : null}
      {undo.error ? (
        <p className="inline-error renames__message" role="alert">
          {undo.error}
        </p>
      ) : null}
    </section>
  );
}
