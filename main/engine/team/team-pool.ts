import type { PeerVotes, PooledVotes } from '../ab/session-types';
import type { TeamFile } from './team-file';

/*
 * Teammates' picks for one of our sessions (docs/ab-statistics.md, "Teams"). The joint posterior of the arms still
 * in our test, A, is Dirichlet(α⁰ + picks) because every round showed every arm of A. A teammate's round enters
 * the same way, exactly, when it showed every arm of A (by prompt hash): its pick of an arm of A is one more pick
 * of it, and its pick of another arm (one we dropped, or do not have) says nothing about A's shares. Rounds that
 * did not show all of A are left out. Each entering pick counts `weight` (team.peer_vote_weight).
 */

export function poolPeerPicks(peers: readonly TeamFile[], session: PeerVotes, weight: number): PooledVotes {
  const active = session.active ?? session.armHashes.map((_, i) => i);
  const inTest = active.map((i) => session.armHashes[i]);
  const peerPicks = session.armHashes.map(() => 0);
  const members: PooledVotes['members'] = [];
  if (weight <= 0 || inTest.length < 2) return { weight, peerPicks, members };
  for (const peer of peers) {
    let picks = 0;
    for (const s of peer.sessions) {
      if (s.skill !== session.skill) continue;
      for (const group of s.groups) {
        if (!inTest.every((h) => group.shown.includes(h))) continue;
        for (const i of active) {
          const n = group.picks[session.armHashes[i]] ?? 0;
          peerPicks[i] += weight * n;
          picks += n;
        }
      }
    }
    if (picks > 0) members.push({ member: peer.member, picks });
  }
  return { weight, peerPicks, members };
}
