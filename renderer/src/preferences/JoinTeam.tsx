import { useId, useState } from 'react';
import type { AppStateView } from '../../../contract/api';
import { useApi } from '../api/api-context';
import { useAction } from '../hooks/use-action';

/** Not in a team yet: a folder (typed, or chosen in the app) and a name, then Join Team. */
export function JoinTeam({ state }: { state: AppStateView }) {
  const api = useApi();
  const id = useId();
  const electron = state.shell.kind === 'electron';
  const [folder, setFolder] = useState('');
  const [member, setMember] = useState('');
  const join = useAction(async () => {
    if (!folder.trim()) throw new Error('Type the shared folder’s full path, e.g. /Users/you/Dropbox/tinyarms-team.');
    await api.joinTeam(folder.trim(), member.trim() === '' ? null : member.trim());
  });
  const choose = useAction(async () => {
    const chosen = await api.chooseFile('team-folder');
    if (chosen) setFolder(chosen);
  });
  const locked = state.configProblems !== null;
  return (
    <form
      className="group"
      aria-label="Join a team"
      onSubmit={(e) => {
        e.preventDefault();
        void join.run();
      }}
    >
      <div className={`form-row form-row--stacked${join.error ? ' form-row--invalid' : ''}`}>
        <label className="form-row__label" htmlFor={`${id}-folder`}>
          Folder
        </label>
        <div className="form-row__control">
          <div className="field-line">
            <input
              id={`${id}-folder`}
              className="text-field text-field--wide mono"
              type="text"
              spellCheck={false}
              autoComplete="off"
              placeholder="/Users/you/Dropbox/tinyarms-team"
              value={folder}
              disabled={join.busy || locked}
              onChange={(e) => setFolder(e.currentTarget.value)}
            />
            {electron ? (
              <button type="button" className="button" onClick={() => void choose.run()} disabled={choose.busy || locked}>
                Choose…
              </button>
            ) : null}
          </div>
          <p className="field-help">A folder your sync tool keeps in step for everyone: iCloud Drive, Dropbox, a git repository.</p>
        </div>
      </div>
      <div className="form-row form-row--stacked">
        <label className="form-row__label" htmlFor={`${id}-member`}>
          Your name
        </label>
        <div className="form-row__control">
          <input
            id={`${id}-member`}
            className="text-field"
            type="text"
            spellCheck={false}
            autoComplete="off"
            placeholder={state.team.defaultMember}
            value={member}
            disabled={join.busy || locked}
            onChange={(e) => setMember(e.currentTarget.value)}
          />
          <p className="field-help">How teammates see you: letters, digits, - _ and dots.</p>
        </div>
      </div>
      <div className="group__footer">
        {(join.error ?? choose.error) ? (
          <p className="field-error" role="alert">
            {join.error ?? choose.error}
          </p>
        ) : (
          <span />
        )}
        <button type="submit" className="button button--default" disabled={join.busy || locked}>
          Join Team
        </button>
      </div>
    </form>
  );
}
