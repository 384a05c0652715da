import { create } from 'zustand';
import type { ConnectionStatus } from '../../../contract/http-client';

/** Browser mode's event stream: 'connecting' until it first opens. Electron's IPC never drops, so stays 'connecting' there and shows nothing. */
export type ConnectionState = { state: 'connecting' } | ConnectionStatus;

export interface ConnectionStore {
  status: ConnectionState;
  report(status: ConnectionStatus): void;
}

const initial = { status: { state: 'connecting' } } satisfies Partial<ConnectionStore>;

export const useConnectionStore = create<ConnectionStore>()((set) => ({
  ...initial,
  report(status) {
    set({ status });
  },
}));

export const resetConnectionStore = (): void => useConnectionStore.setState(initial);
