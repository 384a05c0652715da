import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireFixtureModel } from '../../engine/llm/test-fixture';
import { startTinyarms, tinyarms } from '../../test-support/cli-process';
import { shapeProblems, type Shape } from '../../test-support/json-shape';

// One JSON schema for every command: a real data folder walked through the whole loop in real processes, each
// command's --json output checked against its shape (and camelCase names, booleans, ISO times everywhere).

const TASK: Shape = {
  id: 'string',
  skill: 'string',
  promptVersion: 'number?',
  variantId: 'string?',
  sessionId: 'string?',
  input: 'string',
  output: 'string',
  finalOutput: 'string?',
  outcome: 'string?',
  score: 'number?',
  source: 'string',
  createdAt: 'iso',
  feedbackAt: 'iso?',
};
const SESSION: Shape = {
  id: 'string',
  skill: 'string',
  status: 'string',
  triggeredAt: 'iso',
  triggerReason: 'string?',
  completedAt: 'iso?',
  baseVersion: 'number',
  baseAccuracy: 'number?',
  decision: 'string?',
  decisionReason: 'string?',
  winnerVariantId: 'string?',
  outcome: 'string?',
  needsReview: 'boolean',
};
const ARM: Shape = {
  letter: 'string',
  variantId: 'string',
  source: 'string',
  reasoning: 'string?',
  prompt: 'string',
  votes: 'number',
  pBest: 'number',
  expectedLoss: 'number',
  served: 'number',
  accepted: 'number',
  accuracy: 'number?',
  fitness: 'number?',
};
const RESULTS: Shape = {
  session: SESSION,
  arms: [ARM],
  votes: 'number',
  none: 'number',
  skips: 'number',
  maxVotes: 'number',
  elapsedDays: 'number',
  decision: { kind: 'string', winner: 'string?', leader: 'string?', reason: 'string', votes: 'number', nextLookAtVotes: 'number?' },
};
const ROUND: Shape = {
  id: 'string',
  sessionId: 'string',
  skill: 'string',
  taskId: 'string',
  input: 'string',
  status: 'string',
  options: [{ label: 'string', output: 'string', pBest: 'number' }],
  picked: 'string?',
  createdAt: 'iso',
  answeredAt: 'iso?',
  votes: 'number',
  maxVotes: 'number',
};
const STATS: Shape = {
  skill: 'string',
  description: 'string',
  evolvable: 'boolean',
  version: 'number',
  activeSince: 'iso',
  accuracy: 'number?',
  samples: 'number',
  successes: 'number',
  windowStart: 'iso',
  windowEnd: 'iso',
  previousAccuracy: 'number?',
  recentFailures: 'number',
  status: 'string',
  session: 'any',
  lastCheck: 'any',
};
const CHECK: Shape = { skill: 'string', verdict: 'string', reason: 'string', accuracy: 'number?', samples: 'number', checkedAt: 'iso' };
const CHANGE: Shape = {
  skill: 'string',
  action: 'string',
  fromVersion: 'number',
  toVersion: 'number',
  templatePath: 'string',
  previousAccuracy: 'number?',
};
const PROPOSAL: Shape = {
  id: 'string',
  folder: 'string',
  name: 'string',
  path: 'string',
  input: 'string',
  kind: 'string',
  output: 'string?',
  proposed: 'string?',
  options: 'any',
  variant: 'string?',
  promptVersion: 'number?',
  taskId: 'string',
  status: 'string',
  outcome: 'string?',
  finalName: 'string?',
  note: 'string?',
  createdAt: 'iso',
  decidedAt: 'iso?',
};
const RENAME: Shape = {
  id: 'string',
  folder: 'string',
  from: 'string',
  to: 'string',
  taskId: 'string?',
  at: 'iso',
  undoneAt: 'iso?',
  undone: 'boolean',
};
const ERROR: Shape = { error: { code: 'string', message: 'string' } };

