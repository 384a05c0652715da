import { chiSquaredDistributionTable } from 'simple-statistics';
import { thompsonServe } from '../main/engine/ab/allocation';
import { betaCdf } from '../main/engine/ab/beta';
import type { PosteriorFn } from '../main/engine/ab/decision';
import { integrateVector, logGamma, posteriorSummary, type PosteriorSummary } from '../main/engine/ab/dirichlet';
import {
  jointPosterior,
  thompsonActive,
  type ArmEvidence,
  type JointEvidence,
  type JointModelSettings,
  type JointPosterior,
} from '../main/engine/ab/joint-model';
import {
  decideSession,
  defaultAbSettings,
  dirichletAbSettings,
  shownArms,
  type AbSettings,
  type SessionEvidence,
} from '../main/engine/ab/joint-rule';
import { sampleBeta, type Rng } from '../main/engine/util/random';
import type { ArmFeedback, SimAnswer, SimContext, SimDecision, SimRule, SimSession } from './ab-sim';

/** P(best) depends on the picks only up to order, so one quadrature per sorted count vector serves every session. */
export function cachedPosterior(compute: PosteriorFn = posteriorSummary): PosteriorFn {
  const cache = new Map<string, PosteriorSummary>();
  return (picks) => {
    const order = picks.map((_, i) => i).sort((a, b) => picks[a] - picks[b]);
    const key = order.map((i) => picks[i]).join(',');
    let sorted = cache.get(key);
    if (!sorted) {
      sorted = compute(order.map((i) => picks[i]));
      cache.set(key, sorted);
    }
    const pBest = new Array<number>(picks.length);
    const expectedLoss = new Array<number>(picks.length);
    order.forEach((arm, rank) => {
      pBest[arm] = sorted.pBest[rank];
      expectedLoss[arm] = sorted.expectedLoss[rank];
    });
    return { pBest, expectedLoss };
  };
}

/** What the engine's tally holds: picks per arm, the arms still shown, served-only outcomes, offline scores. */
class Evidence {
  readonly arms: ArmEvidence[];
  active: number[];
  none = 0;

  constructor(readonly ctx: SimContext) {
    this.arms = ctx.fitness.map((f) => ({ picks: 0, served: 0, accepted: 0, fitness: f, fitnessSamples: ctx.fitnessSamples }));
    this.active = this.arms.map((_, i) => i);
  }

  record(a: SimAnswer): void {
    // A round showing fewer arms takes the others out of the test for good.
    this.active = this.active.filter((i) => a.shown.includes(i));
    if (a.best === null) this.none++;
    else this.arms[a.best].picks++;
  }

  session(): SessionEvidence {
    return { arms: this.arms, active: this.active, none: this.none, skips: 0, elapsedDays: 0 };
  }
}

/** Today's serving: Thompson sampling on Beta(1 + accepted, 1 + rejected) of every task with feedback. */
const betaThompson = (rng: Rng, fb: ArmFeedback): number =>
  thompsonServe(
    fb.served.map((served, i) => ({ served, accepted: fb.accepted[i] })),
    rng,
  );

const toSim = (kind: string, arm: number | null): SimDecision | null =>
  kind === 'continue' ? null : { outcome: kind === 'winner' ? 'winner' : kind === 'probable_winner' ? 'probable' : 'none', arm };

/** Today's rule (rule: dirichlet): every arm in every round, Beta Thompson serving on all feedback. */
export function dirichletRule(
  settings: AbSettings = dirichletAbSettings,
  posterior: PosteriorFn = cachedPosterior(),
  name = 'today (dirichlet)',
): SimRule {
  return {
    name,
    start(ctx) {
      const e = new Evidence(ctx);
      const all = Array.from({ length: ctx.k }, (_, i) => i);
      return {
        shown: () => all,
        serve: (rng, fb) => betaThompson(rng, fb),
        vote: (a) => e.record(a),
        served: () => undefined,
        decide: () => {
          const d = decideSession(e.session(), settings, jointPosterior, posterior).decision;
          return toSim(d.kind, d.arm);
        },
      };
    },
  };
}

