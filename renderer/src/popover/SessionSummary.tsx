import type { SessionView } from '../../../contract/api';
import { Bar } from '../components/Bar';
import { useAction } from '../hooks/use-action';
import { useApi } from '../api/api-context';
import { pct, skillTitle } from '../lib/format';

export function SessionSummary({ session }: { session: SessionView }) {
  const api = useApi();
  const promote = useAction(() => api.promote(session.skill, session.leader ?? ''));
  const leader = session.leader;
  const awaiting = session.outcome === 'awaiting_manual' && leader !== null;
  return (
    <section className="sub-panel" aria-label={`A/B test of ${skillTitle(session.skill)}`} title={session.decisionReason}>
      <div className="sub-panel__head">
        <span className="sub-panel__title">{session.status === 'active' ? 'A/B test' : 'A/B test finished'}</span>
        <span className="sub-panel__meta tabular">
          {session.votes}/{session.maxVotes} votes
        </span>
      </div>
      <div className="ab-leader">
        {leader ? (
          <>
            <span className="letter-badge" aria-hidden="true">{leader}</span>
            <span className="ab-leader__text">
              Variant {leader} {session.status === 'active' ? 'leads' : 'won'}
            </span>
            <span className="ab-leader__p tabular">P(best) {pct(session.leaderPBest)}</span>
          </>
        ) : (
          <span className="ab-leader__text ab-leader__text--muted">No votes yet</span>
        )}
      </div>
      <Bar value={session.leaderPBest} label="Leader’s P(best)" valueText={pct(session.leaderPBest)} size="thin" role="meter" tone={leader ? 'good' : 'muted'} />
      {awaiting ? (
        <div className="sub-panel__foot">
          <span className="sub-panel__detail">Waiting for you to promote it.</span>
          <button type="button" className="button button--small button--default" onClick={promote.run} disabled={promote.busy}>
            Promote {leader}
          </button>
        </div>
      ) : null}
      {promote.error ? <p className="inline-error" role="alert">{promote.error}</p> : null}
    </section>
  );
}
