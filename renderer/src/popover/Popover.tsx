import { useApi } from '../api/api-context';
import { AppGlyph } from '../components/AppGlyph';
import { Icon } from '../components/Icon';
import { Switch } from '../components/Switch';
import { useAction } from '../hooks/use-action';
import { useCloseOnEscape } from '../hooks/use-close-on-escape';
import type { AppStateView } from '../../../contract/api';
import { RenameSuggestions } from './RenameSuggestions';
import { SkillRow } from './SkillRow';

export function Popover({ state }: { state: AppStateView }) {
  const api = useApi();
  const vote = useAction(() => api.openWindow('choice'));
  const preferences = useAction(() => api.openWindow('preferences'));
  const monitor = useAction(() => api.runMonitor());
  const pause = useAction(() => api.setEvolutionPaused(!state.evolutionPaused));
  const waiting = state.pendingVotes.length;
  const testing = state.skills.filter((s) => s.session?.status === 'active').length;
  const error = vote.error ?? preferences.error ?? monitor.error ?? pause.error;

  useCloseOnEscape(api);

  return (
    <div className="window popover">
      <header className="popover__header">
        <div className="popover__brand">
          <AppGlyph />
          <div>
            <h1 className="popover__title">tinyArms</h1>
            <p className="popover__subtitle">
              {state.skills.length} skills{testing ? ` · ${testing} A/B ${testing === 1 ? 'test' : 'tests'} running` : ''}
              {state.evolutionPaused ? ' · evolution paused' : ''}
            </p>
          </div>
        </div>
        <button type="button" className="icon-button" onClick={monitor.run} disabled={monitor.busy} aria-label="Check accuracy now" title="Check accuracy now">
          <Icon name="refresh" className={monitor.busy ? 'spin' : undefined} />
        </button>
      </header>

      {waiting > 0 ? (
        <div className="popover__vote">
          <button type="button" className="button button--default button--wide" onClick={vote.run} disabled={vote.busy}>
            Vote now ({waiting} waiting)
          </button>
        </div>
      ) : null}

      <RenameSuggestions state={state} />

      <ul className="skill-list" aria-label="Skills">
        {state.skills.map((skill) => (
          <SkillRow key={skill.skill} skill={skill} />
        ))}
        {state.skills.length === 0 ? <li className="empty-note">No skills yet.</li> : null}
      </ul>

      {state.configIssues.length > 0 ? (
        <div className="config-issues" role="alert" aria-label="Problems in config.yaml">
          <Icon name="warning" className="config-issues__icon" />
          <div className="config-issues__lines">
            {state.configIssues.map((issue) => (
              <p key={issue} className="config-issues__line" title={issue}>{issue}</p>
            ))}
            <p className="config-issues__note">Using the last good settings.</p>
          </div>
        </div>
      ) : null}
      {error ? <p className="popover__error inline-error" role="alert">{error}</p> : null}

      <footer className="popover__footer">
        <Switch className="switch-row--compact" label="Pause evolution" checked={state.evolutionPaused} onChange={() => void pause.run()} disabled={pause.busy} />
        <button type="button" className="button" onClick={preferences.run}>
          Preferences…
        </button>
      </footer>
    </div>
  );
}
