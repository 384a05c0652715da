/**
 * At most `size` jobs at once; the others wait in the order they came. Callers that each await their own jobs
 * share the lanes without waiting for each other's slowest job: a lane that frees up takes the next job at once.
 * `busyMs` is the wall time during which at least one job ran.
 */
export class Lanes {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private busySince = 0;
  private busyTotal = 0;

  constructor(readonly size: number) {
    if (!(Number.isInteger(size) && size >= 1)) throw new RangeError(`lanes must be a positive integer, got ${size}`);
  }

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.active < this.size) this.begin();
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await job();
    } finally {
      // The lane passes straight to the next waiting job; it is only freed when nobody waits.
      const next = this.waiting.shift();
      if (next) next();
      else this.end();
    }
  }

  /** Jobs running now. */
  get running(): number {
    return this.active;
  }

  get busyMs(): number {
    return this.busyTotal + (this.active > 0 ? performance.now() - this.busySince : 0);
  }

  private begin(): void {
    if (this.active === 0) this.busySince = performance.now();
    this.active++;
  }

  private end(): void {
    this.active--;
    if (this.active === 0) this.busyTotal += performance.now() - this.busySince;
  }
}
