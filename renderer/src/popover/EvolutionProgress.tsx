import type { EvolutionProgressView } from '../../../contract/api';
import { Bar } from '../components/Bar';
import { useAction } from '../hooks/use-action';
import { useApi } from '../api/api-context';
import { formatEta, skillTitle } from '../lib/format';

const PHASES: Record<EvolutionProgressView['phase'], string> = {
  initialising: 'Preparing variants',
  evolving: 'Evolving prompts',
  'final-evaluation': 'Final evaluation',
  done: 'Evolution finished',
  cancelled: 'Evolution cancelled',
  failed: 'Evolution failed',
};

export function EvolutionProgress({ evolution }: { evolution: EvolutionProgressView }) {
  const api = useApi();
  const cancel = useAction(() => api.cancelEvolution(evolution.skill));
  const running = evolution.phase === 'initialising' || evolution.phase === 'evolving' || evolution.phase === 'final-evaluation';
  const fraction = evolution.generations > 0 ? evolution.generation / evolution.generations : 0;
  const eta = running ? formatEta(evolution.etaSeconds) : null;
  const details = [
    evolution.bestFitness === null ? null : `best fitness ${evolution.bestFitness.toFixed(2)}`,
    eta ? `about ${eta} left` : null,
  ].filter(Boolean);
  return (
    <section className="sub-panel" aria-label={`Evolution of ${skillTitle(evolution.skill)}`}>
      <div className="sub-panel__head">
        <span className="sub-panel__title">{PHASES[evolution.phase]}</span>
        <span className="sub-panel__meta tabular">Generation {evolution.generation}/{evolution.generations}</span>
      </div>
      <Bar value={fraction} label="Evolution progress" valueText={`Generation ${evolution.generation} of ${evolution.generations}`} size="thin" />
      <div className="sub-panel__foot">
        <span className="sub-panel__detail tabular">{details.join(' · ') || evolution.message || ' '}</span>
        {running ? (
          <button type="button" className="button button--small" onClick={cancel.run} disabled={cancel.busy}>
            Cancel
          </button>
        ) : null}
      </div>
      {evolution.phase === 'failed' && evolution.message ? <p className="inline-error">{evolution.message}</p> : null}
      {cancel.error ? <p className="inline-error" role="alert">{cancel.error}</p> : null}
    </section>
  );
}
