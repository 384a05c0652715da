import { create } from 'zustand';
import { parseRoute, type Route } from '../lib/route';

export interface RouteStore extends Route {
  /** Re-reads location.hash (on start and on every hashchange). */
  sync(hash: string): void;
}

export const useRouteStore = create<RouteStore>()((set) => ({
  ...parseRoute(''),
  sync(hash) {
    set(parseRoute(hash));
  },
}));

export const resetRouteStore = (): void => useRouteStore.setState(parseRoute(''));
