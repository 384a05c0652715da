import { useState } from 'react';
import type { AppStateView, PreferenceKey, PreferencesView } from '../../../contract/api';
import { useApi } from '../api/api-context';
import { Switch } from '../components/Switch';
import { errorMessage } from '../lib/format';
import { useAppStore } from '../stores/use-app-store';

type ToggleKey = Extract<PreferenceKey, 'launchAtLogin' | 'trayTitle' | 'notifications' | 'showConfidenceBeforeVote'>;

const APP_TOGGLES: { key: ToggleKey; label: string; description: string }[] = [
  { key: 'launchAtLogin', label: 'Launch at login', description: 'Start tinyArms when you log in to your Mac.' },
  { key: 'trayTitle', label: 'Show accuracy in the menu bar', description: 'The lowest skill accuracy appears next to the icon.' },
  { key: 'notifications', label: 'Notifications', description: 'Tell me when a vote or a name for a new file is waiting.' },
];

const CONFIDENCE = {
  key: 'showConfidenceBeforeVote' as const,
  label: 'Show confidence before I vote',
  description:
    'Off by default: seeing which option leads makes people pick it, and the test then only confirms its own guess. ' +
    'With it off, you see the confidence right after your vote.',
};

export function GeneralPane({ state }: { state: AppStateView }) {
  const api = useApi();
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState<ToggleKey | null>(null);
  const [pausing, setPausing] = useState(false);
  const locked = state.configProblems !== null;

  const toggle = async (key: ToggleKey, value: PreferencesView[ToggleKey]) => {
    setSaving(key);
    setError(null);
    try {
      useAppStore.getState().receivePreferences(await api.setPreference(key, value));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(null);
    }
  };

  const pause = async (paused: boolean) => {
    setPausing(true);
    setError(null);
    try {
      await api.setEvolutionPaused(paused);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setPausing(false);
    }
  };

  const row = (t: { key: ToggleKey; label: string; description: string }) => (
    <Switch
      key={t.key}
      label={t.label}
      description={t.description}
      checked={state.preferences[t.key]}
      disabled={saving === t.key || locked}
      onChange={(checked) => void toggle(t.key, checked)}
    />
  );

  return (
    <div className="pane">
      <section className="group" aria-label="App">
        {APP_TOGGLES.map(row)}
      </section>
      <section className="group" aria-label="Votes">
        {row(CONFIDENCE)}
      </section>
      <section className="group" aria-label="Evolution">
        <Switch
          label="Pause evolution"
          description="No new prompts are written; an evolution under way stops after its current step and goes on when you resume. Tests you vote in go on."
          checked={state.evolutionPaused}
          disabled={pausing}
          onChange={(checked) => void pause(checked)}
        />
      </section>
      {error ? (
        <p className="inline-error" role="alert">
          {error}
        </p>
      ) : null}
      <dl className="facts">
        <dt>Data folder</dt>
        <dd className="facts__path" title={state.dataDir}>
          {state.dataDir}
        </dd>
      </dl>
    </div>
  );
}
