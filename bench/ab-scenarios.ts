/*
 * Simulated people and variants for bench:ab. A scenario fixes, per arm: the share of picks it wins when every
 * arm is shown (Luce's choice axiom gives the shares for fewer arms), the acceptance rate of its served tasks,
 * and the true offline fitness the evolution measures on held-out examples (with Binomial noise).
 */

export type ServedSignal = 'agree' | 'flat' | 'disagree';
export type PriorSignal = 'right' | 'flat' | 'wrong';

export interface Scenario {
  name: string;
  /** The base scenario's name (first column of the tables). */
  base: string;
  shares: readonly number[];
  none: number;
  skip: number;
  served: ServedSignal;
  prior: PriorSignal;
  /** True acceptance of each arm's served tasks, and of the old prompt. */
  acceptance: readonly number[];
  baseAcceptance: number;
  /** True offline fitness per arm, measured on `fitnessSamples` held-out examples. */
  fitness: readonly number[];
  fitnessSamples: number;
}

export const BASES = [
  { name: '0.67/0.13/0.20', shares: [0.67, 0.13, 0.2] },
  { name: '0.50/0.30/0.20', shares: [0.5, 0.3, 0.2] },
  { name: '0.40/0.35/0.25 near tie', shares: [0.4, 0.35, 0.25] },
  { name: 'A/A 1/3 each', shares: [1 / 3, 1 / 3, 1 / 3] },
] as const;

/** The old prompt's acceptance (accuracy fell below the 0.80 trigger), and the variants' typical one. */
export const BASE_ACCEPTANCE = 0.65;
const VARIANT_ACCEPTANCE = 0.72;
const OFFLINE_FITNESS = 0.6;
export const FITNESS_SAMPLES = 100;
/** Served acceptance moves by this many logits per unit of log pick share (agree), or against it (disagree). */
const AGREE_SLOPE = 0.5;
const DISAGREE_SLOPE = -0.25;
/** The offline score's margin, in logits, for the arm it favours. */
const PRIOR_MARGIN = 0.5;

const logit = (p: number): number => Math.log(p / (1 - p));
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

function centeredLogShares(shares: readonly number[]): number[] {
  const logs = shares.map(Math.log);
  const mean = logs.reduce((s, x) => s + x, 0) / logs.length;
  return logs.map((x) => x - mean);
}

/** The truly best arm, or null when the top share is tied (A/A). */
export function bestArm(shares: readonly number[]): number | null {
  const top = Math.max(...shares);
  const leaders = shares.flatMap((s, i) => (s === top ? [i] : []));
  return leaders.length === 1 ? leaders[0] : null;
}

const isAa = (shares: readonly number[]): boolean => bestArm(shares) === null;

export function acceptanceFor(shares: readonly number[], served: ServedSignal): number[] {
  // A/A: the variants are no better than the old prompt, in every respect.
  if (isAa(shares)) return shares.map(() => BASE_ACCEPTANCE);
  const slope = served === 'agree' ? AGREE_SLOPE : served === 'disagree' ? DISAGREE_SLOPE : 0;
  return centeredLogShares(shares).map((d) => sigmoid(logit(VARIANT_ACCEPTANCE) + slope * d));
}

/** Right: the best arm scores PRIOR_MARGIN logits above the rest; wrong: the worst arm does (arm 0 in A/A). */
export function fitnessFor(shares: readonly number[], prior: PriorSignal): number[] {
  const worst = isAa(shares) ? 0 : shares.indexOf(Math.min(...shares));
  const favoured = prior === 'flat' ? -1 : prior === 'right' ? (bestArm(shares) ?? -1) : worst;
  return shares.map((_, i) => sigmoid(logit(OFFLINE_FITNESS) + (i === favoured ? PRIOR_MARGIN : 0)));
}

export function makeScenario(
  base: (typeof BASES)[number],
  served: ServedSignal,
  prior: PriorSignal,
  extra: { none?: number; skip?: number } = {},
): Scenario {
  const tags = [`served ${served}`, `prior ${prior}`];
  if (extra.skip) tags.push(`${Math.round(extra.skip * 100)}% skips`);
  if (extra.none) tags.push(`${Math.round(extra.none * 100)}% none`);
  return {
    name: `${base.name} · ${tags.join(', ')}`,
    base: base.name,
    shares: base.shares,
    none: extra.none ?? 0,
    skip: extra.skip ?? 0,
    served,
    prior,
    acceptance: acceptanceFor(base.shares, served),
    baseAcceptance: BASE_ACCEPTANCE,
    fitness: fitnessFor(base.shares, prior),
    fitnessSamples: FITNESS_SAMPLES,
  };
}

/**
 * Every base with served acceptance that agrees with the picks, is flat or disagrees mildly, crossed with an
 * offline prior that is right, flat or wrong (A/A: served is flat by definition, and "right" is flat); then each
 * base with 20% skips and with 10% "none is good" (served and prior flat).
 */
export function allScenarios(): Scenario[] {
  const out: Scenario[] = [];
  for (const base of BASES) {
    const aa = isAa(base.shares);
    for (const served of (aa ? ['flat'] : ['agree', 'flat', 'disagree']) as ServedSignal[]) {
      const priors: PriorSignal[] = aa ? ['flat', 'wrong'] : ['right', 'flat', 'wrong'];
      for (const prior of priors) out.push(makeScenario(base, served, prior));
    }
    out.push(makeScenario(base, 'flat', 'flat', { skip: 0.2 }));
    out.push(makeScenario(base, 'flat', 'flat', { none: 0.1 }));
  }
  return out;
}
