import type { EvolutionView } from '../../../contract/api';
import { useApi } from '../api/api-context';
import { Bar } from '../components/Bar';
import { useAction } from '../hooks/use-action';
import { pct, skillTitle } from '../lib/format';

/** A skill's evolution: its step and progress from the first second, and Cancel, or Resume and Dismiss once stopped. */
export function EvolutionCard({ skill, evolution, paused }: { skill: string; evolution: EvolutionView; paused: boolean }) {
  const api = useApi();
  const cancel = useAction(() => api.cancelEvolution(skill));
  const resume = useAction(() => api.startEvolution(skill));
  const dismiss = useAction(() => api.dismissEvolution(skill));
  const running = evolution.status === 'running' || evolution.status === 'pausing';
  const error = cancel.error ?? resume.error ?? dismiss.error;
  return (
    <section className={`evolution evolution--${evolution.status}`} aria-label={`Evolution of ${skillTitle(skill)}`}>
      <div className="evolution__head">
        <span className="evolution__step">{evolution.step}</span>
        {evolution.timeLeft ? <span className="evolution__left tabular">{evolution.timeLeft}</span> : null}
      </div>
      <Bar
        value={evolution.fraction}
        label="Evolution progress"
        valueText={`${evolution.step}, ${pct(evolution.fraction)} done`}
        size="thin"
        tone={running ? 'accent' : 'muted'}
      />
      {evolution.note || running ? (
        <div className="evolution__foot">
          <span className="evolution__note">{evolution.note ?? ' '}</span>
          <span className="evolution__actions">
            {running && !evolution.elsewhere ? (
              <button type="button" className="button button--small" onClick={() => void cancel.run()} disabled={cancel.busy}>
                Cancel
              </button>
            ) : null}
            {!running ? (
              <>
                <button type="button" className="button button--small" onClick={() => void dismiss.run()} disabled={dismiss.busy}>
                  Dismiss
                </button>
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => void resume.run()}
                  disabled={resume.busy || paused}
                  title={paused ? 'Evolution is paused: resume it at the bottom of this window first' : undefined}
                >
                  {evolution.status === 'failed' ? 'Try Again' : 'Resume'}
                </button>
              </>
            ) : null}
          </span>
        </div>
      ) : null}
      {error ? (
        <p className="inline-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
