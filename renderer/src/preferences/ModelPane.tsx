import { useId, useState } from 'react';
import type { AppStateView } from '../../../contract/api';
import { useApi } from '../api/api-context';
import { Bar } from '../components/Bar';
import { useAction } from '../hooks/use-action';
import { errorMessage, formatBytes, pct } from '../lib/format';
import { useAppStore } from '../stores/use-app-store';

const SOURCES: Record<NonNullable<AppStateView['model']['source']>, string> = {
  config: 'the file chosen here',
  'data-folder': 'the data folder',
  downloaded: 'a download',
};

export function ModelPane({ state }: { state: AppStateView }) {
  const api = useApi();
  const id = useId();
  const { model, preferences } = state;
  const electron = state.shell.kind === 'electron';
  const locked = state.configProblems !== null;
  const [draft, setDraft] = useState<string | null>(null);
  const [pathError, setPathError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const pull = useAction(() => api.pullModel());
  const reveal = useAction(() => api.revealInFinder(model.resolvedPath ?? ''));
  const download = model.download;
  const fraction = download && download.totalBytes > 0 ? download.downloadedBytes / download.totalBytes : 0;

  const setPath = async (value: string | null) => {
    setSaving(true);
    try {
      useAppStore.getState().receivePreferences(await api.setPreference('modelPath', value));
      setDraft(null);
      setPathError(null);
    } catch (e) {
      setPathError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };
  const commitPath = async () => {
    if (draft === null || saving) return;
    const value = draft.trim() === '' ? null : draft.trim();
    if (value === preferences.modelPath) {
      setDraft(null);
      setPathError(null);
      return;
    }
    await setPath(value);
  };
  const choose = useAction(async () => {
    const file = await api.chooseFile('model');
    if (file) await setPath(file);
  });

  return (
    <div className="pane">
      <p className="pane__intro">Skills run on a small language model on this Mac. Nothing leaves your computer.</p>
      <section className="group" aria-label="Model location">
        <div className={`form-row form-row--stacked${pathError ? ' form-row--invalid' : ''}`}>
          <label className="form-row__label" htmlFor={id}>
            Model file
          </label>
          <div className="form-row__control">
            <div className="field-line">
              <input
                id={id}
                className="text-field text-field--wide mono"
                type="text"
                spellCheck={false}
                placeholder="Automatic: the data folder’s models/, else download"
                value={draft ?? preferences.modelPath ?? ''}
                aria-invalid={pathError ? true : undefined}
                aria-describedby={pathError ? `${id}-error` : `${id}-help`}
                disabled={saving || locked}
                onChange={(e) => setDraft(e.currentTarget.value)}
                onBlur={() => void commitPath()}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') void commitPath();
                  if (e.key === 'Escape' && draft !== null) {
                    e.preventDefault();
                    setDraft(null);
                    setPathError(null);
                  }
                }}
              />
              {electron ? (
                <button type="button" className="button" onClick={() => void choose.run()} disabled={choose.busy || locked}>
                  Choose…
                </button>
              ) : null}
            </div>
            {pathError ? (
              <p className="field-error" id={`${id}-error`} role="alert">
                {pathError}
              </p>
            ) : (
              <p className="field-help" id={`${id}-help`}>
                A .gguf file{electron ? '' : ' (type its full path)'}. Leave it empty to let tinyArms find or download one.
              </p>
            )}
          </div>
        </div>
        <div className="form-row form-row--stacked">
          <span className="form-row__label">In use</span>
          <div className="form-row__control">
            {model.resolvedPath ? (
              <p className="model-status">
                <span className={`status-dot status-dot--${model.loaded ? 'good' : 'muted'}`} aria-hidden="true" />
                <span className="mono model-status__path" title={model.resolvedPath}>
                  {model.resolvedPath}
                </span>
                {electron ? (
                  <button type="button" className="link-button" onClick={() => void reveal.run()}>
                    Show in Finder
                  </button>
                ) : null}
              </p>
            ) : (
              <p className="model-status model-status--missing">
                <span className="status-dot status-dot--warn" aria-hidden="true" />
                No model yet.
              </p>
            )}
            {model.error ? (
              <p className="field-error" role="alert">
                {model.error}
              </p>
            ) : (
              <p className="field-help">
                {model.resolvedPath
                  ? `${model.loaded ? 'Loaded' : 'Loads when a skill runs'}${model.source ? `; from ${SOURCES[model.source]}` : ''}.`
                  : 'Download the default model, or choose a file above.'}
              </p>
            )}
          </div>
        </div>
      </section>

      <section className="group" aria-label="Download">
        <div className="download">
          <div className="download__row">
            <div className="download__text">
              <span className="download__title">SmolLM2-360M-Instruct</span>
              <span className="field-help">
                {download
                  ? `${formatBytes(download.downloadedBytes)} of ${formatBytes(download.totalBytes)} (${pct(fraction)})`
                  : 'The default model, about 270 MB.'}
              </span>
            </div>
            <button type="button" className="button" onClick={() => void pull.run()} disabled={pull.busy || download !== null}>
              {download ? 'Downloading…' : 'Download'}
            </button>
          </div>
          {download ? <Bar value={fraction} label="Model download" valueText={pct(fraction)} /> : null}
        </div>
        {(pull.error ?? choose.error ?? reveal.error) ? (
          <p className="inline-error" role="alert">
            {pull.error ?? choose.error ?? reveal.error}
          </p>
        ) : null}
      </section>
    </div>
  );
}
