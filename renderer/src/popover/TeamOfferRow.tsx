import type { TeamOfferView } from '../../../contract/api';
import { useApi } from '../api/api-context';
import { Icon } from '../components/Icon';
import { useAction } from '../hooks/use-action';

/** A teammate's test to run too, or their version to test against this skill's prompt: one line, Not Now and the action. */
export function TeamOfferRow({ skill, offer }: { skill: string; offer: TeamOfferView }) {
  const api = useApi();
  const take = useAction(() =>
    offer.kind === 'test' ? api.joinTeammateTest(offer.member, skill) : api.testTeammateVersion(offer.member, skill),
  );
  const dismiss = useAction(() => api.dismissTeamOffer(offer.key));
  const action = offer.kind === 'test' ? 'Vote Too' : 'Test It';
  const error = take.error ?? dismiss.error;
  return (
    <div className="team-offer">
      <span className="team-offer__message">
        <Icon name="people" className="team-offer__icon" aria-hidden="true" />
        <span className="team-offer__text">{offer.text}</span>
      </span>
      <span className="team-offer__buttons">
        <button type="button" className="link-button" onClick={() => void dismiss.run()} disabled={dismiss.busy || take.busy}>
          Not Now
        </button>
        <button type="button" className="button button--small" onClick={() => void take.run()} disabled={take.busy || dismiss.busy}>
          {action}
        </button>
      </span>
      {error ? (
        <p className="inline-error team-offer__error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
