import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { errorMessage } from '../lib/format';
import { useConnectionStore } from '../stores/use-connection-store';

export interface ActionState {
  busy: boolean;
  error: string | null;
  run(): Promise<void>;
  clear(): void;
}

/**
 * Runs one API call at a time and keeps its one-line error; ignores results after unmount. An error goes once
 * the connection comes back (it was most likely the connection's).
 */
export function useAction(call: () => Promise<unknown>): ActionState {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mounted = useRef(true);
  const callRef = useRef(call);
  const connection = useConnectionStore((s) => s.status.state);
  useLayoutEffect(() => {
    callRef.current = call;
  });
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  useEffect(() => {
    if (connection === 'open') setError(null);
  }, [connection]);
  const run = useCallback(async () => {
    setBusy(true);
    setError(null);
    try {
      await callRef.current();
    } catch (e) {
      if (mounted.current) setError(errorMessage(e));
    } finally {
      if (mounted.current) setBusy(false);
    }
  }, []);
  const clear = useCallback(() => setError(null), []);
  return { busy, error, run, clear };
}
