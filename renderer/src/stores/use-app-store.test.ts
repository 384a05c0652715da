import { describe, expect, it } from 'vitest';
import { makeState } from '../test/fixtures';
import { useAppStore } from './use-app-store';

describe('useAppStore', () => {
  it('ignores a fetched state older than a pushed one, never a push', () => {
    const { receive } = useAppStore.getState();
    receive(makeState({ revision: 5 }), 'push');
    receive(makeState({ revision: 3 }), 'fetch');
    expect(useAppStore.getState().state?.revision).toBe(5);
    receive(makeState({ revision: 1 }), 'push');
    expect(useAppStore.getState().state?.revision).toBe(1);
  });

  it('keeps a load error only until a state arrives', () => {
    const { receive, failLoad } = useAppStore.getState();
    failLoad('connection refused');
    expect(useAppStore.getState().loadError).toBe('connection refused');
    receive(makeState(), 'push');
    expect(useAppStore.getState().loadError).toBeNull();
    failLoad('later failure');
    expect(useAppStore.getState().loadError).toBeNull();
  });
});