/**
 * One posterior per distinct tally: sessions revisit the same states, above all early on. Small: each posterior keeps
 * its quadrature grid for Thompson draws (tens of kB), and 400,000 of them held 10 GB per run (most keys never
 * repeat, as the measured offline scores differ between sessions).
 */
export function cachedJoint(limit = 5_000): (e: JointEvidence, m: JointModelSettings) => JointPosterior {
  const cache = new Map<string, JointPosterior>();
  return (e, m) => {
    const key = `${e.active}|${e.arms.map((a) => `${a.picks},${a.served},${a.accepted},${a.fitness}`).join(';')}`;
    let p = cache.get(key);
    if (!p) {
      if (cache.size >= limit) cache.clear();
      cache.set(key, (p = jointPosterior(e, m)));
    }
    return p;
  };
}

/**
 * The joint rule (the new default): all signals, every-vote looks, lost arms dropped, Thompson serving among the
 * arms in the test. The round's options and the served arms come from the posterior after the last vote (the
 * engine recomputes it for every round and task; served outcomes in between move it little).
 */
export function jointRule(
  settings: AbSettings = defaultAbSettings,
  options: { name?: string; posterior?: ReturnType<typeof cachedJoint> } = {},
): SimRule {
  const posteriorOf = options.posterior ?? cachedJoint();
  return {
    name: options.name ?? 'new (joint)',
    start(ctx) {
      const e = new Evidence(ctx);
      let last: JointPosterior | null = null;
      const current = (): JointPosterior => (last ??= posteriorOf(e.session(), settings.model));
      return {
        shown: () => shownArms(current(), settings.dropBelow),
        serve: (rng) => thompsonActive(current(), rng),
        vote: (a) => {
          e.record(a);
          last = null;
        },
        served: (arm, ok) => {
          e.arms[arm].served++;
          if (ok) e.arms[arm].accepted++;
        },
        decide: () => {
          const outcome = decideSession(e.session(), settings, () => (last = posteriorOf(e.session(), settings.model)));
          return toSim(outcome.decision.kind, outcome.decision.arm);
        },
      };
    },
  };
}

/** P(variant best) over independent Beta(s + 1, f + 1) posteriors: the limit of the seed's Monte Carlo. */
export function independentBetaPBest(s: readonly number[], f: readonly number[]): number[] {
  const k = s.length;
  const a = s.map((x) => x + 1);
  const b = f.map((x) => x + 1);
  const logNorm = a.map((ai, i) => logGamma(ai + b[i]) - logGamma(ai) - logGamma(b[i]));
  const integrand = (x: number): Float64Array => {
    const cdf = a.map((ai, i) => betaCdf(x, ai, b[i]));
    const out = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      let v = Math.exp(logNorm[i] + (a[i] - 1) * Math.log(x) + (b[i] - 1) * Math.log(1 - x));
      for (let j = 0; j < k; j++) if (j !== i) v *= cdf[j];
      out[i] = v;
    }
    return out;
  };
  const raw = integrateVector(integrand, k, 0, 1, new Array<number>(k).fill(1), 1e-9);
  const mass = raw.reduce((t, p) => t + p, 0);
  return raw.map((p) => p / mass);
}

/**
 * The seed's rule: a Beta(s + 1, f + 1) per variant; each vote Thompson-draws a "chosen" variant and scores the
 * pick against it. "None is good" (not specified by the seed) fails every variant. `as-written` follows the
 * seed's pseudo-code (a pick of the chosen variant fails nobody); `all-unpicked-fail` its worked example.
 */
export type SeedUpdate = 'as-written' | 'all-unpicked-fail';

