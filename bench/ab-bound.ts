import { logGamma } from '../main/engine/ab/dirichlet';

/*
 * `--bound`: how few votes any rule could need, whatever its design. A rule's "winner by vote n" is an event of
 * the first n picks; with every arm equal (A/A) it may happen in at most α of sessions. By the Neyman–Pearson
 * lemma no such event is more likely, under the alternative, than the likelihood-ratio region of the n-pick
 * multinomial with null probability α. So P(winner by vote n | alternative) ≤ that region's power: if it is below
 * ½ at n = 12, no rule with A/A false winners ≤ α has a median of 12 votes (all of α spent by vote 12, too).
 * "Symmetric": rules that treat the arms alike (flat prior), against the alternative's six labellings averaged;
 * "one labelling": a rule told which arm to bet on (the most an offline prior that is right could give, when an
 * A/A test's prior is as confident), against the shares as given. Picks only: no "none", served tasks or skips.
 */

function logMultinomial(counts: readonly number[], shares: readonly number[]): number {
  const n = counts.reduce((t, c) => t + c, 0);
  return counts.reduce((t, c, i) => t + c * Math.log(shares[i]) - logGamma(c + 1), logGamma(n + 1));
}

function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [xs.slice()];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
}

/** The Neyman–Pearson power at n picks of three arms, randomized at the boundary so the null rate is exactly α. */
export function neymanPearsonPower(n: number, shares: readonly number[], alpha: number, symmetric: boolean): number {
  const k = shares.length;
  const nullShares = shares.map(() => 1 / k);
  const labellings = symmetric ? permutations(shares) : [shares.slice()];
  const cells: { p0: number; p1: number }[] = [];
  for (let a = 0; a <= n; a++) {
    for (let b = 0; a + b <= n; b++) {
      const c = [a, b, n - a - b];
      const p0 = Math.exp(logMultinomial(c, nullShares));
      const p1 = labellings.reduce((t, s) => t + Math.exp(logMultinomial(c, s)), 0) / labellings.length;
      cells.push({ p0, p1 });
    }
  }
  cells.sort((x, y) => y.p1 / y.p0 - x.p1 / x.p0);
  let size = 0;
  let power = 0;
  for (const { p0, p1 } of cells) {
    if (size + p0 > alpha) return power + (p1 * (alpha - size)) / p0;
    size += p0;
    power += p1;
  }
  return power;
}

export function printBound(shares: readonly number[], alphas = [0.03, 0.05, 0.1], votes = [8, 10, 11, 12, 13, 14, 16, 20]): void {
  if (shares.length !== 3) throw new Error('the bound is computed for three arms');
  console.log(`\nupper bound on P(winner by vote n) for shares ${shares.join('/')}, any rule whose A/A false winners are ≤ α`);
  console.log(`  α      rule         ${votes.map((n) => `n=${n}`.padStart(6)).join('')}`);
  for (const alpha of alphas) {
    for (const symmetric of [true, false]) {
      const cells = votes.map((n) => (100 * neymanPearsonPower(n, shares, alpha, symmetric)).toFixed(1).padStart(6));
      const label = (symmetric ? 'symmetric' : 'one labelling').padEnd(13);
      console.log(`  ${(100 * alpha).toFixed(0).padStart(2)}%    ${label}${cells.join('')}`);
    }
  }
}
