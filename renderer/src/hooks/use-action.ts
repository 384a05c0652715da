import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { errorMessage } from '../lib/format';

export interface ActionState {
  busy: boolean;
  error: string | null;
  run(): Promise<void>;
}

/** Runs one API call at a time and keeps its one-line error; ignores results after unmount. */
export function useAction(call: () => Promise<unknown>): ActionState {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mounted = useRef(true);
  const callRef = useRef(call);
  useLayoutEffect(() => {
    callRef.current = call;
  });
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
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
  return { busy, error, run };
}
