import { useState } from 'react';
import type { AppStateView } from '../../../contract/api';
import { useApi } from '../api/api-context';
import { PathField } from '../components/PathField';
import { useAction } from '../hooks/use-action';

/** "Watching ~/Desktop/Screenshots · Change…": where new files come from, and a way to choose another folder. */
export function WatchLine({ state }: { state: AppStateView }) {
  const api = useApi();
  const [typing, setTyping] = useState(false);
  const electron = state.shell.kind === 'electron';
  const choose = useAction(async () => {
    if (!electron) return setTyping(true);
    const folder = await api.chooseFile('folder');
    if (folder) await api.setWatchFolder(folder);
  });
  const { watch } = state;
  const where = watch.folders.join(', ');
  return (
    <div className="watch-line">
      <p className="watch-line__text">
        {watch.enabled ? (
          <>
            Watching{' '}
            <span className="watch-line__folder" title={where}>
              {where || 'no folder'}
            </span>
          </>
        ) : (
          'Not watching a folder'
        )}{' '}
        <button type="button" className="link-button" onClick={() => void choose.run()} disabled={choose.busy}>
          {watch.enabled ? 'Change…' : 'Watch a Folder…'}
        </button>
      </p>
      {typing ? (
        <PathField
          label="Folder to watch"
          placeholder="~/Desktop/Screenshots"
          action="Watch"
          initial={where}
          onSubmit={async (folder) => {
            await api.setWatchFolder(folder);
            setTyping(false);
          }}
          onCancel={() => setTyping(false)}
        />
      ) : null}
      {choose.error ? (
        <p className="inline-error" role="alert">
          {choose.error}
        </p>
      ) : null}
    </div>
  );
}
