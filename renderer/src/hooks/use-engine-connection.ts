import { useEffect } from 'react';
import type { TinyArmsApi } from '../../../contract/api';
import { errorMessage } from '../lib/format';
import { useAppStore } from '../stores/use-app-store';

/** Mirrors the engine's state into the app store: one fetch, then every push, unsubscribed on unmount. */
export function useEngineConnection(api: TinyArmsApi): void {
  useEffect(() => {
    let live = true;
    const { receive, failLoad } = useAppStore.getState();
    const unsubscribe = api.onState((state) => {
      if (live) receive(state, 'push');
    });
    api.getState().then(
      (state) => live && receive(state, 'fetch'),
      (error: unknown) => live && failLoad(errorMessage(error)),
    );
    return () => {
      live = false;
      unsubscribe();
    };
  }, [api]);
}
