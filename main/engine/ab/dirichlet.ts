import { sampleGamma, type Rng } from '../util/random';

/*
 * Posterior over the arms' vote shares: Dirichlet(prior + c_i), one multinomial choice per vote round.
 * A Dirichlet vector is p_i = X_i / S with independent X_i ~ Gamma(alpha_i, 1) and S = ΣX, and S is
 * independent of p. Comparisons among arms only look at the X_i, so a "none is good" category (one more
 * independent Gamma in S) changes nothing here: callers pass the arms' picks only.
 */

export interface PosteriorSummary {
  pBest: number[];
  expectedLoss: number[];
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < 9; i++) sum += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** ψ(x) = d/dx ln Γ(x) for x > 0: recurrence up to x ≥ 8, then the asymptotic series. */
export function digamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`digamma needs x > 0, got ${x}`);
  let result = 0;
  while (x < 8) {
    result -= 1 / x;
    x += 1;
  }
  const f = 1 / (x * x);
  const series = f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f * (1 / 132 - f * (691 / 32760 - f / 12))))));
  return result + Math.log(x) - 0.5 / x - series;
}

const EPS = 1e-15;
const TINY = 1e-300;

/** Regularized lower incomplete gamma P(a, x): series below a + 1, Lentz continued fraction above. */
export function regularizedGammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  if (x === Infinity) return 1;
  const logPrefix = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPS) break;
    }
    return Math.min(1, sum * Math.exp(logPrefix));
  }
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.max(0, 1 - Math.exp(logPrefix) * h);
}

// Gauss–Kronrod 15/7 nodes on [-1, 1] (QUADPACK); Gauss weights belong to the odd-indexed nodes.
const XGK = [
  0.991455371120812639, 0.949107912342758525, 0.864864423359769073, 0.74153118559939444, 0.58608723546769113, 0.405845151377397167,
  0.207784955007898468, 0,
];
const WGK = [
  0.022935322010529225, 0.063092092629978553, 0.104790010322250184, 0.140653259715525919, 0.169004726639267903, 0.19035057806478541,
  0.204432940075298892, 0.209482141084727828,
];
const WG = [0.129484966168869693, 0.279705391489276668, 0.381830050505118945, 0.417959183673469388];

type VectorFn = (x: number) => Float64Array;

/**
 * Adaptive Gauss–Kronrod for a vector integrand: a panel is split until every component's
 * |K15 − G7| / scale is below its share of `tol`. Returns the integral of each component.
 */
export function integrateVector(
  fn: VectorFn,
  dim: number,
  a: number,
  b: number,
  scales: readonly number[],
  tol = 1e-10,
  panels = 16,
): number[] {
  const total = new Array<number>(dim).fill(0);
  const width = (b - a) / panels;
  const perUnit = tol / (b - a);
  const visit = (lo: number, hi: number, depth: number): void => {
    const half = (hi - lo) / 2;
    const mid = lo + half;
    const kronrod = new Float64Array(dim);
    const gauss = new Float64Array(dim);
    const add = (values: Float64Array, wk: number, wg: number): void => {
      for (let c = 0; c < dim; c++) {
        kronrod[c] += wk * values[c];
        gauss[c] += wg * values[c];
      }
    };
    add(fn(mid), WGK[7], WG[3]);
    for (let k = 0; k < 7; k++) {
      const wg = k % 2 === 1 ? WG[(k - 1) / 2] : 0;
      add(fn(mid - half * XGK[k]), WGK[k], wg);
      add(fn(mid + half * XGK[k]), WGK[k], wg);
    }
    let error = 0;
    for (let c = 0; c < dim; c++) error = Math.max(error, (Math.abs(kronrod[c] - gauss[c]) * half) / scales[c]);
    if (error <= perUnit * (hi - lo) || depth >= 30) {
      for (let c = 0; c < dim; c++) total[c] += kronrod[c] * half;
      return;
    }
    visit(lo, mid, depth + 1);
    visit(mid, hi, depth + 1);
  };
  for (let p = 0; p < panels; p++) visit(a + p * width, p === panels - 1 ? b : a + (p + 1) * width, 0);
  return total;
}

function posteriorShapes(counts: readonly number[], prior: number): number[] {
  if (counts.length === 0) throw new RangeError('need at least one arm');
  if (!(prior > 0) || !Number.isFinite(prior)) throw new RangeError(`prior must be > 0, got ${prior}`);
  return counts.map((c) => {
    if (!(c >= 0) || !Number.isFinite(c)) throw new RangeError(`counts must be finite and >= 0, got ${c}`);
    return c + prior;
  });
}

