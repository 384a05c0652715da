import { setMaxListeners } from 'node:events';
/** Rejection of a generation stopped by an AbortSignal (or by disposing the runtime). */
export class AbortError extends Error {
  readonly code = 'ABORT_ERR';

  constructor(message = 'generation aborted', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AbortError';
  }
}

/** True for our AbortError and for DOMException('AbortError') from platform APIs. */
export const isAbortError = (error: unknown): boolean => error instanceof Error && error.name === 'AbortError';

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
}

/**
 * One signal that aborts when any source does; call release() when done. Used instead of
 * AbortSignal.any, which can keep listeners on a long-lived source alive (Node 20 leak reports).
 */
export function linkSignals(...sources: Array<AbortSignal | undefined>): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const live = sources.filter((source): source is AbortSignal => source !== undefined);
  const already = live.find((source) => source.aborted);
  if (already) {
    controller.abort(already.reason);
    return { signal: controller.signal, release: () => {} };
  }
  const listeners = live.map((source) => {
    // A batch's or the runtime's signal has one listener per request in flight, each removed on release:
    // not the leak Node warns about past 10.
    setMaxListeners(0, source);
    const listener = () => controller.abort(source.reason);
    source.addEventListener('abort', listener, { once: true });
    return () => source.removeEventListener('abort', listener);
  });
  return { signal: controller.signal, release: () => listeners.forEach((remove) => remove()) };
}
