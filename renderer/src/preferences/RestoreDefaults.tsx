import { useState } from 'react';
import { useApi } from '../api/api-context';
import { ConfirmSheet } from '../components/Sheet';
import { useAction } from '../hooks/use-action';
import { useAppStore } from '../stores/use-app-store';

/** "Restore Defaults…": every preference back to tinyArms' defaults, after a sheet that says so. */
export function RestoreDefaults({ disabled }: { disabled: boolean }) {
  const api = useApi();
  const [asking, setAsking] = useState(false);
  const restore = useAction(async () => {
    useAppStore.getState().receivePreferences(await api.restoreDefaults());
    setAsking(false);
  });
  return (
    <div className="pane__footer">
      <button type="button" className="button" onClick={() => setAsking(true)} disabled={disabled}>
        Restore Defaults…
      </button>
      {restore.error ? (
        <p className="inline-error" role="alert">
          {restore.error}
        </p>
      ) : null}
      {asking ? (
        <ConfirmSheet
          id="restore"
          title="Restore every preference to its default?"
          text="Thresholds, tests, the model file, team sharing and the app’s switches go back to how tinyArms ships. Your prompts and their history stay."
          onCancel={() => setAsking(false)}
          confirmLabel="Restore Defaults"
          onConfirm={() => void restore.run()}
          busy={restore.busy}
        />
      ) : null}
    </div>
  );
}