export function seedRule(update: SeedUpdate = 'as-written', checkEvery = 5, threshold = 0.95, maxVotes = 50): SimRule {
  const cache = new Map<string, number[]>();
  const pBest = (s: number[], f: number[]): number[] => {
    const key = `${s}|${f}`;
    let p = cache.get(key);
    if (!p) cache.set(key, (p = independentBetaPBest(s, f)));
    return p;
  };
  return {
    name: update === 'as-written' ? RULE_LABELS.seed : RULE_LABELS['seed-unpicked'],
    start(ctx): SimSession {
      const k = ctx.k;
      const s = new Array<number>(k).fill(0);
      const f = new Array<number>(k).fill(0);
      const all = Array.from({ length: k }, (_, i) => i);
      let votes = 0;
      return {
        shown: () => all,
        serve: (rng, fb) => betaThompson(rng, fb),
        served: () => undefined,
        vote: (a, rng) => {
          votes++;
          const theta = s.map((si, i) => sampleBeta(rng, si + 1, f[i] + 1));
          const chosen = theta.indexOf(Math.max(...theta));
          if (a.best === null) for (let i = 0; i < k; i++) f[i]++;
          else if (a.best === chosen && update === 'as-written') s[chosen]++;
          else for (let i = 0; i < k; i++) (i === a.best ? s : f)[i]++;
        },
        decide: () => {
          if (votes % checkEvery === 0) {
            const p = pBest(s, f);
            const top = Math.max(...p);
            if (top > threshold) return { outcome: 'winner', arm: p.indexOf(top) };
          }
          if (votes < maxVotes) return null;
          const means = s.map((si, i) => (si + 1) / (si + f[i] + 2));
          return { outcome: 'probable', arm: means.indexOf(Math.max(...means)) };
        },
      };
    },
  };
}

/** A fixed-horizon test: 50 votes, chi-square goodness of fit of the picks against equal shares at α = 0.05. */
export function fixedChiSquareRule(votesPlanned = 50): SimRule {
  return {
    name: votesPlanned === 50 ? RULE_LABELS.chi2 : `fixed ${votesPlanned} + χ²`,
    start(ctx): SimSession {
      const k = ctx.k;
      const picks = new Array<number>(k).fill(0);
      const all = Array.from({ length: k }, (_, i) => i);
      let votes = 0;
      return {
        shown: () => all,
        serve: (rng, fb) => betaThompson(rng, fb),
        served: () => undefined,
        vote: (a) => {
          votes++;
          if (a.best !== null) picks[a.best]++;
        },
        decide: () => {
          if (votes < votesPlanned) return null;
          const total = picks.reduce((t, c) => t + c, 0);
          const expected = total / k;
          const stat = total > 0 ? picks.reduce((t, c) => t + (c - expected) ** 2 / expected, 0) : 0;
          const critical = chiSquaredDistributionTable[(k - 1) as keyof typeof chiSquaredDistributionTable]['0.05'];
          const top = Math.max(...picks);
          const unique = picks.filter((c) => c === top).length === 1;
          return stat > critical && unique ? { outcome: 'winner', arm: picks.indexOf(top) } : { outcome: 'none', arm: null };
        },
      };
    },
  };
}

/** The rules bench:ab runs side by side, by name (workers rebuild them from the name). */
export const RULES = ['today', 'new', 'seed', 'seed-unpicked', 'chi2'] as const;
export type RuleName = (typeof RULES)[number];

export const RULE_LABELS: Record<RuleName, string> = {
  today: 'today (dirichlet)',
  new: 'new (joint)',
  seed: 'seed, as written',
  'seed-unpicked': 'seed, all unpicked fail',
  chi2: 'fixed 50 + χ²',
};

export function makeRule(name: RuleName, settings: AbSettings = defaultAbSettings): SimRule {
  switch (name) {
    case 'today':
      return dirichletRule(dirichletAbSettings, cachedPosterior(), RULE_LABELS.today);
    case 'new':
      return jointRule(settings, { name: RULE_LABELS.new });
    case 'seed':
      return seedRule('as-written');
    case 'seed-unpicked':
      return seedRule('all-unpicked-fail');
    case 'chi2':
      return fixedChiSquareRule();
  }
}
