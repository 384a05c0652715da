import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine';
import type { Timers } from '../engine/scheduler/scheduler';
import { isLoadSamplerRunning } from '../engine/util/load-sampler';
import { recordFeedback, tempEngine, VARIANTS, type TempEngine } from '../test-support/temp-engine';
import type { AppStateView } from '../../contract/api';
import { APP_STATE_FILE_NAME, AppService } from './app-service';
import type { EvolutionHost } from './evolution-host';
import { posteriorSummary } from '../engine/ab/dirichlet';
import { renderArms } from '../shells/cli/commands/prompt';

let t: TempEngine;
let app: AppService;
let pushes: AppStateView[];
const logs: string[] = [];

function service(options: Partial<ConstructorParameters<typeof AppService>[0]> = {}): AppService {
  const s = new AppService({ engine: t.engine, watchIntervalMs: 0, log: (l) => logs.push(l), ...options });
  s.onState((state) => pushes.push(state));
  return s;
}

function startSession(): string {
  return t.engine.sessions.create({ skill: 'file-naming', variants: VARIANTS.map((prompt) => ({ prompt })), reason: 'manual' }).id;
}

function openRound(sessionId: string, taskId: string): void {
  t.engine.sessions.openRound(sessionId, { taskId, input: `${taskId}.png`, outputs: { A: 'alpha.png', B: 'beta.png', C: 'gamma.png' } });
}

/** Timers that never fire on their own: the test decides. */
function manualTimers(): Timers & { pending: (() => void)[] } {
  const pending: (() => void)[] = [];
  return { pending, setTimeout: (cb) => pending.push(cb), clearTimeout: () => {} };
}

beforeEach(() => {
  t = tempEngine();
  pushes = [];
  logs.length = 0;
  app = service();
});

afterEach(async () => {
  await app.stop();
  t.cleanup();
});

