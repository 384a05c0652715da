import { useState } from 'react';
import type { AppStateView } from '../../../contract/api';
import { useApi } from '../api/api-context';
import { Icon } from '../components/Icon';
import { useAction } from '../hooks/use-action';

/**
 * Problems in a hand-edited config.yaml, each at its line, while the last settings that worked stay in effect;
 * "Open config.yaml" to fix it (in a browser, where it is), or "Use Last Good" to put the working file back.
 */
export function ConfigProblems({ state }: { state: AppStateView }) {
  const api = useApi();
  const [note, setNote] = useState<string | null>(null);
  const open = useAction(() => api.openConfigFile());
  // biome-ignore lint/correctness/useHookAtTopLevel: useLastGoodConfig is a contract method (use the last good file), not a hook
  const restore = useAction(async () => setNote(await api.useLastGoodConfig()));
  const problems = state.configProblems;
  if (!problems)
    return note ? (
      <p className="notice notice--good" role="status">
        {note}
      </p>
    ) : null;
  return (
    <section className="config-problems" aria-labelledby="config-problems-title" role="alert">
      <div className="config-problems__head">
        <Icon name="warning" className="config-problems__icon" />
        <div>
          <h2 className="config-problems__title" id="config-problems-title">
            config.yaml has {problems.lines.length === 1 ? 'a problem' : `${problems.lines.length} problems`}
          </h2>
          <p className="config-problems__text">
            Until it is fixed, tinyArms uses the last settings that worked, and changes here are not saved.
          </p>
        </div>
      </div>
      <ul className="config-problems__lines mono">
        {problems.lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      {state.shell.kind === 'browser' ? (
        <p className="config-problems__path">
          The file is <span className="mono">{problems.file}</span>
        </p>
      ) : null}
      <div className="config-problems__actions">
        {state.shell.kind === 'electron' ? (
          <button type="button" className="button" onClick={() => void open.run()} disabled={open.busy}>
            Open config.yaml
          </button>
        ) : null}
        <button type="button" className="button" onClick={() => void restore.run()} disabled={restore.busy}>
          Use Last Good
        </button>
      </div>
      {(open.error ?? restore.error) ? <p className="inline-error">{open.error ?? restore.error}</p> : null}
    </section>
  );
}
