import type { Rng } from '../util/random';
import { logGamma } from './dirichlet';
import { gaussHermite, gaussLegendre } from './gauss-rules';

/*
 * The numerics of arm-posterior.ts: each arm's density of t = log X_j on one grid of Gauss–Legendre panels, for one
 * level η at a time (normalized densities, CDFs from exact running integrals, masses Z_j(η)), and the Gauss–Hermite
 * integral over η around the mode of w(η) = ∏ Z_j(η). See docs/ab-statistics.md, "Numerics".
 */

export interface ArmPosteriorInput {
  /** Dirichlet parameter: prior + offline pseudo-votes + picks. */
  alpha: number;
  accepted: number;
  rejected: number;
}

const LEGENDRE = gaussLegendre(8);
const HERMITE = gaussHermite(12);
// Panel breakpoints around each arm's mode, in units of its posterior sd: long left tails (e^{αt}), short right ones.
const OFFSETS = [-30, -16, -9, -5, -2.5, -0.5, 1.5, 3.5, 6];

const logSigmoid = (x: number): number => (x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x)));
const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** One arm's mode of t = log X under its (tilted) density, and the sd of the Gaussian with the same curvature. */
function tiltedMode(a: ArmPosteriorInput, slope: number, eta: number): { mode: number; sd: number } {
  let t = Math.log(a.alpha);
  let curvature = a.alpha;
  for (let i = 0; i < 50; i++) {
    const q = sigmoid(eta + slope * t);
    const grad = a.alpha - Math.exp(t) + slope * (a.accepted - (a.accepted + a.rejected) * q);
    curvature = Math.exp(t) + slope * slope * (a.accepted + a.rejected) * q * (1 - q);
    const step = grad / curvature;
    t += Math.max(-2, Math.min(2, step));
    if (Math.abs(step) < 1e-10) break;
  }
  return { mode: t, sd: 1 / Math.sqrt(curvature) };
}

/** The plug-in level: the MLE of η with each arm at its untilted mode log α_j. */
function plugInEta(arms: readonly ArmPosteriorInput[], slope: number): { eta: number; info: number } {
  const offsets = arms.map((a) => slope * Math.log(a.alpha));
  const n = arms.reduce((s, a) => s + a.accepted + a.rejected, 0);
  const acc = arms.reduce((s, a) => s + a.accepted, 0);
  let eta = Math.log((acc + 0.5) / (n - acc + 0.5)) - offsets.reduce((s, o) => s + o, 0) / arms.length;
  let info = 1;
  for (let i = 0; i < 100; i++) {
    let grad = 0;
    info = 0;
    arms.forEach((a, j) => {
      const q = sigmoid(eta + offsets[j]);
      grad += a.accepted - (a.accepted + a.rejected) * q;
      info += (a.accepted + a.rejected) * q * (1 - q);
    });
    const step = grad / info;
    eta += Math.max(-3, Math.min(3, step));
    if (Math.abs(step) < 1e-10) break;
  }
  return { eta, info };
}

interface LevelSummary {
  p: Float64Array;
  mean: Float64Array;
  max: number;
}

/**
 * The arms' densities of t = log X_j on one grid of Gauss–Legendre panels (breakpoints around every arm's mode),
 * for one level η at a time: normalized densities, running integrals (CDFs) and masses.
 */
export class TiltedArms {
  private readonly k: number;
  private readonly nodes: number;
  private readonly t: Float64Array;
  private readonly weight: Float64Array;
  private readonly panelStart: number[] = [];
  private readonly panelHalf: number[] = [];
  private readonly base: Float64Array;
  private readonly dens: Float64Array;
  private readonly cdf: Float64Array;
  private readonly baseExp: Float64Array;
  private readonly baseTop: Float64Array;
  private readonly q: Float64Array;
  private readonly notQ: Float64Array;
  private readonly start: { eta: number; info: number };