describe('AppService state', () => {
  it('describes every skill, the preferences and the data folder, with a growing revision', async () => {
    recordFeedback(t, 10, 0.7);
    const state = await app.getState();
    expect(state.dataDir).toBe(t.dataDir);
    expect(state.skills.map((s) => s.skill)).toContain('file-naming');
    const naming = state.skills.find((s) => s.skill === 'file-naming')!;
    expect(naming).toMatchObject({ accuracy: 0.7, samples: 10, version: 1, evolution: null, review: null });
    expect(naming.state).toMatchObject({ kind: 'collecting', label: 'Collecting feedback (10 of 20)' });
    expect(state.shell).toEqual({ kind: 'browser' });
    expect(state.configProblems).toBeNull();
    expect(state.preferences).toMatchObject({
      accuracyThreshold: 0.8,
      trayTitle: true,
      notifications: true,
      launchAtLogin: false,
      modelPath: null,
    });
    expect(state.model).toMatchObject({ configuredPath: null, resolvedPath: null, loaded: false, download: null });
    expect(state.revision).toBe(1);
    // Nothing changed: same revision, no second push.
    expect((await app.getState()).revision).toBe(1);
    expect(pushes).toHaveLength(1);
  });

  it('lists waiting votes oldest first, with no confidence before the vote, and getRound finds them', async () => {
    const id = startSession();
    openRound(id, 'task-1');
    t.clock.advance(60_000);
    openRound(id, 'task-2');
    const state = await app.getState();
    expect(state.pendingVotes.map((r) => r.taskId)).toEqual(['task-1', 'task-2']);
    expect(state.pendingVotes[0]).toMatchObject({ skill: 'file-naming', status: 'open', votes: 0, maxVotes: 50 });
    expect(state.pendingVotes[0].progress).toMatch(/^No votes yet; a decision usually within ~\d+ more\.$/);
    expect(state.pendingVotes[0].options.map((o) => o.pBest)).toEqual([null, null, null]);
    expect(state.pendingVotes[0].canUndo).toBe(false);
    expect((await app.getRound())?.taskId).toBe('task-1');
    expect((await app.getRound('task-2'))?.input).toBe('task-2.png');
    await expect(app.getRound('nope')).rejects.toThrow("no vote round for task 'nope'");
    const skill = state.skills.find((s) => s.skill === 'file-naming')!;
    expect(skill.state.label).toMatch(/^Testing \(no votes yet; a decision usually within ~\d+ more\)$/);
    expect(JSON.stringify(state)).not.toMatch(/"leader"|ses_/);
  });

  it('opens rounds without an arm that has lost, and reveals the P(best) the decision rule used', async () => {
    const id = startSession();
    for (let i = 0; i < 4; i += 1) {
      for (const [letter, output] of [
        ['A', 'alpha.png'],
        ['C', 'gamma.png'],
      ]) {
        openRound(id, `${letter}${i}`);
        t.engine.vote(`${letter}${i}`, t.engine.sessions.round(`${letter}${i}`).options.find((o) => o.output === output)!.label);
      }
    }
    openRound(id, 'next');
    const state = await app.getState();
    const results = t.engine.sessions.results(id);
    expect(results.arms[1]).toMatchObject({ letter: 'B', pBest: 0, expectedLoss: null });
    expect(state.pendingVotes[0].options.map((o) => o.output).sort()).toEqual(['alpha.png', 'gamma.png']);
    const answered = await app.getRound('C3');
    const letterOf: Record<string, string> = { 'alpha.png': 'A', 'beta.png': 'B', 'gamma.png': 'C' };
    const pBestOf = (output: string) => results.arms.find((a) => a.letter === letterOf[output])!.pBest;
    for (const option of answered!.options) expect(option.pBest).toBeCloseTo(pBestOf(option.output), 12);
  });

  it('the reveal after a vote and `tinyarms prompt results` show the P(best) the rule used', async () => {
    const id = startSession();
    const picks: [string, string][] = [
      ['A', 'alpha.png'],
      ['A', 'alpha.png'],
      ['A', 'alpha.png'],
      ['B', 'beta.png'],
      ['C', 'gamma.png'],
      ['C', 'gamma.png'],
    ];
    picks.forEach(([letter, output], i) => {
      openRound(id, `${letter}${i}`);
      t.engine.vote(`${letter}${i}`, t.engine.sessions.round(`${letter}${i}`).options.find((o) => o.output === output)!.label);
    });
    const results = t.engine.sessions.results(id);
    expect(results.decision.kind).toBe('continue');
    // Picks only: the posterior is Dirichlet(4, 2, 3); dirichlet.ts computes it by its own adaptive quadrature.
    const exact = posteriorSummary([3, 1, 2]).pBest;
    results.arms.forEach((a, i) => {
      expect(a.pBest).toBeCloseTo(exact[i], 7);
      expect(a.pBest).toBe(results.decision.pBest[i]);
    });
    const answered = (await app.getRound('C5'))!;
    const letterOf: Record<string, number> = { 'alpha.png': 0, 'beta.png': 1, 'gamma.png': 2 };
    for (const option of answered.options) expect(option.pBest).toBe(results.arms[letterOf[option.output]].pBest);
    const lines = renderArms(results);
    results.arms.forEach((a, i) => expect(lines[i]).toContain(`P(best) ${String(Math.round(100 * a.pBest)).padStart(3)}%`));
  });
});

