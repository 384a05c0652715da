import { create } from 'zustand';

export type PreferencesTab = 'general' | 'evolution' | 'testing' | 'model' | 'team' | 'history';

export const PREFERENCES_TABS: { id: PreferencesTab; label: string }[] = [
  { id: 'general', label: 'General' },
  { id: 'evolution', label: 'Evolution' },
  { id: 'testing', label: 'A/B Testing' },
  { id: 'model', label: 'Model' },
  { id: 'team', label: 'Team' },
  { id: 'history', label: 'History' },
];

export interface PreferencesStore {
  tab: PreferencesTab;
  setTab(tab: PreferencesTab): void;
}

export const usePreferencesStore = create<PreferencesStore>()((set) => ({
  tab: 'general',
  setTab(tab) {
    set({ tab });
  },
}));

export const resetPreferencesStore = (): void => usePreferencesStore.setState({ tab: 'general' });
