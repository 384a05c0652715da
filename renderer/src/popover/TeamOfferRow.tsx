import type { TeamOfferView } from '../../../contract/api';
import { useApi } from '../api/api-context';
import { Icon } from '../components/Icon';
import { useAction } from '../hooks/use-action';

/** A teammate's test to run too, or their version to test against this skill's prompt: one line and one button. */
export function TeamOfferRow({ skill, offer }: { skill: string; offer: TeamOfferView }) {
  const api = useApi();
  const take = useAction(() =>
    offer.kind === 'test' ? api.joinTeammateTest(offer.member, skill) : api.testTeammateVersion(offer.member, skill),
  );
  const action = offer.kind === 'test' ? 'Vote Too' : 'Test It';
  return (
    <div className="team-offer">
      <Icon name="people" className="team-offer__icon" aria-hidden="true" />
      <span className="team-offer__text">{offer.text}</span>
      <button type="button" className="button button--small" onClick={() => void take.run()} disabled={take.busy}>
        {action}
      </button>
      {take.error ? (
        <p className="inline-error team-offer__error" role="alert">
          {take.error}
        </p>
      ) : null}
    </div>
  );
}
