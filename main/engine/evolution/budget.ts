/** Thrown before a batch that would take the run past max_llm_calls; the run then stops evolving. */
export class BudgetExhausted extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BudgetExhausted';
  }
}

/**
 * The hard cap on uncached model calls (cache hits and replayed calls are free). Callers running at the same time
 * reserve their calls first, so together they never pass the cap.
 */
export class Budget {
  private reserved = 0;

  constructor(
    private limit: number,
    public used: number,
  ) {}

  get max(): number {
    return this.limit;
  }

  get remaining(): number {
    return Math.max(0, this.limit - this.used);
  }

  /** Narrows the cap (e.g. to keep calls back for the final ranking); never above the hard cap. */
  setLimit(limit: number): void {
    this.limit = limit;
  }

  ensure(calls: number, what: string): void {
    const free = Math.max(0, this.remaining - this.reserved);
    if (calls > free) {
      throw new BudgetExhausted(`${what} needs ${calls} model calls but only ${free} of the budget remain`);
    }
  }

  /** ensure(), then holds the calls back from other callers until release(). */
  reserve(calls: number, what: string): void {
    this.ensure(calls, what);
    this.reserved += calls;
  }

  release(calls: number): void {
    this.reserved = Math.max(0, this.reserved - calls);
  }

  spend(calls: number): void {
    this.used += calls;
  }
}
