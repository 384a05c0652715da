import { create } from 'zustand';
import type { AppStateView, PreferencesView } from '../../../contract/api';

export interface AppStore {
  /** The engine's state as last pushed (or fetched); null until the first arrives. */
  state: AppStateView | null;
  loadError: string | null;
  /** Pushes arrive in order and always apply; a fetched state older than what we have is stale. */
  receive(state: AppStateView, source: 'push' | 'fetch'): void;
  failLoad(message: string): void;
  /** setPreference's answer, applied at once; the next push carries the same values. */
  receivePreferences(preferences: PreferencesView): void;
}

const initial = { state: null, loadError: null } satisfies Partial<AppStore>;

export const useAppStore = create<AppStore>()((set, get) => ({
  ...initial,
  receive(state, source) {
    const current = get().state;
    if (source === 'fetch' && current && state.revision < current.revision) return;
    set({ state, loadError: null });
  },
  failLoad(message) {
    if (!get().state) set({ loadError: message });
  },
  receivePreferences(preferences) {
    const current = get().state;
    if (current) set({ state: { ...current, preferences } });
  },
}));

export const resetAppStore = (): void => useAppStore.setState(initial);
