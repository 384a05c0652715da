import { useEffect } from 'react';
import type { TinyArmsApi } from '../../../contract/api';

/** Esc closes the window, as menu-bar popovers and settings windows do, once a field or sheet has had its chance to cancel (they preventDefault). */
export function useCloseOnEscape(api: TinyArmsApi): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented) void api.closeWindow().catch(() => undefined);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [api]);
}
