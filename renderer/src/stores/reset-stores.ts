import { resetAppStore } from './use-app-store';
import { resetChoiceStore } from './use-choice-store';
import { resetConnectionStore } from './use-connection-store';
import { resetHistoryStore } from './use-history-store';
import { resetPreferencesStore } from './use-preferences-store';
import { resetRouteStore } from './use-route-store';

export function resetStores(): void {
  resetAppStore();
  resetRouteStore();
  resetChoiceStore();
  resetConnectionStore();
  resetHistoryStore();
  resetPreferencesStore();
}