  constructor(
    private readonly arms: readonly ArmPosteriorInput[],
    private readonly slope: number,
  ) {
    this.k = arms.length;
    this.start = slope > 0 ? plugInEta(arms, slope) : { eta: 0, info: 1 };
    const points: number[] = [];
    let finest = Infinity;
    for (const a of arms) {
      const { mode, sd } = tiltedMode(a, slope, this.start.eta);
      // The tilt moves with η; a 25% wider sd keeps every level's densities resolved.
      for (const o of OFFSETS) points.push(mode + 1.25 * o * sd);
      finest = Math.min(finest, 1.25 * sd);
    }
    points.sort((x, y) => x - y);
    // Breakpoints of different arms closer than the finest spacing add nothing but nodes.
    const breaks = [points[0]];
    for (const p of points) if (p - breaks[breaks.length - 1] > finest) breaks.push(p);
    if (breaks[breaks.length - 1] < points[points.length - 1]) breaks[breaks.length - 1] = points[points.length - 1];
    const n = LEGENDRE.x.length;
    const panels = breaks.length - 1;
    this.nodes = panels * n;
    this.t = new Float64Array(this.nodes);
    this.weight = new Float64Array(this.nodes);
    for (let p = 0; p < panels; p++) {
      const half = (breaks[p + 1] - breaks[p]) / 2;
      const mid = breaks[p] + half;
      this.panelStart.push(p * n);
      this.panelHalf.push(half);
      for (let r = 0; r < n; r++) {
        this.t[p * n + r] = mid + half * LEGENDRE.x[r];
        this.weight[p * n + r] = half * LEGENDRE.w[r];
      }
    }
    // η-free part of each arm's log density: α t − e^t − ln Γ(α).
    this.base = new Float64Array(this.k * this.nodes);
    arms.forEach((a, j) => {
      const lg = logGamma(a.alpha);
      for (let i = 0; i < this.nodes; i++) this.base[j * this.nodes + i] = a.alpha * this.t[i] - Math.exp(this.t[i]) - lg;
    });
    this.baseExp = new Float64Array(this.k * this.nodes);
    this.baseTop = new Float64Array(this.k);
    for (let j = 0; j < this.k; j++) {
      let top = -Infinity;
      for (let i = 0; i < this.nodes; i++) top = Math.max(top, this.base[j * this.nodes + i]);
      this.baseTop[j] = top;
      for (let i = 0; i < this.nodes; i++) this.baseExp[j * this.nodes + i] = Math.exp(this.base[j * this.nodes + i] - top);
    }
    this.dens = new Float64Array(this.k * this.nodes);
    this.cdf = new Float64Array(this.k * this.nodes);
    this.q = new Float64Array(this.nodes);
    this.notQ = new Float64Array(this.nodes);
  }

  /** Normalizes each arm's density at level η; returns Σ_j ln Z_j(η). With `running`, also fills the CDFs. */
  private atLevel(eta: number, running: boolean): number {
    const { k, nodes, t, weight, dens, baseExp, q, notQ, slope } = this;
    if (slope > 0) {
      for (let i = 0; i < nodes; i++) {
        const u = eta + slope * t[i];
        const e = Math.exp(-Math.abs(u));
        q[i] = u >= 0 ? 1 / (1 + e) : e / (1 + e);
        notQ[i] = u >= 0 ? e / (1 + e) : 1 / (1 + e);
      }
    }
    let total = 0;
    for (let j = 0; j < k; j++) {
      const accepted = slope > 0 ? this.arms[j].accepted : 0;
      const rejected = slope > 0 ? this.arms[j].rejected : 0;
      const off = j * nodes;
      // σ^a (1 − σ)^r by repeated squaring; the untilted factor is pre-scaled to a maximum of 1.
      let mass = 0;
      for (let i = 0; i < nodes; i++) {
        const d = baseExp[off + i] * power(q[i], accepted) * power(notQ[i], rejected);
        dens[off + i] = d;
        mass += weight[i] * d;
      }
      if (!(mass > 1e-280)) return this.atLevelLog(eta, running);
      const inv = 1 / mass;
      for (let i = 0; i < nodes; i++) dens[off + i] *= inv;
      total += this.baseTop[j] + Math.log(mass);
      if (running) this.runningIntegrals(off);
    }
    return total;
  }

  /** The same in log space, for tallies so large that σ^a (1 − σ)^r underflows. */
  private atLevelLog(eta: number, running: boolean): number {
    const { k, nodes, t, weight, dens, base, slope } = this;
    let total = 0;
    for (let j = 0; j < k; j++) {
      const { accepted, rejected } = this.arms[j];
      const off = j * nodes;
      let top = -Infinity;
      for (let i = 0; i < nodes; i++) {
        const u = eta + slope * t[i];
        const l1 = logSigmoid(u);
        const v = base[off + i] + accepted * l1 + rejected * (l1 - u);
        dens[off + i] = v;
        if (v > top) top = v;
      }
      let mass = 0;
      for (let i = 0; i < nodes; i++) {
        const d = Math.exp(dens[off + i] - top);
        dens[off + i] = d;
        mass += weight[i] * d;
      }
      for (let i = 0; i < nodes; i++) dens[off + i] /= mass;
      total += top + Math.log(mass);
      if (running) this.runningIntegrals(off);
    }
    return total;
  }

  private runningIntegrals(off: number): void {
    const n = LEGENDRE.x.length;
    const cumulative = LEGENDRE.cumulative;
    const { dens, cdf, weight } = this;
    let carried = 0;
    for (let p = 0; p < this.panelStart.length; p++) {
      const first = this.panelStart[p];
      const half = this.panelHalf[p];
      for (let r = 0; r < n; r++) {
        let s = 0;
        for (let m = 0; m < n; m++) s += cumulative[r * n + m] * dens[off + first + m];
        const v = carried + half * s;
        cdf[off + first + r] = Math.min(v, 1);
      }
      for (let m = 0; m < n; m++) carried += weight[first + m] * dens[off + first + m];
    }
  }

