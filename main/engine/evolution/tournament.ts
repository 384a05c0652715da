import type { Rng } from '../util/random';
import { pairKey } from './fitness-cache';
import { BudgetExhausted } from './budget';
import type { FitnessEvaluator } from './fitness';
import { raceStep, raceVerdict, type RaceVerdict, type RacingPolicy } from './racing';
import type { Example, Unit } from './types';

/** One binary tournament: member indexes and the examples both units are scored on. */
export interface Match {
  a: number;
  b: number;
  examples: Example[];
}

export interface MatchOutcome {
  winner: number;
  loser: number;
  /** Examples each unit was scored on before the verdict. */
  scored: number;
  verdict: Exclude<RaceVerdict, 'continue'>;
}

interface Race {
  match: Match;
  order: Example[];
  diffs: number[];
  verdict: RaceVerdict;
}

/**
 * Plays a round of disjoint matches with racing: every match races on its own, scoring its next examples as soon
 * as its last ones are in and asking the racing policy whether its winner is settled, while the others do the
 * same on the evaluator's shared lanes (so no lane waits for another match's slowest step). Each match's verdict
 * depends on its own scores only, so the outcomes are those of matches raced one after another. Examples both
 * units already met (fitness cache) come first: they cost nothing. A tie goes to the better overall estimate,
 * then a coin (drawn in match order once all are decided).
 */
export async function playRound(
  evaluator: FitnessEvaluator,
  members: readonly Unit[],
  matches: readonly Match[],
  policy: RacingPolicy,
  estimate: (unit: Unit) => number,
  rng: Rng,
): Promise<MatchOutcome[]> {
  const races: Race[] = matches.map((match) => ({ match, order: freeFirst(evaluator, members, match), diffs: [], verdict: 'continue' }));
  let stopped = false;
  const runRace = async (race: Race): Promise<void> => {
    const [a, b] = [members[race.match.a], members[race.match.b]];
    while (race.verdict === 'continue' && !stopped) {
      const done = race.diffs.length;
      const free = race.order.slice(done).findIndex((e) => !bothCached(evaluator, members, race.match, e));
      const take = Math.max(free < 0 ? race.order.length - done : free, raceStep(done, race.order.length, policy));
      const examples = race.order.slice(done, done + take);
      const scores = await evaluator.score([a, b].flatMap((unit) => examples.map((example) => ({ unit, example }))));
      for (const e of examples) race.diffs.push((scores.get(pairKey(a.hash, e.id)) ?? 0) - (scores.get(pairKey(b.hash, e.id)) ?? 0));
      race.verdict = raceVerdict(race.diffs, race.order.length, policy);
    }
  };
  const settled = await Promise.allSettled(
    races.map((race) =>
      runRace(race).catch((error: unknown) => {
        // One match failing (the budget, a cancel, the model) ends the round: the others take no further step.
        stopped = true;
        throw error;
      }),
    ),
  );
  const failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  if (failures.length > 0) throw failures.find((error) => !(error instanceof BudgetExhausted)) ?? failures[0];
  return races.map(({ match, diffs, verdict }) => {
    let aWins = verdict === 'a';
    if (verdict === 'tie') {
      const [estimateA, estimateB] = [estimate(members[match.a]), estimate(members[match.b])];
      aWins = estimateA === estimateB ? rng.next() < 0.5 : estimateA > estimateB;
    }
    return {
      winner: aWins ? match.a : match.b,
      loser: aWins ? match.b : match.a,
      scored: diffs.length,
      verdict: verdict as MatchOutcome['verdict'],
    };
  });
}

function bothCached(evaluator: FitnessEvaluator, members: readonly Unit[], match: Match, example: Example): boolean {
  return evaluator.isCached(members[match.a].hash, example.id) && evaluator.isCached(members[match.b].hash, example.id);
}

/**
 * The match's examples cheapest first: those both units already met (free), then those one of them met (half price:
 * typically an old unit against a new child, who pays alone), then the rest; stable within each group.
 */
function freeFirst(evaluator: FitnessEvaluator, members: readonly Unit[], match: Match): Example[] {
  const met = (e: Example) =>
    Number(evaluator.isCached(members[match.a].hash, e.id)) + Number(evaluator.isCached(members[match.b].hash, e.id));
  const known = new Map(match.examples.map((e) => [e, met(e)]));
  return [...match.examples].sort((x, y) => known.get(y)! - known.get(x)!);
}

/**
 * A child scored for the first time is compared with its parent on the examples both met: an improvement or not,
 * per operator (and per mutation prompt). Updates the units' `judged` and `parentFitness` and the stats in place.
 */
export function judgeChildren(
  units: readonly Unit[],
  scoresOf: (hash: string) => { exampleId: string; score: number }[],
  record: (unit: Unit, improved: boolean) => void,
): void {
  for (const unit of units) {
    if (unit.judged || !unit.parentHash || unit.operator === 'current') continue;
    const own = scoresOf(unit.hash);
    if (own.length === 0) continue;
    const parentScores = new Map(scoresOf(unit.parentHash).map((s) => [s.exampleId, s.score]));
    const shared = own.filter((s) => parentScores.has(s.exampleId));
    const parent = average(shared.length > 0 ? shared.map((s) => parentScores.get(s.exampleId)!) : [...parentScores.values()]);
    if (parent === null) continue;
    const child = average((shared.length > 0 ? shared : own).map((s) => s.score))!;
    unit.judged = true;
    unit.parentFitness = parent;
    record(unit, child > parent);
  }
}

const average = (values: readonly number[]): number | null =>
  values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
