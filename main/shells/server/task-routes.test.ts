import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppService } from '../../app/app-service';
import type { SkillRunner } from '../../engine/serving/types';
import { tempEngine, VARIANTS, type TempEngine } from '../../test-support/temp-engine';
import { startBrowserMode, type BrowserMode } from './browser-mode';

// The task API over real HTTP: POST /api/tasks/run and /api/tasks/feedback behind the token and Host checks.

let t: TempEngine;
let mode: BrowserMode;
let rendererDir: string;
const runs: string[] = [];

/** Deterministic: the answer is the input's first word plus the arm that ran it. */
const runner: SkillRunner = {
  async run(_skill, prompt, input) {
    runs.push(input);
    const arm = /Variant ([ABC])/.exec(prompt)?.[1];
    return `${input.split(/\s+/)[0].toLowerCase()}${arm ? `-${arm.toLowerCase()}` : ''}.png`;
  },
};

interface Reply {
  status: number;
  body: string;
  json: { ok: boolean; value?: any; error?: string; code?: string };
}

function post(route: string, body: unknown, headers: Record<string, string> = {}, method = 'POST'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: mode.server.port,
        path: `/api/tasks/${route}`,
        method,
        headers: {
          host: `127.0.0.1:${mode.server.port}`,
          'content-type': 'application/json',
          'x-tinyarms-token': mode.server.token,
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, json: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(method === 'GET' ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
  });
}

const oneLineError = (reply: Reply) => {
  expect(reply.json.ok).toBe(false);
  expect(reply.json.error).not.toContain('\n');
  expect(reply.body).not.toContain('\n');
  return reply.json.error!;
};

const stats = () => t.engine.allStats().find((s) => s.skill === 'file-naming')!.accuracy;

beforeEach(async () => {
  t = tempEngine();
  runs.length = 0;
  rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyarms-renderer-'));
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>tinyArms</title>');
  mode = await startBrowserMode({
    service: new AppService({ engine: t.engine, watchIntervalMs: 0, log: () => {} }),
    rendererDir,
    schedule: false,
    log: () => {},
  });
});

afterEach(async () => {
  await mode.close();
  t.cleanup();
  fs.rmSync(rendererDir, { recursive: true, force: true });
});

describe('task API: guards and input', () => {
  it('refuses calls without the token (401) or from another Host (403)', async () => {
    t.engine.setSkillRunner(runner);
    const noToken = await post('run', { skill: 'file-naming', input: 'x' }, { 'x-tinyarms-token': '' });
    expect(noToken.status).toBe(401);
    expect(oneLineError(noToken)).toMatch(/^unauthorized/);
    const badHost = await post('run', { skill: 'file-naming', input: 'x' }, { host: 'evil.example:80' });
    expect(badHost.status).toBe(403);
    expect(runs).toEqual([]);
  });

  it('answers a 10 MB body with 413 and one line, not "not valid JSON"', async () => {
    t.engine.setSkillRunner(runner);
    const reply = await post('run', JSON.stringify({ skill: 'file-naming', input: 'x'.repeat(10 * 1024 * 1024) }));
    expect(reply.status).toBe(413);
    expect(oneLineError(reply)).toMatch(/^request body is larger than 1048576 bytes$/);
    expect(runs).toEqual([]);
  });

  it('answers bad input with 400 and one line', async () => {
    t.engine.setSkillRunner(runner);
    const cases: [unknown, RegExp][] = [
      ['{not json', /^tasks\/run: the body is not valid JSON$/],
      [[1, 2], /^tasks\/run: the body must be a JSON object$/],
      [{ input: 'x' }, /^tasks\/run: skill must be a non-empty string/],
      [{ skill: 'file-naming' }, /^tasks\/run: input must be a non-empty string/],
      [{ skill: 'File Naming!', input: 'x' }, /^tasks\/run: skill must be a skill name/],
      [{ skill: 'file-naming', input: 'x', allowVote: 'yes' }, /^tasks\/run: allowVote must be true or false$/],
      [{ skill: 'file-naming', input: 'x', extra: 1 }, /^tasks\/run: unknown field 'extra'/],
    ];
    for (const [body, message] of cases) {
      const reply = await post('run', body);
      expect(reply.status).toBe(400);
      expect(oneLineError(reply)).toMatch(message);
    }
    const feedback = await post('feedback', { taskId: 'task_1', outcome: 'great' });
    expect(feedback.status).toBe(400);
    expect(oneLineError(feedback)).toBe('tasks/feedback: outcome must be one of accepted, edited, rejected');
    expect(runs).toEqual([]);
  });

  it('knows only its two routes, by POST with JSON', async () => {
    expect((await post('nope', {})).status).toBe(404);
    expect((await post('run', undefined, {}, 'GET')).status).toBe(405);
    expect((await post('run', 'skill=x', { 'content-type': 'text/plain' })).status).toBe(415);
  });

  it('an unknown skill or task is 404', async () => {
    t.engine.setSkillRunner(runner);
    const skill = await post('run', { skill: 'no-such-skill', input: 'x' });
    expect(skill.status).toBe(404);
    expect(oneLineError(skill)).toMatch(/no-such-skill/);
    const task = await post('feedback', { taskId: 'task_missing', outcome: 'accepted' });
    expect(task.status).toBe(404);
    expect(task.json).toEqual({ ok: false, error: "unknown task 'task_missing'", code: 'unknown_task' });
  });

  it('without a model: 503 with one line, nothing recorded', async () => {
    const reply = await post('run', { skill: 'file-naming', input: 'IMG_1.png' });
    expect(reply.status).toBe(503);
    expect(reply.json.code).toBe('no_model');
    expect(oneLineError(reply)).toMatch(
      /^model SmolLM2-360M-Instruct \(Q4_K_M\) is not installed: .* or set prompt_evolution\.smollm2\.model_path to a GGUF file$/,
    );
    expect(stats().samples).toBe(0);
  });
});