describe('AppService actions push the state', () => {
  it('a vote pushes the new state with the round answered', async () => {
    const id = startSession();
    openRound(id, 'task-1');
    openRound(id, 'task-2');
    const before = await app.getState();
    const result = await app.vote('task-1', '2');
    expect(result).toMatchObject({ duplicate: false, conclusion: null, round: { status: 'picked', picked: '2', votes: 1, canUndo: true } });
    // The vote reveals every option's confidence; the round still open shows none.
    expect(result.round.options.every((o) => typeof o.pBest === 'number')).toBe(true);
    const last = pushes.at(-1)!;
    expect(last.revision).toBeGreaterThan(before.revision);
    expect(last.pendingVotes.map((r) => r.taskId)).toEqual(['task-2']);
    expect(last.pendingVotes[0].progress).toMatch(/^1 vote so far; a decision usually within ~\d+ more\.$/);
    expect(last.pendingVotes[0].options.every((o) => o.pBest === null)).toBe(true);
    const again = await app.vote('task-1', '2');
    expect(again.duplicate).toBe(true);
    await expect(app.vote('task-1', '3')).rejects.toThrow(/already answered/);
  });

  it('undoVote takes the vote back and the round waits again; refused once the test is decided', async () => {
    const id = startSession();
    openRound(id, 'task-1');
    await app.vote('task-1', '1');
    const undone = await app.undoVote('task-1');
    expect(undone).toMatchObject({ status: 'open', picked: null, votes: 0, canUndo: false });
    expect(pushes.at(-1)!.pendingVotes.map((r) => r.taskId)).toEqual(['task-1']);
    await app.vote('task-1', '3');
    t.engine.sessions.cancel(id);
    await expect(app.undoVote('task-1')).rejects.toThrow(/already been decided/);
  });

  it('shows confidence before the vote only when the person asked for it', async () => {
    const id = startSession();
    openRound(id, 'task-1');
    await app.setPreference('showConfidenceBeforeVote', true);
    expect((await app.getRound())!.options.every((o) => typeof o.pBest === 'number')).toBe(true);
    expect(fs.readFileSync(t.engine.ctx.config.file, 'utf8')).toMatch(/show_confidence_before_vote: true/);
  });

  it('says the conclusion in words, never an arm letter', async () => {
    const id = startSession();
    let result: Awaited<ReturnType<AppService['vote']>> | undefined;
    let votes = 0;
    while (!result?.conclusion) {
      expect(votes).toBeLessThan(50);
      openRound(id, `r${votes}`);
      const label = t.engine.sessions.round(`r${votes}`).options.find((o) => o.output === 'gamma.png')!.label;
      result = await app.vote(`r${votes++}`, label);
    }
    expect(result!.conclusion).toBe(
      'The test is decided: a new prompt won. Review it in the tinyArms menu to use it or keep the current one.',
    );
    const naming = pushes.at(-1)!.skills.find((s) => s.skill === 'file-naming')!;
    expect(naming.state.kind).toBe('review');
    expect(naming.review).toMatchObject({ letter: 'C', reason: 'decided', summary: `The new prompt won ${votes} votes of ${votes}.` });
    expect(naming.review!.newPrompt).toContain('Variant C prompt.');
    expect(naming.review!.samples[0]).toMatchObject({ current: null, proposed: 'gamma.png' });
    await app.keepCurrent('file-naming');
    const kept = pushes.at(-1)!.skills.find((s) => s.skill === 'file-naming')!;
    expect([kept.review, kept.state.kind]).toEqual([null, 'collecting']);
    await expect(app.keepCurrent('file-naming')).rejects.toThrow(/no winner waiting for review/);
  });

  it('promote and rollback push the state and answer the history', async () => {
    const id = startSession();
    openRound(id, 'task-1');
    await app.getState();
    const promoted = await app.promote('file-naming', 'C');
    expect(promoted.versions.map((v) => [v.version, v.current])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(promoted.versions[1].prompt).toContain('Variant C prompt.');
    let last = pushes.at(-1)!;
    expect(last.skills.find((s) => s.skill === 'file-naming')!.version).toBe(2);
    expect(last.pendingVotes).toEqual([]);

    const revision = last.revision;
    const rolled = await app.rollback('file-naming', 1);
    expect(rolled.versions.at(-1)).toMatchObject({ version: 1, current: true, source: 'rollback' });
    last = pushes.at(-1)!;
    expect(last.revision).toBeGreaterThan(revision);
    expect(last.skills.find((s) => s.skill === 'file-naming')!.version).toBe(1);
    await expect(app.rollback('file-naming', 9)).rejects.toThrow('file-naming has no version 9 (versions: 1, 2)');
  });

  it('setPreference writes config.yaml keeping comments, and refuses invalid values with one line', async () => {
    const file = t.engine.ctx.config.file;
    fs.writeFileSync(file, '# my settings\nprompt_evolution:\n  triggers:\n    accuracy_threshold: 0.8 # keep me\n');
    t.engine.ctx.config.load();
    await app.getState();
    const prefs = await app.setPreference('accuracyThreshold', 0.75);
    expect(prefs.accuracyThreshold).toBe(0.75);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('# my settings');
    expect(text).toMatch(/accuracy_threshold: 0\.75 # keep me/);
    expect(pushes.at(-1)!.preferences.accuracyThreshold).toBe(0.75);

    await app.setPreference('trayTitle', false);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/app:\n\s+tray_title: false/);

    const error = await app.setPreference('accuracyThreshold', 2).catch((e: Error & { code?: string }) => e);
    expect(error).toMatchObject({ message: 'Enter a value from 0% to 100%.', code: 'invalid_preference' });
    // Checked against the other thresholds, in words for the field.
    await expect(app.setPreference('rollbackThreshold', 0.9)).rejects.toThrow(
      'Must be below 75%, the accuracy below which a skill is evolved.',
    );
    await expect(app.setPreference('votesRequired', 2)).rejects.toThrow(
      'Must be at least 5, the votes a test waits for before its first look.',
    );
    await expect(app.setPreference('modelPath', '/nowhere/model.gguf')).rejects.toThrow('There is nothing at /nowhere/model.gguf.');
    expect(fs.readFileSync(file, 'utf8')).toMatch(/accuracy_threshold: 0\.75 # keep me/);
  });

  it('restores every preference to its default, leaving other settings alone', async () => {
    const file = t.engine.ctx.config.file;
    fs.writeFileSync(
      file,
      '# mine\nprompt_evolution:\n  triggers:\n    accuracy_threshold: 0.9\n    window_days: 3\napp:\n  notifications: false\n',
    );
    t.engine.ctx.config.load();
    const prefs = await app.restoreDefaults();
    expect(prefs).toMatchObject({ accuracyThreshold: 0.8, notifications: true });
    expect(t.engine.ctx.config.config.prompt_evolution.triggers.window_days).toBe(3);
  });

  it('puts the last good config.yaml back and says where the broken one went', async () => {
    const file = t.engine.ctx.config.file;
    fs.writeFileSync(file, 'app:\n  notifications: false\n');
    t.engine.ctx.config.load();
    fs.writeFileSync(file, 'app:\n  notifications: nope\n');
    app.pollExternalChanges();
    await app.getState();
    expect(pushes.at(-1)!.configProblems).toMatchObject({
      file,
      lines: [expect.stringMatching(/^Line 2: app\.notifications must be true or false/)],
    });
    await expect(app.setPreference('trayTitle', false)).rejects.toThrow(/config\.yaml has errors/);
    const note = await app.useLastGoodConfig();
    expect(note).toMatch(/^config\.yaml is back as it last worked\. The file with errors was kept as .*config\.yaml\.broken-/);
    expect(fs.readFileSync(file, 'utf8')).toBe('app:\n  notifications: false\n');
    expect(pushes.at(-1)!.configProblems).toBeNull();
  });

  it('watches the folder the person chooses, refusing one that is not there in words', async () => {
    await expect(app.setWatchFolder('/nowhere/at/all')).rejects.toThrow('There is nothing at /nowhere/at/all.');
    await app.setWatchFolder(t.dataDir);
    expect(t.engine.ctx.config.config.watch).toMatchObject({ enabled: true, folders: [t.dataDir] });
  });

  it('cancelEvolution cancels the running A/B session, and says so when nothing runs', async () => {
    const id = startSession();
    await app.cancelEvolution('file-naming');
    expect(t.engine.sessions.require(id).status).toBe('cancelled');
    await expect(app.cancelEvolution('file-naming')).rejects.toThrow('file-naming has no evolution or A/B test running here');
    await expect(app.cancelEvolution('no-such-skill')).rejects.toThrow(/unknown skill 'no-such-skill'/);
  });

  it('cancelEvolution asks the evolution host first', async () => {
    const cancelled: string[] = [];
    const host: EvolutionHost = {
      progress: (skill) =>
        skill === 'file-naming'
          ? {
              skill,
              phase: 'evolving',
              generation: 3,
              generations: 30,
              bestFitness: 0.8,
              meanFitness: 0.6,
              llmCalls: 40,
              maxLlmCalls: 5000,
              tokensPerSecond: 50,
              etaSeconds: 600,
              message: null,
              fraction: 0.12,
              building: null,
              resumeFrom: null,
              stop: null,
            }
          : null,
      onProgress: () => () => {},
      cancel: (skill) => (cancelled.push(skill), true),
      dismiss: () => false,
      setPaused: () => {},
      dispose: async () => {},
    };
    const withHost = service({ evolution: host });
    const state = await withHost.getState();
    const naming = state.skills.find((s) => s.skill === 'file-naming')!;
    expect(naming.evolution).toEqual({
      status: 'running',
      step: 'Generation 3 of 30',
      fraction: 0.12,
      timeLeft: 'about 10 min left',
      elsewhere: false,
      note: null,
    });
    expect(naming.state.label).toBe('Evolving (generation 3 of 30, about 10 min left)');
    expect(state.model.loaded).toBe(false);
    await withHost.cancelEvolution('file-naming');
    expect(cancelled).toEqual(['file-naming']);
    await withHost.stop();
  });
});

describe('AppService schedule and pause', () => {
  it('runs the monitor at start-up when due, and skips scheduled checks while paused', async () => {
    recordFeedback(t, 5, 1);
    const timers = manualTimers();
    const scheduled = service({ timers });
    scheduled.start();
    // The projection of any run it starts then knows the machine's last quarter-minute.
    expect(isLoadSamplerRunning()).toBe(true);
    await scheduled.catchUp();
    expect(t.engine.monitor.lastChecks('file-naming', 5)).toHaveLength(1);
    expect(pushes.at(-1)!.skills.find((s) => s.skill === 'file-naming')!.lastCheck).toMatch(/^too few samples: 5 of 20/);

    await scheduled.setEvolutionPaused(true);
    expect(pushes.at(-1)!.evolutionPaused).toBe(true);
    // Pause shows: every evolvable skill says so.
    expect(pushes.at(-1)!.skills.find((s) => s.skill === 'file-naming')!.state.kind).toBe('paused');
    await scheduled.catchUp();
    expect(t.engine.monitor.lastChecks('file-naming', 5)).toHaveLength(1);
    expect(logs.some((l) => l.includes('paused'))).toBe(true);
    // An explicit check still runs.
    await scheduled.runMonitor();
    expect(t.engine.monitor.lastChecks('file-naming', 5)).toHaveLength(2);
    await scheduled.stop();
    expect(isLoadSamplerRunning()).toBe(false);
  });

  it('keeps the pause switch across restarts, and ignores a broken switch file', async () => {
    await app.setEvolutionPaused(true);
    const again = service();
    expect((await again.getState()).evolutionPaused).toBe(true);
    fs.writeFileSync(path.join(t.dataDir, APP_STATE_FILE_NAME), '{broken');
    const third = service();
    expect((await third.getState()).evolutionPaused).toBe(false);
    expect(logs.some((l) => l.includes('evolution is not paused'))).toBe(true);
  });
});

describe('AppService outside changes', () => {
  it('notices another process voting and a hand edit of config.yaml', async () => {
    const id = startSession();
    openRound(id, 'task-1');
    await app.getState();
    app.pollExternalChanges();
    const pushed = pushes.length;

    const other = Engine.open({ dataDir: t.dataDir, clock: t.clock, seed: 'other' });
    other.vote('task-1', '1');
    other.close();
    app.pollExternalChanges();
    expect(pushes.length).toBe(pushed + 1);
    expect(pushes.at(-1)!.pendingVotes).toEqual([]);

    fs.writeFileSync(t.engine.ctx.config.file, 'prompt_evolution:\n  triggers:\n    accuracy_threshold: 7\n');
    app.pollExternalChanges();
    expect(pushes.at(-1)!.configProblems).toEqual({
      file: t.engine.ctx.config.file,
      lines: ['Line 3: prompt_evolution.triggers.accuracy_threshold must be a number between 0 and 1 (got 7)'],
    });
    // The last good configuration stays in effect.
    expect(pushes.at(-1)!.preferences.accuracyThreshold).toBe(0.8);
  });
});

describe('AppService model', () => {
  it('shows download progress, then the downloaded file', async () => {
    let finish!: () => void;
    await app.stop();
    t.cleanup();
    t = tempEngine({
      model: {
        pull: async ({ dataDir, catalog, onDownloadProgress }) => {
          const entry = catalog.models.find((m) => m.id === catalog.defaultModel)!;
          onDownloadProgress({ downloadedBytes: 10, totalBytes: 100 });
          await new Promise<void>((resolve) => (finish = resolve));
          const file = path.join(dataDir, 'models', entry.fileName);
          fs.mkdirSync(path.dirname(file), { recursive: true });
          fs.writeFileSync(file, 'gguf');
          return { path: file, downloaded: true };
        },
      },
    });
    app = service();
    const pull = app;
    const done = pull.pullModel();
    expect(pull.pullModel()).toBe(done);
    await new Promise((r) => setImmediate(r));
    expect(pushes.at(-1)!.model.download).toEqual({ downloadedBytes: 10, totalBytes: 100 });
    finish();
    await done;
    expect(pushes.at(-1)!.model).toMatchObject({ download: null, source: 'downloaded', error: null });
    expect(pushes.at(-1)!.model.resolvedPath).toMatch(/models\/SmolLM2-360M-Instruct-Q4_K_M\.gguf$/);
  });

  it('reports a failed download as one line in the state and the rejection', async () => {
    await app.stop();
    t.cleanup();
    t = tempEngine({
      model: {
        pull: async () => {
          throw new Error('network is down\nstack-ish detail');
        },
      },
    });
    app = service();
    await expect(app.pullModel()).rejects.toThrow('network is down');
    expect(pushes.at(-1)!.model.error).toBe('network is down');
  });

  it('flags a model file that went away after it was set', async () => {
    const model = path.join(t.dataDir, 'mine.gguf');
    fs.writeFileSync(model, 'GGUF');
    await app.setPreference('modelPath', model);
    fs.rmSync(model);
    await app.runMonitor();
    expect(pushes.at(-1)!.model).toMatchObject({ configuredPath: model, resolvedPath: null, error: `There is no model file at ${model}.` });
  });
});