let dataDir: string;
let inbox: string;
beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-json-'));
  inbox = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-json-inbox-'));
});
afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(inbox, { recursive: true, force: true });
});

/** Runs `tinyarms --json args…`, checks the exit code and the output's shape, and returns the parsed value. */
function json(args: string[], shape: Shape, exitCode = 0): any {
  const result = tinyarms(['--data-dir', dataDir, '--json', ...args]);
  expect(result.code, `${args.join(' ')}\n${result.err}`).toBe(exitCode);
  const value = JSON.parse(result.out);
  expect(shapeProblems(value, shape), args.join(' ')).toEqual([]);
  return value;
}

describe('--json output of every command', () => {
  it('follows one schema through the whole loop', async () => {
    const use = json(['model', 'use', requireFixtureModel()], {
      path: 'string',
      configKey: 'string',
      catalogId: 'string?',
      name: 'string',
      installed: 'boolean',
      verified: 'boolean?',
      sizeBytes: 'number?',
      next: 'string?',
    });
    expect(use).toMatchObject({ catalogId: 'stories260K', verified: true, installed: true });
    json(['model', 'list'], {
      models: [
        {
          id: 'string',
          name: 'string',
          fileName: 'string',
          path: 'string',
          sizeBytes: 'number?',
          sha256: 'string?',
          installed: 'boolean',
          inUse: 'boolean',
          isDefault: 'boolean',
          testOnly: 'boolean',
          downloadUrl: 'string?',
        },
      ],
      inUse: { path: 'string', source: 'string', exists: 'boolean', catalogId: 'string?' },
    });
    json(['model', 'info'], {
      id: 'string',
      path: 'string',
      source: 'string',
      catalogId: 'string?',
      sizeBytes: 'number',
      sha256: 'string',
      verified: 'boolean?',
      chatWrapper: 'string',
      architecture: 'string',
      contextSize: 'number',
      loadMs: 'number',
      gpu: 'any',
    });
    json(['model', 'pull', 'stories260K'], ERROR, 1);

    let last: any;
    for (let i = 0; i < 6; i++) {
      last = json(
        [
          'task',
          'record',
          'file-naming',
          '--input',
          `IMG_${i}.png`,
          '--output',
          `image-${i}.png`,
          '--outcome',
          'edited',
          '--final',
          `beach-${i}.png`,
        ],
        TASK,
      );
    }
    expect(last).toMatchObject({ outcome: 'edited', finalOutput: `beach-5.png`, promptVersion: 1 });
    const pending = json(['task', 'record', 'file-naming', '--input', 'IMG_9.png', '--output', 'sunset.png'], TASK);
    json(['task', 'feedback', pending.id, 'accepted'], TASK);
    json(
      ['skills'],
      [
        {
          skill: 'string',
          description: 'string',
          evolvable: 'boolean',
          version: 'number',
          state: 'string',
          accuracy: 'number?',
          samples: 'number',
          needsReview: 'boolean',
        },
      ],
    );
    json(['prompt', 'stats', 'file-naming'], STATS);
    json(['prompt', 'stats'], [STATS]);
    const monitor = json(['monitor', 'run', '--no-evolve'], {
      checks: [CHECK],
      concluded: 'any',
      started: [SESSION],
      pending: [{ skill: 'string', reason: 'string' }],
      evolve: 'boolean',
      evolveReason: 'string',
    });
    expect(monitor.evolve).toBe(false);
    json(['monitor', 'history', '--limit', '3'], [CHECK]);

    const variants = ['A', 'B', 'C'].map((letter) => {
      const file = path.join(inbox, `${letter}.md`);
      fs.writeFileSync(file, `Variant ${letter}: name the file.\n\nFile: {{input}}\n`);
      return file;
    });
    json(['prompt', 'create', 'file-naming', '--variant-a', variants[0], '--variant-b', variants[1], '--variant-c', variants[2]], RESULTS);
    json(['prompt', 'evolve', 'file-naming', '--variant-a', variants[0], '--variant-b', variants[1]], ERROR, 1);
    const round = json(
      [
        'vote',
        'open',
        'file-naming',
        '--input',
        'IMG_20.png',
        '--task-id',
        'task_json1',
        '--output',
        'A=a.png',
        '--output',
        'B=b.png',
        '--output',
        'C=c.png',
      ],
      ROUND,
    );
    json(['vote', 'list'], [ROUND]);
    json(['vote', 'show', 'task_json1'], { ...(ROUND as object), sessionStatus: 'string', open: 'boolean' });
    const vote = json(['vote', 'cast', 'task_json1', round.options[0].label], {
      round: ROUND,
      duplicate: 'boolean',
      results: RESULTS,
      conclusion: 'any',
      conclusionError: 'string?',
    });
    expect(vote.duplicate).toBe(false);
    json(['prompt', 'results', 'file-naming'], RESULTS);
    const served = json(['task', 'run', 'file-naming', '--input', 'IMG_30.png', '--no-vote'], {
      kind: 'string',
      taskId: 'string',
      skill: 'string',
      output: 'string',
      variant: 'string?',
      promptVersion: 'number?',
      task: TASK,
    });
    expect(served.kind).toBe('task');
    json(['prompt', 'promote', 'file-naming', 'C'], { change: CHANGE, session: SESSION });
    json(['prompt', 'history', 'file-naming'], {
      skill: 'string',
      versions: [
        {
          version: 'number',
          templatePath: 'string',
          activeFrom: 'iso',
          activeTo: 'iso?',
          accuracyStart: 'number?',
          accuracyEnd: 'number?',
          source: 'string?',
          notes: 'string?',
          sessionId: 'string?',
          current: 'boolean',
        },
      ],
    });
    json(['prompt', 'rollback', 'file-naming'], CHANGE);

    json(['files', 'list'], [PROPOSAL]);
    const photo = path.join(inbox, 'Screenshot 2026-03-02 at 09.30.12.png');
    fs.writeFileSync(photo, Buffer.from('89504e470d0a1a0a', 'hex'));
    const [proposal] = json(['files', 'propose', photo], [PROPOSAL]);
    const decision = json(['files', 'edit', proposal.id, 'golden-gate'], {
      proposal: PROPOSAL,
      rename: RENAME,
      task: TASK,
      notes: ['string'],
    });
    expect(decision.rename.to).toBe('golden-gate.png');
    json(['files', 'history'], [PROPOSAL]);
    json(['files', 'log'], [RENAME]);
    const undone = json(['undo'], [{ rename: RENAME, undone: 'boolean', note: 'string' }]);
    expect(undone[0]).toMatchObject({ undone: true, rename: { undone: true } });
    expect(json(['undo'], ['any'])).toEqual([]);
  }, 180_000);

  it('demo and serve print their summaries in the same style', async () => {
    const demoDir = path.join(inbox, 'demo');
    const demo = tinyarms(['--data-dir', demoDir, '--json', 'demo']);
    expect(demo.code, demo.err).toBe(0);
    expect(
      shapeProblems(JSON.parse(demo.out), {
        dataDir: 'string',
        sessionId: 'string',
        decision: 'string',
        promotedVersion: 'number?',
        rolledBackTo: 'number?',
        votes: 'number',
        evolution: 'any',
      }),
    ).toEqual([]);
    const serve = startTinyarms(['--data-dir', dataDir, '--json', 'serve']);
    try {
      await serve.waitFor(/"dataDir"/, 'out');
      await serve.waitFor(/}\s*$/, 'out');
      expect(
        shapeProblems(JSON.parse(serve.out()), { url: 'string', origin: 'string', port: 'number', token: 'string', dataDir: 'string' }),
      ).toEqual([]);
    } finally {
      serve.child.kill('SIGTERM');
      expect((await serve.exited).code).toBe(0);
    }
  }, 60_000);
});
