import { useState } from 'react';
import { useApi } from '../api/api-context';
import { useAction } from '../hooks/use-action';
import type { AppStateView } from '../../../contract/api';
import { ProposalRow } from './ProposalRow';

/**
 * Names proposed for new files in the watched folders: accept, edit or skip each; a vote proposal (an A/B test
 * of file naming) offers every arm's name. Shown while proposals wait or a rename can be undone.
 */
export function RenameSuggestions({ state }: { state: AppStateView }) {
  const api = useApi();
  const [message, setMessage] = useState<string[]>([]);
  const undo = useAction(async () => setMessage(await api.undoRenames(1)));
  const { proposals, lastRename } = state;
  if (proposals.length === 0 && !lastRename && message.length === 0) return null;
  const waiting = proposals.filter((p) => p.status === 'pending').length;
  // Number keys pick in the first vote still waiting, unless another row has focus.
  const firstVote = proposals.find((p) => p.status === 'pending' && p.kind === 'vote')?.id;

  return (
    <section className="renames" aria-labelledby="renames-title">
      <header className="renames__head">
        <h2 id="renames-title" className="renames__title">
          Rename suggestions{waiting > 0 ? <span className="renames__count tabular"> {waiting}</span> : null}
        </h2>
        {lastRename ? (
          <button
            type="button"
            className="link-button"
            onClick={() => void undo.run()}
            disabled={undo.busy}
            title={`Put ${lastRename.to} back to ${lastRename.from}`}
          >
            Undo last rename
          </button>
        ) : null}
      </header>
      {proposals.length > 0 ? (
        <ul className="renames__list" aria-label="Rename suggestions">
          {proposals.map((p) => (
            <ProposalRow key={p.id} proposal={p} onNotes={setMessage} shortcuts={p.id === firstVote} />
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
      {undo.error ? <p className="inline-error renames__message" role="alert">{undo.error}</p> : null}
    </section>
  );
}
