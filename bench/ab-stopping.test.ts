import { describe, expect, it } from 'vitest';
import { defaultAbSettings } from '../main/engine/ab/joint-rule';
import { createRng } from '../main/engine/util/random';
import { jointRule } from './ab-rules';
import { allScenarios } from './ab-scenarios';
import { runSession } from './ab-sim';
import { stopAt, trajectories, type Trajectory } from './ab-stopping';

describe('stopAt', () => {
  it('stops at the first look from min_votes whose P(best) reaches the threshold, else at the end without a winner', () => {
    const top: number[] = [];
    const leader: number[] = [];
    [0.99, 0.9, 0.5, 0.7, 0.98, 0.986, 0.996, 0.999].forEach((p, i) => {
      top[i + 3] = p;
      leader[i + 3] = i % 3;
    });
    const t: Trajectory = { top, leader, votes: 10, offline: [0, 3, 1] };
    // Votes 3 and 4 come before min_votes (5): their 0.99 and 0.9 do not count.
    expect(stopAt(t, 0.985, defaultAbSettings)).toEqual({ votes: 8, winner: 2 });
    expect(stopAt(t, 0.995, defaultAbSettings)).toEqual({ votes: 9, winner: 0 });
    expect(stopAt(t, 0.9999, defaultAbSettings)).toEqual({ votes: 10, winner: null });
    expect(stopAt(t, 0.985, { ...defaultAbSettings, lookEvery: 2 })).toEqual({ votes: 9, winner: 0 });
    // The prior favours arm 1 (3 of 4 pseudo-votes, 0.5 ahead): it wins at 0.9 where it leads (0.98 at vote 7).
    expect(stopAt(t, 0.9999, defaultAbSettings, { confidence: 0.9, margin: 0.5 })).toEqual({ votes: 7, winner: 1 });
    expect(stopAt(t, 0.9999, defaultAbSettings, { confidence: 0.9, margin: 0.6 })).toEqual({ votes: 10, winner: null });
  });

  it("reads off the session the rule itself runs: the same stop and winner for a session's first stretch", () => {
    const settings = { ...defaultAbSettings, dropBelow: 0.05 };
    for (const sc of allScenarios().filter((s) => /^0\.67.*prior (right|wrong)$/.test(s.name))) {
      const [path] = trajectories(sc, 1, 'stopping test', settings);
      const real = runSession(sc, jointRule(settings), createRng(`stopping test|${sc.name}|new (joint)`));
      const stop = stopAt(path, settings.decisionConfidence, settings);
      expect([real.outcome, real.votes, real.arm]).toEqual(['winner', stop.votes, stop.winner]);
    }
  });
});
