import { useState } from 'react';
import type { AppStateView } from '../../../contract/api';
import { useApi } from '../api/api-context';
import { ConfirmSheet } from '../components/Sheet';
import { Switch } from '../components/Switch';
import { useAction } from '../hooks/use-action';
import { TEAM_FIELDS } from '../lib/preference-fields';
import { useAppStore } from '../stores/use-app-store';
import { JoinTeam } from './JoinTeam';
import { NumericField } from './NumericField';
import { TeammateList } from './TeammateList';

const INTRO =
  'Pool your votes with people who use the same skills, through a folder a sync tool already keeps in step. ' +
  'There is no server: each person’s tinyArms writes only its own file there.';

function LeaveTeam({ folder }: { folder: string }) {
  const api = useApi();
  const [asking, setAsking] = useState(false);
  const leave = useAction(async () => {
    await api.leaveTeam();
    setAsking(false);
  });
  return (
    <div className="pane__footer">
      <button type="button" className="button" onClick={() => setAsking(true)}>
        Leave Team…
      </button>
      {leave.error ? (
        <p className="inline-error" role="alert">
          {leave.error}
        </p>
      ) : null}
      {asking ? (
        <ConfirmSheet
          id="leave-team"
          title="Leave the team?"
          text={`Your votes stop being shared and your teammates’ stop counting in your tests. What you already shared stays in ${folder}.`}
          onCancel={() => setAsking(false)}
          confirmLabel="Leave Team"
          onConfirm={() => void leave.run()}
          busy={leave.busy}
        />
      ) : null}
    </div>
  );
}

/** Preferences › Team: join a shared folder, or see the teammates there and test what they offer. */
export function TeamPane({ state }: { state: AppStateView }) {
  const api = useApi();
  const { team, preferences } = state;
  const locked = state.configProblems !== null;
  const reveal = useAction(() => api.revealInFinder(team.folder ?? ''));
  const share = useAction(async () => {
    useAppStore.getState().receivePreferences(await api.setPreference('shareTaskInputs', !preferences.shareTaskInputs));
  });
  if (!team.member || !team.folder) {
    return (
      <div className="pane">
        <p className="pane__intro">{INTRO}</p>
        {team.problem ? (
          <p className="inline-error" role="alert">
            {team.problem}
          </p>
        ) : null}
        <JoinTeam state={state} />
        <p className="pane__note">Shared: your votes in tests and the prompts you promote. What you type or rename stays on this Mac.</p>
      </div>
    );
  }
  return (
    <div className="pane">
      <section className="group" aria-label="Team folder">
        <div className="form-row">
          <span className="form-row__label">Folder</span>
          <div className="form-row__control">
            <p className="model-status">
              <span className={`status-dot status-dot--${team.shareProblem ? 'warn' : 'good'}`} aria-hidden="true" />
              <span className="mono model-status__path" title={team.folder}>
                {team.folder}
              </span>
              {state.shell.kind === 'electron' ? (
                <button type="button" className="link-button" onClick={() => void reveal.run()}>
                  Show in Finder
                </button>
              ) : null}
            </p>
            {team.shareProblem ? (
              <p className="field-error" role="alert">
                Not shared: {team.shareProblem}
              </p>
            ) : (
              <p className="field-help">You are {team.member} there.</p>
            )}
          </div>
        </div>
        {TEAM_FIELDS.map((spec) => (
          <NumericField key={spec.key} spec={spec} value={preferences[spec.key]} disabled={locked} />
        ))}
        <Switch
          label="Share task inputs"
          description="Off: only votes and prompts are shared. On: the file names and texts you voted on go to the folder too."
          checked={preferences.shareTaskInputs}
          disabled={share.busy || locked}
          onChange={() => void share.run()}
        />
      </section>
      <TeammateList teammates={team.teammates} />
      {team.skipped.length > 0 ? (
        <section className="group" aria-label="Skipped files">
          {team.skipped.map((s) => (
            <p key={s.file} className="skipped-file" title={s.file}>
              <span className="status-dot status-dot--warn" aria-hidden="true" />
              <span>
                <strong>{s.member || 'The folder'}</strong>: {s.reason}. Left out until it is whole again.
              </span>
            </p>
          ))}
        </section>
      ) : null}
      {(reveal.error ?? share.error) ? (
        <p className="inline-error" role="alert">
          {reveal.error ?? share.error}
        </p>
      ) : null}
      <LeaveTeam folder={team.folder} />
    </div>
  );
}
