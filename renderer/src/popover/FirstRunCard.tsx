import { useState } from 'react';
import type { AppStateView } from '../../../contract/api';
import { useApi } from '../api/api-context';
import { Bar } from '../components/Bar';
import { PathField } from '../components/PathField';
import { useAction } from '../hooks/use-action';
import { formatBytes, pct } from '../lib/format';
import { useAppStore } from '../stores/use-app-store';

/** The first run: what tinyArms needs (a model) and the two ways to get it, done from here. */
export function FirstRunCard({ state, isDefault }: { state: AppStateView; isDefault: boolean }) {
  const api = useApi();
  const [typing, setTyping] = useState(false);
  const electron = state.shell.kind === 'electron';
  const applyModelFile = async (file: string) => useAppStore.getState().receivePreferences(await api.setPreference('modelPath', file));
  const pull = useAction(() => api.pullModel());
  const choose = useAction(async () => {
    if (!electron) return setTyping(true);
    const file = await api.chooseFile('model');
    if (file) await applyModelFile(file);
  });
  const download = state.model.download;
  const fraction = download && download.totalBytes > 0 ? download.downloadedBytes / download.totalBytes : 0;
  const error = pull.error ?? choose.error;
  return (
    <section className="card first-run" aria-labelledby="first-run-title">
      <h2 id="first-run-title" className="card__title">
        tinyArms needs a language model
      </h2>
      <p className="card__text">Its skills run on a small model on this Mac. Nothing you show them leaves it.</p>
      {download ? (
        <div className="first-run__download">
          <Bar value={fraction} label="Downloading SmolLM2" valueText={pct(fraction)} />
          <p className="card__meta tabular">
            Downloading SmolLM2… {formatBytes(download.downloadedBytes)} of {formatBytes(download.totalBytes)}
          </p>
        </div>
      ) : (
        <div className="card__actions">
          <button
            type="button"
            className={`button${isDefault ? ' button--default' : ''}`}
            onClick={() => void pull.run()}
            disabled={pull.busy}
          >
            Download SmolLM2 (≈ 270 MB)
          </button>
          <button type="button" className="button" onClick={() => void choose.run()} disabled={choose.busy}>
            Choose a model file…
          </button>
        </div>
      )}
      {typing && !download ? (
        <PathField
          label="Model file (.gguf)"
          placeholder="/Users/you/Downloads/model.gguf"
          action="Use This File"
          onSubmit={applyModelFile}
          onCancel={() => setTyping(false)}
        />
      ) : null}
      {error ? (
        <p className="inline-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
