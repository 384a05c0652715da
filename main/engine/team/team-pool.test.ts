import { describe, expect, it } from 'vitest';
import type { TeamFile } from './team-file';
import { poolPeerPicks } from './team-pool';

const [A, B, C, D] = ['a000000000000000', 'b000000000000000', 'c000000000000000', 'd000000000000000'];

const peer = (member: string, skill: string, groups: { shown: string[]; picks: Record<string, number>; rounds: number }[]): TeamFile => ({
  format: 'tinyarms-team',
  version: 1,
  member,
  written_at: '2026-11-30T00:00:00.000Z',
  promoted: [],
  sessions: [{ id: `ses_${member}`, skill, status: 'active', arms: [A, B, C, D], prompts: [A, B, C, D], groups }],
});

describe('poolPeerPicks', () => {
  const ours = { skill: 'file-naming', armHashes: [A, B, C], active: null };

  it('adds weighted picks of rounds that showed every arm still in our test, by hash, whatever the order', () => {
    const bob = peer('bob', 'file-naming', [
      { shown: [C, A, B], picks: { [A]: 4, [B]: 1, [C]: 2 }, rounds: 8 },
      { shown: [A, C], picks: { [A]: 3, [C]: 1 }, rounds: 4 }, // did not show B: left out while B is in our test
    ]);
    expect(poolPeerPicks([bob], ours, 0.5)).toEqual({ weight: 0.5, peerPicks: [2, 0.5, 1], members: [{ member: 'bob', picks: 7 }] });
    // once B has left our test, both groups showed all of A = {A, C}; B's picks drop out
    expect(poolPeerPicks([bob], { ...ours, active: [0, 2] }, 1)).toEqual({
      weight: 1,
      peerPicks: [7, 0, 3],
      members: [{ member: 'bob', picks: 10 }],
    });
  });

  it('ignores a round won by an arm we do not test, other skills, and everything at weight 0', () => {
    const bob = peer('bob', 'file-naming', [{ shown: [A, B, C, D], picks: { [D]: 5, [A]: 1 }, rounds: 6 }]);
    const carol = peer('carol', 'audio-actions', [{ shown: [A, B, C], picks: { [A]: 9 }, rounds: 9 }]);
    expect(poolPeerPicks([bob, carol], ours, 1)).toEqual({ weight: 1, peerPicks: [1, 0, 0], members: [{ member: 'bob', picks: 1 }] });
    expect(poolPeerPicks([bob], ours, 0).members).toEqual([]);
  });
});
