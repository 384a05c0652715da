import { useApi } from '../api/api-context';
import { useAction } from '../hooks/use-action';

const ON = 'Every new prompt must keep your answer for this input.';

/**
 * Pins a past task as a gold example ("always get this right"): every later evolution of the skill is scored on it,
 * and a new prompt that gets it wrong is not promoted on its own. A toggle; the state comes back with the next push.
 */
export function PinButton({ taskId, pinned, input }: { taskId: string; pinned: boolean; input: string }) {
  const api = useApi();
  const toggle = useAction(() => (pinned ? api.unpinTask(taskId) : api.pinTask(taskId)));
  return (
    <button
      type="button"
      className={`button button--small pin${pinned ? ' pin--on' : ''}`}
      aria-pressed={pinned}
      aria-label={`${pinned ? 'Unpin' : 'Pin'} ${input}: always get this right`}
      title={pinned ? `${ON} Click to unpin.` : `Always get this right: ${ON.toLowerCase()}`}
      onClick={() => void toggle.run()}
      disabled={toggle.busy}
    >
      {pinned ? 'Pinned' : 'Pin'}
    </button>
  );
}
