import { DEFAULT_IDLE_DISPOSE_MS } from './runtime-defaults';

/**
 * What keeps a runtime's model loaded: the requests (and loads, warm-ups) in flight. With none for `idleMs` the
 * model unloads (its memory back to the Mac); dispose waits for the last one to finish first.
 */
export class RuntimeActivity {
  private active = 0;
  private drainWaiters: Array<() => void> = [];
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly idleMs: number | undefined,
    private readonly unloadIdle: { isLoaded(): boolean; unload(): void },
  ) {}

  begin(): void {
    this.active++;
    this.clearIdleTimer();
  }

  end(): void {
    this.active--;
    if (this.active > 0) return;
    for (const resolve of this.drainWaiters.splice(0)) resolve();
    this.scheduleIdleUnload();
  }

  /** Resolves once nothing is in flight. */
  drained(): Promise<void> {
    return this.active > 0 ? new Promise<void>((resolve) => this.drainWaiters.push(resolve)) : Promise.resolve();
  }

  clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private scheduleIdleUnload(): void {
    const ms = this.idleMs ?? DEFAULT_IDLE_DISPOSE_MS;
    if (!this.unloadIdle.isLoaded() || !(ms > 0) || !Number.isFinite(ms)) return;
    this.clearIdleTimer();
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.active === 0) this.unloadIdle.unload();
    }, ms);
    this.idleTimer.unref();
  }
}
