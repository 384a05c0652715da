import { median } from 'simple-statistics';
import { jointPosterior } from '../main/engine/ab/joint-model';
import { decideSession, defaultAbSettings, shownArms, type AbSettings } from '../main/engine/ab/joint-rule';
import { poolPeerPicks } from '../main/engine/team/team-pool';
import type { TeamFile } from '../main/engine/team/team-file';
import { createRng, type Rng } from '../main/engine/util/random';
import { flag } from './args';
import { printTable } from './table';

/*
 * Two team members voting in turn on the same three arms, each deciding with the joint rule on its own picks plus
 * the other's at weight w (team-pool.ts, the code the engine runs), picks only. Alone = w 0. Prints, per scenario,
 * each member's best-chosen %, wrong-winner %, and median votes; A/A rows give the false-winner rate.
 *   npm run bench:ab-team [-- --sessions N]
 * Members' people may differ: "tastes differ" gives member 2 a different favourite.
 */

interface Member {
  shares: readonly number[];
  picks: number[];
  /** Arms shown in every round so far; null before the first. */
  active: number[] | null;
  groups: Map<string, { shown: number[]; picks: number[]; rounds: number }>;
  done: { arm: number | null; kind: string; votes: number } | null;
}

const HASHES = ['a000000000000000', 'b000000000000000', 'c000000000000000'];
const settings: AbSettings = defaultAbSettings;

function asTeamFile(name: string, m: Member): TeamFile {
  const groups = [...m.groups.values()].map((g) => ({
    shown: g.shown.map((i) => HASHES[i]),
    picks: Object.fromEntries(g.shown.map((i) => [HASHES[i], g.picks[i]])),
    rounds: g.rounds,
  }));
  return {
    format: 'tinyarms-team',
    version: 1,
    member: name,
    written_at: '',
    promoted: [],
    sessions: [{ id: name, skill: 'file-naming', status: 'active', arms: HASHES, prompts: HASHES, groups }],
  };
}

function evidence(m: Member, peer: TeamFile, weight: number) {
  const pooled = weight > 0 ? poolPeerPicks([peer], { skill: 'file-naming', armHashes: HASHES, active: m.active }, weight) : null;
  return {
    arms: m.picks.map((picks, i) => ({
      picks,
      served: 0,
      accepted: 0,
      fitness: null,
      fitnessSamples: null,
      peerPicks: pooled?.peerPicks[i] ?? 0,
    })),
    active: m.active,
    none: 0,
    skips: 0,
    elapsedDays: 0,
  };
}

function step(m: Member, peer: TeamFile, weight: number, rng: Rng): void {
  const before = jointPosterior(evidence(m, peer, weight), settings.model);
  const shown = shownArms(before, settings.dropBelow);
  let u = rng.next() * shown.reduce((t, i) => t + m.shares[i], 0);
  const pick = shown.find((i) => (u -= m.shares[i]) < 0) ?? shown[shown.length - 1];
  m.picks[pick] += 1;
  m.active = (m.active ?? [0, 1, 2]).filter((i) => shown.includes(i));
  const key = shown.join(',');
  const group = m.groups.get(key) ?? { shown, picks: [0, 0, 0], rounds: 0 };
  group.picks[pick] += 1;
  group.rounds += 1;
  m.groups.set(key, group);
  const { decision } = decideSession(evidence(m, peer, weight), settings);
  if (decision.kind !== 'continue') m.done = { arm: decision.arm, kind: decision.kind, votes: decision.votes };
}

function session(shares: [readonly number[], readonly number[]], weight: number, rng: Rng): [Member, Member] {
  const start = (s: readonly number[]): Member => ({ shares: s, picks: [0, 0, 0], active: null, groups: new Map(), done: null });
  const members: [Member, Member] = [start(shares[0]), start(shares[1])];
  while (!members[0].done || !members[1].done) {
    members.forEach((m, i) => {
      if (!m.done) step(m, asTeamFile(`m${1 - i}`, members[1 - i]), weight, rng);
    });
  }
  return members;
}

const SCENARIOS: { name: string; shares: [number[], number[]] }[] = [
  {
    name: '0.67 / 0.13 / 0.20',
    shares: [
      [0.67, 0.13, 0.2],
      [0.67, 0.13, 0.2],
    ],
  },
  {
    name: '0.50 / 0.30 / 0.20',
    shares: [
      [0.5, 0.3, 0.2],
      [0.5, 0.3, 0.2],
    ],
  },
  {
    name: 'A/A',
    shares: [
      [1 / 3, 1 / 3, 1 / 3],
      [1 / 3, 1 / 3, 1 / 3],
    ],
  },
  {
    name: 'tastes differ (m2: 0.20 / 0.67 / 0.13)',
    shares: [
      [0.67, 0.13, 0.2],
      [0.2, 0.67, 0.13],
    ],
  },
];

const sessions = Number(flag('sessions') ?? 400);
const weights = (flag('weights') ?? '0,0.5,1').split(',').map(Number);
const pct = (n: number) => `${((100 * n) / sessions).toFixed(1)}`;
const rows: string[][] = [];
for (const scenario of SCENARIOS) {
  for (const weight of weights) {
    const rng = createRng(`team-${scenario.name}-${weight}`);
    const results = Array.from({ length: sessions }, () => session(scenario.shares, weight, rng));
    const cells = [0, 1].map((k) => {
      const best = scenario.shares[k].indexOf(Math.max(...scenario.shares[k]));
      const aa = new Set(scenario.shares[k]).size === 1;
      const done = results.map((r) => r[k].done!);
      const right = done.filter((d) => !aa && d.arm === best).length;
      // A/A: a "winner" (an early, confident decision) is false; a probable winner at the end is the guard's to stop.
      const wrong = done.filter((d) => (aa ? d.kind === 'winner' : d.arm !== null && d.arm !== best)).length;
      const votes = median(done.map((d) => d.votes));
      return aa ? `${pct(wrong)} false, ${votes}` : `${pct(right)}, ${pct(wrong)}, ${votes}`;
    });
    rows.push([scenario.name, weight === 0 ? '0 (alone)' : String(weight), ...cells]);
  }
}
console.log(
  `${sessions} sessions per row, seeded; per member: best chosen %, wrong winner %, median own votes` +
    ' (A/A: false "winner" decisions %, median)',
);
printTable(['scenario', 'peer_vote_weight', 'member 1', 'member 2'], rows);