/**
 * P(best) and expected loss in one quadrature pass over x, with X_i ~ Gamma(alpha_i, 1):
 *   P(best)_i = ∫ f_i(x) ∏_{j≠i} F_j(x) dx,   E[max X] = ∫ (1 − ∏_j F_j(x)) dx,
 *   loss_i = E[max_j p_j] − E[p_i] = (E[max X] − alpha_i) / Σalpha   (S is independent of p).
 * Outside [lo, hi] (≈ 9 sd beyond every arm's mean) the integrands are below 1e-17.
 */
export function posteriorSummary(counts: readonly number[], prior = 1): PosteriorSummary {
  const alpha = posteriorShapes(counts, prior);
  const k = alpha.length;
  const sumAlpha = alpha.reduce((s, a) => s + a, 0);
  if (k === 1) return { pBest: [1], expectedLoss: [0] };
  const lo = Math.max(0, ...alpha.map((a) => a - 9 * Math.sqrt(a)));
  const hi = Math.max(...alpha.map((a) => a + 9 * Math.sqrt(a) + 30));
  const logNorm = alpha.map(logGamma);
  const density = new Float64Array(k);
  const cdf = new Float64Array(k);
  const prefix = new Float64Array(k + 1);
  const integrand = (x: number): Float64Array => {
    for (let j = 0; j < k; j++) {
      density[j] = Math.exp((alpha[j] - 1) * Math.log(x) - x - logNorm[j]);
      cdf[j] = regularizedGammaP(alpha[j], x);
    }
    prefix[0] = 1;
    for (let j = 0; j < k; j++) prefix[j + 1] = prefix[j] * cdf[j];
    const out = new Float64Array(k + 1);
    let suffix = 1;
    for (let i = k - 1; i >= 0; i--) {
      out[i] = density[i] * prefix[i] * suffix;
      suffix *= cdf[i];
    }
    out[k] = 1 - prefix[k];
    return out;
  };
  const scales = [...new Array<number>(k).fill(1), sumAlpha];
  const integral = integrateVector(integrand, k + 1, lo, hi, scales, 1e-10);
  const raw = integral.slice(0, k);
  const mass = raw.reduce((s, p) => s + p, 0);
  const expectedMax = lo + integral[k];
  return {
    pBest: raw.map((p) => p / mass),
    expectedLoss: alpha.map((a) => Math.max(0, (expectedMax - a) / sumAlpha)),
  };
}

/** Exact P(best) per arm under Dirichlet(prior + counts); sums to 1. */
export function probabilityBest(counts: readonly number[], prior = 1): number[] {
  return posteriorSummary(counts, prior).pBest;
}

/** E[max_j p_j − p_i] per arm: the share of votes lost by shipping arm i instead of the true best. */
export function expectedLoss(counts: readonly number[], prior = 1): number[] {
  return posteriorSummary(counts, prior).expectedLoss;
}

/** Monte Carlo P(best), for cross-checking the quadrature only. */
export function probabilityBestMonteCarlo(counts: readonly number[], rng: Rng, draws = 20_000, prior = 1): number[] {
  const alpha = posteriorShapes(counts, prior);
  const wins = new Array<number>(alpha.length).fill(0);
  for (let d = 0; d < draws; d++) {
    let best = 0;
    let bestValue = -1;
    for (let i = 0; i < alpha.length; i++) {
      const x = sampleGamma(rng, alpha[i]);
      if (x > bestValue) {
        bestValue = x;
        best = i;
      }
    }
    wins[best]++;
  }
  return wins.map((w) => w / draws);
}

/** Monte Carlo expected loss, for cross-checking only. */
export function expectedLossMonteCarlo(counts: readonly number[], rng: Rng, draws = 20_000, prior = 1): number[] {
  const alpha = posteriorShapes(counts, prior);
  const loss = new Array<number>(alpha.length).fill(0);
  for (let d = 0; d < draws; d++) {
    const x = alpha.map((a) => sampleGamma(rng, a));
    const sum = x.reduce((s, v) => s + v, 0);
    const max = Math.max(...x);
    for (let i = 0; i < x.length; i++) loss[i] += (max - x[i]) / sum;
  }
  return loss.map((l) => l / draws);
}
