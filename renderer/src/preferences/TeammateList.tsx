import type { TeammateView } from '../../../contract/api';
import { useApi } from '../api/api-context';
import { useAction } from '../hooks/use-action';
import { formatDay, pct, skillTitle } from '../lib/format';

/** One thing a teammate offers, with its action button, or the reason it cannot be taken now. */
function Offer({
  text,
  action,
  note,
  enabled,
  run,
}: {
  text: string;
  action: string;
  note: string | null;
  enabled: boolean;
  run(): Promise<void>;
}) {
  const act = useAction(run);
  return (
    <li className="offer">
      <div className="offer__text">
        <span>{text}</span>
        {act.error ? (
          <span className="field-error" role="alert">
            {act.error}
          </span>
        ) : note ? (
          <span className="field-help">{note}</span>
        ) : null}
      </div>
      {enabled ? (
        <button
          type="button"
          className="button button--small"
          onClick={() => void act.run()}
          disabled={act.busy}
          aria-label={`${action}: ${text}`}
        >
          {action}
        </button>
      ) : null}
    </li>
  );
}

function Teammate({ mate }: { mate: TeammateView }) {
  const api = useApi();
  const offers = mate.tests.length + mate.versions.length;
  return (
    <li className="teammate" aria-label={mate.member}>
      <div className="teammate__head">
        <span className="teammate__name">{mate.member}</span>
        <span className="field-help">{mate.writtenAt ? `shared ${formatDay(mate.writtenAt)}` : 'nothing shared yet'}</span>
      </div>
      {offers === 0 ? (
        <p className="field-help teammate__empty">{mate.writtenAt ? 'No tests under way and no promoted prompts yet.' : ''}</p>
      ) : (
        <ul className="offers">
          {mate.tests.map((t) => (
            <Offer
              key={`test-${t.skill}`}
              text={`Testing ${t.arms} prompts for ${skillTitle(t.skill)} · ${t.votes} vote${t.votes === 1 ? '' : 's'}`}
              action="Vote Too"
              note={t.note}
              enabled={t.canJoin}
              run={() => api.joinTeammateTest(mate.member, t.skill)}
            />
          ))}
          {mate.versions.map((v) => (
            <Offer
              key={`version-${v.skill}`}
              text={`${skillTitle(v.skill)} version ${v.version}${v.accuracy === null ? '' : ` · ${pct(v.accuracy)} for them`}`}
              action="Test It"
              note={v.note}
              enabled={v.canTest}
              run={() => api.testTeammateVersion(mate.member, v.skill)}
            />
          ))}
        </ul>
      )}
    </li>
  );
}

/** The teammates seen in the folder, each with what can be done with their tests and versions. */
export function TeammateList({ teammates }: { teammates: TeammateView[] }) {
  if (teammates.length === 0) {
    return (
      <section className="group" aria-label="Teammates">
        <p className="group__empty">
          No teammates yet. Their files appear here once their tinyArms has joined the same folder and it has synced.
        </p>
      </section>
    );
  }
  return (
    <section aria-label="Teammates">
      <ul className="group teammates">
        {teammates.map((mate) => (
          <Teammate key={mate.member} mate={mate} />
        ))}
      </ul>
    </section>
  );
}
