import { useLayoutEffect } from 'react';
import { useRouteStore } from '../stores/use-route-store';

/** Keeps the route store in step with location.hash. */
export function useHashRoute(): void {
  // Layout effect: the right window renders before the first paint and before any window's own effects.
  useLayoutEffect(() => {
    const sync = () => useRouteStore.getState().sync(window.location.hash);
    sync();
    window.addEventListener('hashchange', sync);
    return () => window.removeEventListener('hashchange', sync);
  }, []);
}