describe('task API: run and feedback', () => {
  it('runs a skill, records the task, and feedback moves the skill’s accuracy', async () => {
    t.engine.setSkillRunner(runner);
    const pushes: number[] = [];
    mode.service.onState((s) => pushes.push(s.revision));
    const first = await post('run', { skill: 'file-naming', input: 'Sunset photo from the beach' });
    expect(first.status).toBe(200);
    expect(first.json.value).toEqual({
      taskId: expect.stringMatching(/^task_/),
      skill: 'file-naming',
      output: 'sunset.png',
      variant: null,
      promptVersion: 1,
    });
    expect(t.engine.tasks.get(first.json.value.taskId)).toMatchObject({ source: 'api', output: 'sunset.png', outcome: null });

    const accepted = await post('feedback', { taskId: first.json.value.taskId, outcome: 'accepted' });
    expect(accepted.status).toBe(200);
    expect(accepted.json.value).toMatchObject({ id: first.json.value.taskId, outcome: 'accepted' });
    expect(stats()).toMatchObject({ samples: 1, accuracy: 1 });

    const second = await post('run', { skill: 'file-naming', input: 'Receipt coffee' });
    const edited = await post('feedback', { taskId: second.json.value.taskId, outcome: 'edited', final: 'coffee-receipt.png' });
    expect(edited.json.value).toMatchObject({ outcome: 'edited', finalOutput: 'coffee-receipt.png' });
    expect(stats()).toMatchObject({ samples: 2, accuracy: 0.5 });
    // The page follows: the state was pushed after the task and after the feedback.
    expect(mode.service.peekState()!.skills.find((s) => s.skill === 'file-naming')).toMatchObject({ samples: 2, accuracy: 0.5 });
    expect(pushes.length).toBeGreaterThan(0);

    const conflict = await post('feedback', { taskId: first.json.value.taskId, outcome: 'rejected' });
    expect(conflict.status).toBe(409);
    expect(conflict.json.code).toBe('feedback_exists');
  });

  it('during an A/B session answers with a vote round; the choice is the feedback; allowVote: false gets one output', async () => {
    t.engine.setSkillRunner(runner);
    const session = t.engine.sessions.create({ skill: 'file-naming', variants: VARIANTS.map((prompt) => ({ prompt })), reason: 'manual' });
    t.engine.ctx.config.set(['prompt_evolution', 'ab_testing', 'show_probability'], 1);

    const vote = await post('run', { skill: 'file-naming', input: 'Bridge photo' });
    expect(vote.status).toBe(200);
    const { taskId, output, round } = vote.json.value;
    expect(output).toBeNull();
    expect(round.options.map((o: { output: string }) => o.output).sort()).toEqual(['bridge-a.png', 'bridge-b.png', 'bridge-c.png']);

    const needsChoice = await post('feedback', { taskId, outcome: 'accepted' });
    expect(needsChoice.status).toBe(400);
    expect(oneLineError(needsChoice)).toMatch(/is a vote round: send choice/);
    const label = round.options.find((o: { output: string }) => o.output === 'bridge-c.png').label;
    const picked = await post('feedback', { taskId, choice: label, outcome: 'accepted' });
    expect(picked.status).toBe(200);
    expect(picked.json.value).toMatchObject({ id: taskId, outcome: 'accepted', output: 'bridge-c.png' });
    expect(t.engine.sessions.results(session.id).arms.find((a) => a.letter === 'C')!.votes).toBe(1);

    const single = await post('run', { skill: 'file-naming', input: 'Bridge photo', allowVote: false });
    expect(single.json.value.output).toMatch(/^bridge(-[abc])?\.png$/);
    expect(single.json.value.round).toBeUndefined();
  });
});
