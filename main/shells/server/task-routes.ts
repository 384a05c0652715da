import type http from 'node:http';
import { errorCode, oneLine } from '../../app/errors';
import { roundView } from '../../app/state-view';
import { OUTCOMES, isUserError, problems, skillNameSchema, v, type Engine } from '../../engine';
import { taskView } from '../json-views';
import type { VoteRoundView } from '../../../contract/api';
import { HttpError, readBody, sendJson, type RouteGroup } from './http-server';

/**
 * The task API for other local tools, behind browser mode's token and Host checks:
 *
 *   POST /api/tasks/run       {skill, input, allowVote?}          → {taskId, skill, output, variant, promptVersion, round?}
 *   POST /api/tasks/feedback  {taskId, outcome, final?}           → the task (the CLI's --json task shape, camelCase)
 *                             {taskId, choice, outcome?, final?}  → a vote round's answer (1, 2, 3, none, skip)
 *
 * Answers are ApiResults ({ok: true, value} or {ok: false, error, code}, one line). During an A/B session `run`
 * may answer with a vote round (output null, round.options); allowVote: false always gets one output.
 */
export const TASKS_PREFIX = 'tasks';

export interface TaskRoutesOptions {
  engine: Engine;
  /** A task or its feedback changed the engine's data: push the state. */
  onChange?: () => void;
}

export interface TaskRunAnswer {
  taskId: string;
  skill: string;
  /** null when the answer is a vote round. */
  output: string | null;
  variant: string | null;
  promptVersion: number | null;
  round?: VoteRoundView;
}

const MAX_INPUT = 100_000;

const STATUS: Record<string, number> = {
  no_model: 503,
  model_missing: 503,
  model_load_failed: 503,
  unknown_task: 404,
  unknown_skill: 404,
  unknown_round: 404,
  feedback_exists: 409,
  already_voted: 409,
  option_withdrawn: 409,
  session_closed: 409,
  skill_disabled: 409,
  empty_output: 502,
};

const bad = (message: string): HttpError => new HttpError(400, message, 'bad_payload');

type Body = Record<string, unknown>;

const text = (max: number) =>
  v.pipe(
    v.string(`a non-empty string of at most ${max} characters`),
    v.check((s) => s.trim() !== '' && s.length <= max, `a non-empty string of at most ${max} characters`),
  );
const optionalText = (max: number) => v.optional(v.nullable(text(max)));

const RUN = v.strictObject({
  skill: v.pipe(text(100), skillNameSchema),
  input: text(MAX_INPUT),
  allowVote: v.optional(v.boolean('true or false')),
});

const FEEDBACK = v.strictObject({
  taskId: text(200),
  outcome: v.optional(v.picklist(OUTCOMES, `one of ${OUTCOMES.join(', ')}`)),
  final: optionalText(MAX_INPUT),
  choice: optionalText(10),
});

/** The body checked against its route's schema, or a 400 with the first problem in one line. */
function parseBody<S extends typeof RUN | typeof FEEDBACK>(schema: S, body: Body, route: string): v.InferOutput<S> {
  const result = v.safeParse(schema, body);
  if (result.success) return result.output;
  const [first] = problems(result.issues, schema);
  const known = Object.keys(schema.entries).join(', ');
  throw bad(`${route}: ${first}${first.startsWith('unknown field') ? ` (expected ${known})` : ''}`);
}

async function readJsonObject(request: http.IncomingMessage, route: string): Promise<Body> {
  if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
    throw new HttpError(415, 'the request body must be JSON (Content-Type: application/json)', 'bad_content_type');
  }
  // Read first: a body over the limit is a 413 of its own, not "not valid JSON".
  const body = await readBody(request);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw bad(`${route}: the body is not valid JSON`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw bad(`${route}: the body must be a JSON object`);
  return parsed as Body;
}

/** Aborted when the caller hangs up before the answer, so the model stops working for nobody. */
function hangUpSignal(request: http.IncomingMessage, response: http.ServerResponse): AbortSignal {
  const controller = new AbortController();
  response.on('close', () => {
    if (!response.writableFinished) controller.abort(new Error('the caller went away'));
  });
  request.on('aborted', () => controller.abort(new Error('the caller went away')));
  return controller.signal;
}

export function taskRoutes(options: TaskRoutesOptions): RouteGroup {
  const { engine } = options;
  const changed = () => {
    try {
      options.onChange?.();
    } catch {
      // A failed state push must not fail a task that was recorded.
    }
  };

  async function run(body: Body, signal: AbortSignal): Promise<TaskRunAnswer> {
    const { skill, input, allowVote } = parseBody(RUN, body, 'tasks/run');
    engine.ctx.skills.get(skill);
    const result = await engine.serveTask({ skill, input, source: 'api', allowVote, signal });
    changed();
    if (result.kind === 'task') {
      return { taskId: result.taskId, skill, output: result.output, variant: result.variant, promptVersion: result.promptVersion };
    }
    const round = roundView(engine, result.round, engine.sessions.results(result.round.sessionId), {
      revealOpen: engine.ctx.config.config.app.show_confidence_before_vote,
    });
    return { taskId: result.taskId, skill, output: null, variant: null, promptVersion: null, round };
  }

  function feedback(body: Body): unknown {
    const route = 'tasks/feedback';
    const parsed = parseBody(FEEDBACK, body, route);
    const { taskId, outcome, final } = parsed;
    const choice = parsed.choice ?? undefined;
    if (outcome === undefined && choice === undefined)
      throw bad(`${route}: give outcome (${OUTCOMES.join(', ')}) or, for a vote round, choice`);
    if (choice === undefined && !engine.tasks.get(taskId) && isOpenRound(engine, taskId)) {
      throw bad(`${route}: task '${taskId}' is a vote round: send choice (an option label, none or skip)`);
    }
    // A vote and its verdict land in one transaction, or neither does.
    const feedback = outcome === undefined ? undefined : { outcome, finalOutput: final ?? undefined };
    const answered = engine.answer(taskId, { vote: choice, feedback });
    changed();
    // A round answered 'none' or 'skip' has no task to show: the answer is the round.
    if (answered.round && answered.results && answered.round.status !== 'picked')
      return roundView(engine, answered.round, answered.results);
    return answered.task && taskView(answered.task);
  }

  return {
    prefix: TASKS_PREFIX,
    async handle(request, response, url) {
      const action = url.pathname.slice(`/api/${TASKS_PREFIX}`.length);
      if (action !== '/run' && action !== '/feedback') {
        throw new HttpError(
          404,
          `not found: ${url.pathname} (the task API is POST /api/tasks/run and POST /api/tasks/feedback)`,
          'not_found',
        );
      }
      if (request.method !== 'POST') {
        response.setHeader('Allow', 'POST');
        throw new HttpError(405, `${request.method} is not allowed: use POST`, 'method_not_allowed');
      }
      const body = await readJsonObject(request, `tasks${action}`);
      const signal = hangUpSignal(request, response);
      try {
        const value = action === '/run' ? await run(body, signal) : feedback(body);
        sendJson(response, 200, { ok: true, value });
      } catch (error) {
        if (signal.aborted) return;
        // Internal errors go on to the server, which logs them and answers 500.
        if (error instanceof HttpError || !isUserError(error)) throw error;
        const code = errorCode(error);
        sendJson(response, STATUS[code] ?? 400, { ok: false, error: oneLine(error), code });
      }
    },
  };
}

function isOpenRound(engine: Engine, taskId: string): boolean {
  try {
    return engine.sessions.round(taskId).status === 'open';
  } catch {
    return false;
  }
}