  /** P(t_a is the largest), E[t_a] and E[max t] for the densities of the last atLevel(…, true). */
  private summarize(): LevelSummary {
    const { k, nodes, t, weight, dens, cdf } = this;
    const p = new Float64Array(k);
    const mean = new Float64Array(k);
    let max = 0;
    for (let i = 0; i < nodes; i++) {
      const wt = weight[i];
      let total = 0;
      for (let a = 0; a < k; a++) {
        const da = dens[a * nodes + i];
        let v = da;
        for (let b = 0; b < k; b++) if (b !== a) v *= cdf[b * nodes + i];
        p[a] += wt * v;
        mean[a] += wt * t[i] * da;
        total += v;
      }
      max += wt * t[i] * total;
    }
    return { p, mean, max };
  }

  untilted(): { pBest: number[]; expectedLoss: number[] } {
    this.atLevel(0, true);
    return finish([{ logWeight: 0, ...this.summarize() }]);
  }

  /** Centre and scale of w(η) = ∏ Z_j(η): the mode and curvature of a parabola through three points. */
  private levelFrame(): { centre: number; scale: number } {
    let centre = this.start.eta;
    let scale = 1 / Math.sqrt(this.start.info);
    const h = scale;
    const [lm, l0, lp] = [this.atLevel(centre - h, false), this.atLevel(centre, false), this.atLevel(centre + h, false)];
    const curvature = (lm - 2 * l0 + lp) / (h * h);
    if (curvature < 0) {
      centre += Math.max(-3 * h, Math.min(3 * h, -(lp - lm) / (2 * h) / curvature));
      scale = 1 / Math.sqrt(-curvature);
    }
    return { centre, scale };
  }

  /** Gauss–Hermite over η around the mode of w(η). */
  integrateOverLevel(): { pBest: number[]; expectedLoss: number[] } {
    const { centre, scale } = this.levelFrame();
    const levels = Array.from(HERMITE.x, (x, m) => {
      const logWeight = Math.log(HERMITE.w[m]) + x * x + this.atLevel(centre + Math.SQRT2 * scale * x, true);
      return { logWeight, ...this.summarize() };
    });
    this.nodes_ = { etas: Array.from(HERMITE.x, (x) => centre + Math.SQRT2 * scale * x), logW: levels.map((l) => l.logWeight) };
    return finish(levels);
  }

  /** The η nodes and their log weights of the last integration, so draws need not recompute them. */
  private nodes_: { etas: number[]; logW: number[] } | null = null;

  sampler(): (rng: Rng) => number {
    let known = this.nodes_;
    if (!known) {
      const { centre, scale } = this.levelFrame();
      const etas = Array.from(HERMITE.x, (x) => centre + Math.SQRT2 * scale * x);
      known = { etas, logW: etas.map((eta, m) => Math.log(HERMITE.w[m]) + HERMITE.x[m] ** 2 + this.atLevel(eta, false)) };
    }
    const { etas, logW } = known;
    const top = Math.max(...logW);
    const w = logW.map((l) => Math.exp(l - top));
    const total = w.reduce((s, x) => s + x, 0);
    return (rng) => {
      let u = rng.next() * total;
      let m = 0;
      while (m < w.length - 1 && (u -= w[m]) > 0) m++;
      this.atLevel(etas[m], true);
      let best = 0;
      let bestT = -Infinity;
      for (let j = 0; j < this.k; j++) {
        const t = this.quantile(j, rng.next());
        if (t > bestT) {
          bestT = t;
          best = j;
        }
      }
      return best;
    };
  }

  /** t with CDF u for arm j at the last level, by linear interpolation between grid nodes. */
  private quantile(j: number, u: number): number {
    const { nodes, t, cdf } = this;
    const off = j * nodes;
    let lo = 0;
    let hi = nodes - 1;
    if (u <= cdf[off]) return t[0];
    if (u >= cdf[off + hi]) return t[hi];
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (cdf[off + mid] < u) lo = mid;
      else hi = mid;
    }
    const span = cdf[off + hi] - cdf[off + lo];
    return span > 0 ? t[lo] + ((u - cdf[off + lo]) / span) * (t[hi] - t[lo]) : t[hi];
  }
}

/** x^n for an integer n >= 0 by repeated squaring (served counts are integers). */
function power(x: number, n: number): number {
  if (n === 0) return 1;
  if (!Number.isInteger(n)) return x ** n;
  let result = 1;
  let b = x;
  let e = n;
  while (e > 0) {
    if (e & 1) result *= b;
    b *= b;
    e >>= 1;
  }
  return result;
}

function finish(levels: readonly (LevelSummary & { logWeight: number })[]): { pBest: number[]; expectedLoss: number[] } {
  const k = levels[0].p.length;
  const top = Math.max(...levels.map((l) => l.logWeight));
  const pBest = new Float64Array(k);
  const meanLog = new Float64Array(k);
  let expectedMax = 0;
  let weightSum = 0;
  for (const level of levels) {
    const w = Math.exp(level.logWeight - top);
    weightSum += w;
    for (let a = 0; a < k; a++) {
      pBest[a] += w * level.p[a];
      meanLog[a] += w * level.mean[a];
    }
    expectedMax += w * level.max;
  }
  const mass = pBest.reduce((s, p) => s + p, 0);
  return {
    pBest: Array.from(pBest, (p) => p / mass),
    expectedLoss: Array.from(meanLog, (m) => Math.max(0, expectedMax / mass - m / weightSum)),
  };
}
