import { describe, expect, it } from 'vitest';
import { API_METHODS } from '../../contract/api';
import { validateArgs } from './validate';

const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a rejection');
};

describe('validateArgs', () => {
  it('accepts well-formed calls and normalises them', () => {
    expect(validateArgs('getState', [])).toEqual([]);
    expect(validateArgs('getRound', [])).toEqual([]);
    expect(validateArgs('getRound', [null])).toEqual([]);
    expect(validateArgs('getRound', ['task-1'])).toEqual(['task-1']);
    expect(validateArgs('vote', ['task-1', '2'])).toEqual(['task-1', '2']);
    expect(validateArgs('vote', ['task-1', 'skip'])).toEqual(['task-1', 'skip']);
    expect(validateArgs('setPreference', ['accuracyThreshold', 0.7])).toEqual(['accuracyThreshold', 0.7]);
    expect(validateArgs('setPreference', ['modelPath', '  '])).toEqual(['modelPath', null]);
    expect(validateArgs('setPreference', ['modelPath', null])).toEqual(['modelPath', null]);
    expect(validateArgs('setPreference', ['notifications', false])).toEqual(['notifications', false]);
    expect(validateArgs('rollback', ['file-naming', 2])).toEqual(['file-naming', 2]);
    expect(validateArgs('promote', ['file-naming', 'c'])).toEqual(['file-naming', 'C']);
    expect(validateArgs('openWindow', ['choice'])).toEqual(['choice']);
    expect(validateArgs('setEvolutionPaused', [true])).toEqual([true]);
    expect(validateArgs('acceptProposal', ['fp_1'])).toEqual(['fp_1']);
    expect(validateArgs('acceptProposal', ['fp_1', null])).toEqual(['fp_1']);
    expect(validateArgs('acceptProposal', ['fp_1', ' 2 '])).toEqual(['fp_1', '2']);
    expect(validateArgs('editProposal', ['fp_1', 'beach sunset.png'])).toEqual(['fp_1', 'beach sunset.png']);
    expect(validateArgs('editProposal', ['fp_1', 'x.png', '3'])).toEqual(['fp_1', 'x.png', '3']);
    expect(validateArgs('skipProposal', ['fp_1'])).toEqual(['fp_1']);
    expect(validateArgs('dismissProposal', ['fp_1'])).toEqual(['fp_1']);
    expect(validateArgs('undoRenames', [1])).toEqual([1]);
    expect(validateArgs('undoVote', ['task-1'])).toEqual(['task-1']);
    expect(validateArgs('setWatchFolder', [' ~/Desktop/Screenshots '])).toEqual(['~/Desktop/Screenshots']);
    expect(validateArgs('startEvolution', ['file-naming'])).toEqual(['file-naming']);
    expect(validateArgs('keepCurrent', ['file-naming'])).toEqual(['file-naming']);
    expect(validateArgs('chooseFile', ['model'])).toEqual(['model']);
    expect(validateArgs('revealInFinder', ['/Users/me/Desktop/a.png'])).toEqual(['/Users/me/Desktop/a.png']);
    expect(validateArgs('fitWindow', [312.4])).toEqual([312]);
    expect(validateArgs('getThumbnail', ['fp_1'])).toEqual(['fp_1']);
    expect(validateArgs('setPreference', ['showConfidenceBeforeVote', true])).toEqual(['showConfidenceBeforeVote', true]);
  });

  it('accepts the team calls and refuses bad ones with one line', () => {
    expect(validateArgs('joinTeam', [' /Volumes/Team/tinyarms ', null])).toEqual(['/Volumes/Team/tinyarms']);
    expect(validateArgs('joinTeam', ['/Volumes/Team/tinyarms', 'alice'])).toEqual(['/Volumes/Team/tinyarms', 'alice']);
    expect(validateArgs('leaveTeam', [])).toEqual([]);
    expect(validateArgs('testTeammateVersion', ['alice', 'file-naming'])).toEqual(['alice', 'file-naming']);
    expect(validateArgs('joinTeammateTest', ['alice', 'file-naming'])).toEqual(['alice', 'file-naming']);
    expect(validateArgs('dismissTeamOffer', ['alice|file-naming|test|ses_1'])).toEqual(['alice|file-naming|test|ses_1']);
    expect(validateArgs('setPreference', ['teamVoteWeight', 0.5])).toEqual(['teamVoteWeight', 0.5]);
    expect(validateArgs('setPreference', ['shareTaskInputs', true])).toEqual(['shareTaskInputs', true]);
    expect(validateArgs('setPreference', ['goldShare', 0.2])).toEqual(['goldShare', 0.2]);
    const cases: [string, unknown, RegExp][] = [
      ['joinTeam', [''], /^joinTeam: folder must be a file path/],
      ['joinTeam', ['/x', 7], /^joinTeam: member must be a non-empty string/],
      ['leaveTeam', ['now'], /^leaveTeam: expects 0 arguments \(got 1\)$/],
      ['testTeammateVersion', ['alice', '../x'], /^testTeammateVersion: skill must be a skill name/],
      ['joinTeammateTest', [null, 'file-naming'], /^joinTeammateTest: member must be a non-empty string/],
      ['dismissTeamOffer', [], /^dismissTeamOffer: expects 1 argument \(got 0\)$/],
      ['setPreference', ['teamVoteWeight', 'half'], /^setPreference: teamVoteWeight must be a number \(got "half"\)$/],
      ['setPreference', ['shareTaskInputs', 'yes'], /^setPreference: shareTaskInputs must be true or false \(got "yes"\)$/],
    ];
    for (const [method, args, expected] of cases) {
      const text = message(() => validateArgs(method as never, args));
      expect(text, method).toMatch(expected);
      expect(text).not.toContain('\n');
    }
  });

  it('refuses bad proposal calls with one line', () => {
    const cases: [string, unknown, RegExp][] = [
      ['acceptProposal', ['../etc'], /^acceptProposal: id must be a proposal id/],
      ['acceptProposal', ['fp_1', 'A'], /^acceptProposal: option must be an option label \(1, 2, 3\)/],
      ['editProposal', ['fp_1'], /^editProposal: expects 2 to 3 arguments \(got 1\)$/],
      ['editProposal', ['fp_1', '   '], /^editProposal: name must be a non-empty string/],
      ['editProposal', ['fp_1', 'a\0b'], /^editProposal: name must be a file name/],
      ['skipProposal', [7], /^skipProposal: id must be a proposal id/],
      ['undoRenames', [0], /^undoRenames: count must be a whole number >= 1/],
      ['undoRenames', [51], /^undoRenames: count must be at most 50/],
    ];
    for (const [method, args, expected] of cases) {
      expect(message(() => validateArgs(method as never, args))).toMatch(expected);
    }
  });

  it('refuses bad payloads with one line naming the method and argument', () => {
    const cases: [string, unknown, RegExp][] = [
      ['vote', 'task-1', /^vote: arguments must be a list \(got "task-1"\)$/],
      ['vote', ['task-1'], /^vote: expects 2 arguments \(got 1\)$/],
      ['vote', ['task-1', '1', 'extra'], /^vote: expects 2 arguments \(got 3\)$/],
      ['vote', [42, '1'], /^vote: taskId must be a non-empty string/],
      ['vote', ['task-1', 'DROP TABLE'], /^vote: choice must be an option label/],
      ['setPreference', ['colour', 'red'], /^setPreference: key must be one of accuracyThreshold, /],
      ['setPreference', ['accuracyThreshold', '0.7'], /^setPreference: accuracyThreshold must be a number \(got "0.7"\)$/],
      ['setPreference', ['trayTitle', 1], /^setPreference: trayTitle must be true or false \(got 1\)$/],
      ['setPreference', ['modelPath', { path: '/x' }], /^setPreference: modelPath must be a file path or null \(got an object\)$/],
      ['getHistory', ['../etc/passwd'], /^getHistory: skill must be a skill name like "file-naming"/],
      ['rollback', ['file-naming', 1.5], /^rollback: version must be a whole number >= 1 \(got 1.5\)$/],
      ['promote', ['file-naming', 'Z'], /^promote: letter must be an arm letter A to J \(got "Z"\)$/],
      ['openWindow', ['devtools'], /^openWindow: route must be one of popover, choice, preferences \(got "devtools"\)$/],
      ['setEvolutionPaused', ['yes'], /^setEvolutionPaused: paused must be true or false/],
      ['getState', [1], /^getState: expects 0 arguments \(got 1\)$/],
      ['eval', [], /^unknown method "eval"$/],
      ['chooseFile', ['anything'], /^chooseFile: kind must be one of model, folder, team-folder/],
      ['fitWindow', [-1], /^fitWindow: height must be a number of points from 1 to 4000/],
      ['revealInFinder', ['a\0b'], /^revealInFinder: path must be a file path/],
      ['setWatchFolder', [''], /^setWatchFolder: folder must be a file path/],
      ['startEvolution', ['../x'], /^startEvolution: skill must be a skill name/],
    ];
    for (const [method, args, expected] of cases) {
      const text = message(() => validateArgs(method as never, args));
      expect(text, method).toMatch(expected);
      expect(text).not.toContain('\n');
    }
  });

  it('has a validator for every method of the contract', () => {
    for (const method of API_METHODS) expect(() => validateArgs(method, [])).not.toThrow(/unknown method/);
  });
});
