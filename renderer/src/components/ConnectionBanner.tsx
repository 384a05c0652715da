import { useConnectionStore } from '../stores/use-connection-store';
import { Icon } from './Icon';

/** Says when browser mode lost its live connection: what the page shows may then be out of date. */
export function ConnectionBanner() {
  const status = useConnectionStore((s) => s.status);
  if (status.state !== 'retrying' && status.state !== 'refused') return null;
  const title = status.state === 'retrying' ? 'Reconnecting to tinyArms…' : 'This page’s link has expired';
  const serve = <code className="mono">tinyarms serve</code>;
  const detail =
    status.state === 'retrying' ? <>Showing the last known state. Is {serve} still running?</> : <>{serve} was restarted: open the new link it printed.</>;
  return (
    <div className="connection-banner" role="alert" title={status.message}>
      {status.state === 'retrying' ? <span className="spinner connection-banner__spinner" aria-hidden="true" /> : <Icon name="warning" className="connection-banner__icon" />}
      <div>
        <p className="connection-banner__title">{title}</p>
        <p className="connection-banner__detail">{detail}</p>
      </div>
    </div>
  );
}
