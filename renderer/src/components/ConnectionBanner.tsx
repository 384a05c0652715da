import { useConnectionStore } from '../stores/use-connection-store';
import { Icon } from './Icon';

/**
 * Says when browser mode lost its live connection, in the layout above the window's content (never over its
 * header); the window's controls are disabled meanwhile (App makes its content inert), and it goes away once
 * the stream is back.
 */
export function ConnectionBanner() {
  const status = useConnectionStore((s) => s.status);
  if (status.state !== 'retrying' && status.state !== 'refused') return null;
  const retrying = status.state === 'retrying';
  const serve = <code className="mono">tinyarms serve</code>;
  return (
    <div className="connection-banner" role="alert">
      {retrying ? (
        <span className="spinner connection-banner__spinner" aria-hidden="true" />
      ) : (
        <Icon name="warning" className="connection-banner__icon" />
      )}
      <p className="connection-banner__text">
        <strong>{retrying ? 'Reconnecting…' : 'This link has expired.'}</strong>{' '}
        {retrying ? <>Showing the last known state until {serve} answers.</> : <>{serve} was restarted: open the new link it printed.</>}
      </p>
    </div>
  );
}

export const isDisconnected = (state: string): boolean => state === 'retrying' || state === 'refused';
