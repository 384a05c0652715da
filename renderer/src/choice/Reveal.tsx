import type { VoteResultView } from '../../../contract/api';
import { Bar } from '../components/Bar';
import { Icon } from '../components/Icon';
import { pct } from '../lib/format';

/** What a vote did: the person's pick, every option's confidence now, and how far the test is (or its decision). */
export function Reveal({ result }: { result: VoteResultView }) {
  const { round, conclusion } = result;
  const picked = round.status === 'none' ? 'none of them' : `option ${round.picked}`;
  return (
    <section className="reveal" aria-labelledby="reveal-title">
      <h2 className="reveal__title" id="reveal-title" role="status">
        <Icon name="check" className="reveal__check" /> Your vote for {picked} counts.
      </h2>
      <p className="reveal__intro">How likely each one is to be the best, now:</p>
      <ul className="reveal__options">
        {round.options.map((o) => (
          <li key={o.label} className={`reveal__option${o.label === round.picked ? ' reveal__option--picked' : ''}`}>
            <span className="reveal__output mono">
              <kbd className="keycap keycap--small">{o.label}</kbd> {o.output}
              {o.label === round.picked ? <span className="tag tag--accent">Your pick</span> : null}
            </span>
            <span className="reveal__bar">
              <Bar value={o.pBest ?? 0} label={`Chance option ${o.label} is the best`} valueText={pct(o.pBest)} size="thin" role="meter" />
              <span className="reveal__value tabular">{pct(o.pBest)}</span>
            </span>
          </li>
        ))}
      </ul>
      <p className={`reveal__progress${conclusion ? ' reveal__progress--decided' : ''}`}>{conclusion ?? round.progress}</p>
    </section>
  );
}
