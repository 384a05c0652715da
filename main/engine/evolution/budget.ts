/** Thrown before a batch that would take the run past max_llm_calls; the run then stops evolving. */
export class BudgetExhausted extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BudgetExhausted';
  }
}

/** The hard cap on uncached model calls (cache hits and replayed calls are free). */
export class Budget {
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
    if (calls > this.remaining) {
      throw new BudgetExhausted(`${what} needs ${calls} model calls but only ${this.remaining} of the budget remain`);
    }
  }

  spend(calls: number): void {
    this.used += calls;
  }
}
