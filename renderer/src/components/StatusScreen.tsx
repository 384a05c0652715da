import type { ReactNode } from 'react';
import { Icon } from './Icon';

export function StatusScreen({
  title,
  detail,
  tone = 'neutral',
  children,
}: {
  title: string;
  detail?: string | null;
  tone?: 'neutral' | 'warning';
  children?: ReactNode;
}) {
  return (
    <div className="status-screen" role={tone === 'warning' ? 'alert' : 'status'}>
      {tone === 'warning' ? (
        <Icon name="warning" className="status-screen__icon status-screen__icon--warning" />
      ) : (
        <span className="spinner" aria-hidden="true" />
      )}
      <p className="status-screen__title">{title}</p>
      {detail ? <p className="status-screen__detail">{detail}</p> : null}
      {children}
    </div>
  );
}
