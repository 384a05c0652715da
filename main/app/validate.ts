import { UserError } from '../engine';
import {
  API_METHODS, PREFERENCE_KEYS, WINDOW_ROUTES, type ApiMethod, type PreferenceKey, type TinyArmsApi,
} from '../../contract/api';
import { PREFERENCE_SPECS } from './preferences';

// Payload checks for every API method, shared by the IPC handlers and the HTTP server: whatever arrives from a
// page is unknown until one of these has looked at it. Each failure is one line naming the method and argument.

export type ArgsOf<M extends ApiMethod> = Parameters<TinyArmsApi[M]>;

export const payloadError = (message: string, code = 'bad_payload'): UserError => new UserError(message, { exitCode: 2, code });

const MAX_STRING = 500;
const SKILL_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value.length > 30 ? `${value.slice(0, 27)}...` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

type Check<T> = (value: unknown, name: string, method: string) => T;

const fail = (method: string, name: string, expected: string, value: unknown): never => {
  throw payloadError(`${method}: ${name} must be ${expected} (got ${describe(value)})`);
};

const text: Check<string> = (value, name, method) => {
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_STRING) {
    return fail(method, name, `a non-empty string of at most ${MAX_STRING} characters`, value);
  }
  return value;
};

const skill: Check<string> = (value, name, method) => {
  if (typeof value !== 'string' || !SKILL_NAME.test(value) || value.length > 100) {
    return fail(method, name, 'a skill name like "file-naming"', value);
  }
  return value;
};

const bool: Check<boolean> = (value, name, method) => (typeof value === 'boolean' ? value : fail(method, name, 'true or false', value));

const positiveInt: Check<number> = (value, name, method) =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 ? value : fail(method, name, 'a whole number >= 1', value);

const oneOf = <T extends string>(values: readonly T[]): Check<T> => (value, name, method) =>
  typeof value === 'string' && (values as readonly string[]).includes(value) ? (value as T) : fail(method, name, `one of ${values.join(', ')}`, value);

function preferenceValue(key: PreferenceKey, value: unknown, method: string): unknown {
  const spec = PREFERENCE_SPECS[key];
  if (spec.kind === 'boolean') return bool(value, key, method);
  if (spec.kind === 'number') {
    return typeof value === 'number' && Number.isFinite(value) ? value : fail(method, key, 'a number', value);
  }
  // A cleared text field means "no explicit model file".
  if (value === null || (typeof value === 'string' && value.trim() === '')) return null;
  if (typeof value !== 'string' || value.length > 4096 || value.includes('\0')) return fail(method, key, 'a file path or null', value);
  return value.trim();
}

const filePath: Check<string> = (value, name, method) =>
  typeof value === 'string' && value.trim() !== '' && value.length <= 4096 && !value.includes('\0')
    ? value.trim()
    : fail(method, name, 'a file path', value);

const PROPOSAL_ID = /^[A-Za-z0-9_-]{1,100}$/;
const proposalId: Check<string> = (value, name, method) =>
  typeof value === 'string' && PROPOSAL_ID.test(value) ? value : fail(method, name, 'a proposal id like "fp_..."', value);

const optionLabel: Check<string> = (value, name, method) =>
  typeof value === 'string' && /^\s*\d{1,2}\s*$/.test(value) ? value.trim() : fail(method, name, 'an option label (1, 2, 3)', value);

const optional = <T>(check: Check<T>) => (value: unknown, name: string, method: string): T[] =>
  value === undefined || value === null ? [] : [check(value, name, method)];

const MAX_UNDO = 50;

type Validator<M extends ApiMethod> = (args: unknown[], method: M) => ArgsOf<M>;

const none = <M extends ApiMethod>(): Validator<M> => () => [] as unknown as ArgsOf<M>;

const VALIDATORS: { [M in ApiMethod]: { arity: [min: number, max: number]; check: Validator<M> } } = {
  getState: { arity: [0, 0], check: none() },
  getRound: {
    arity: [0, 1],
    // JSON turns an omitted argument into null.
    check: ([taskId], m) => (taskId === undefined || taskId === null ? [] : [text(taskId, 'taskId', m)]),
  },
  vote: {
    arity: [2, 2],
    check: ([taskId, choice], m) => {
      const c = text(choice, 'choice', m);
      if (!/^(\d{1,2}|none|skip)$/i.test(c.trim())) fail(m, 'choice', 'an option label (1, 2, 3), "none" or "skip"', choice);
      return [text(taskId, 'taskId', m), c];
    },
  },
  undoVote: { arity: [1, 1], check: ([taskId], m) => [text(taskId, 'taskId', m)] },
  setPreference: {
    arity: [2, 2],
    check: ([key, value], m) => {
      const k = oneOf(PREFERENCE_KEYS)(key, 'key', m);
      return [k, preferenceValue(k, value, m)] as ArgsOf<'setPreference'>;
    },
  },
  restoreDefaults: { arity: [0, 0], check: none() },
  useLastGoodConfig: { arity: [0, 0], check: none() },
  setWatchFolder: { arity: [1, 1], check: ([folder], m) => [filePath(folder, 'folder', m)] },
  getHistory: { arity: [1, 1], check: ([s], m) => [skill(s, 'skill', m)] },
  keepCurrent: { arity: [1, 1], check: ([s], m) => [skill(s, 'skill', m)] },
  startEvolution: { arity: [1, 1], check: ([s], m) => [skill(s, 'skill', m)] },
  dismissEvolution: { arity: [1, 1], check: ([s], m) => [skill(s, 'skill', m)] },
  getThumbnail: { arity: [1, 1], check: ([id], m) => [proposalId(id, 'proposalId', m)] },
  chooseFile: { arity: [1, 1], check: ([kind], m) => [oneOf(['model', 'folder'] as const)(kind, 'kind', m)] },
  revealInFinder: { arity: [1, 1], check: ([file], m) => [filePath(file, 'path', m)] },
  openConfigFile: { arity: [0, 0], check: none() },
  fitWindow: {
    arity: [1, 1],
    check: ([height], m) =>
      typeof height === 'number' && Number.isFinite(height) && height >= 1 && height <= 4000
        ? [Math.round(height)]
        : fail(m, 'height', 'a number of points from 1 to 4000', height),
  },
  rollback: { arity: [2, 2], check: ([s, version], m) => [skill(s, 'skill', m), positiveInt(version, 'version', m)] },
  promote: {
    arity: [2, 2],
    check: ([s, letter], m) => {
      if (typeof letter !== 'string' || !/^[A-Ja-j]$/.test(letter)) fail(m, 'letter', 'an arm letter A to J', letter);
      return [skill(s, 'skill', m), (letter as string).toUpperCase()];
    },
  },
  setEvolutionPaused: { arity: [1, 1], check: ([paused], m) => [bool(paused, 'paused', m)] },
  runMonitor: { arity: [0, 0], check: none() },
  pullModel: { arity: [0, 0], check: none() },
  cancelEvolution: { arity: [1, 1], check: ([s], m) => [skill(s, 'skill', m)] },
  acceptProposal: {
    arity: [1, 2],
    check: ([id, option], m) => [proposalId(id, 'id', m), ...optional(optionLabel)(option, 'option', m)] as ArgsOf<'acceptProposal'>,
  },
  editProposal: {
    arity: [2, 3],
    check: ([id, name, option], m) => {
      const n = text(name, 'name', m);
      if (n.includes('\0')) fail(m, 'name', 'a file name', name);
      return [proposalId(id, 'id', m), n, ...optional(optionLabel)(option, 'option', m)] as ArgsOf<'editProposal'>;
    },
  },
  skipProposal: { arity: [1, 1], check: ([id], m) => [proposalId(id, 'id', m)] },
  dismissProposal: { arity: [1, 1], check: ([id], m) => [proposalId(id, 'id', m)] },
  undoRenames: {
    arity: [1, 1],
    check: ([count], m) => {
      const n = positiveInt(count, 'count', m);
      return n > MAX_UNDO ? fail(m, 'count', `at most ${MAX_UNDO}`, count) : [n];
    },
  },
  openWindow: { arity: [1, 1], check: ([route], m) => [oneOf(WINDOW_ROUTES)(route, 'route', m)] },
  closeWindow: { arity: [0, 0], check: none() },
};

export const isApiMethod = (name: unknown): name is ApiMethod =>
  typeof name === 'string' && (API_METHODS as readonly string[]).includes(name);

/** Checks a call's arguments; returns them typed (and normalised) or throws a one-line UserError. */
export function validateArgs<M extends ApiMethod>(method: M, args: unknown): ArgsOf<M> {
  if (!isApiMethod(method)) throw payloadError(`unknown method ${describe(method)}`, 'unknown_method');
  if (!Array.isArray(args)) throw payloadError(`${method}: arguments must be a list (got ${describe(args)})`);
  const validator = VALIDATORS[method] as { arity: [number, number]; check: Validator<M> };
  // Trailing undefined/null arguments are how optional parameters arrive; they do not count against arity.
  let given = args.length;
  while (given > validator.arity[0] && (args[given - 1] === undefined || args[given - 1] === null)) given -= 1;
  const [min, max] = validator.arity;
  if (given < min || given > max) {
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    throw payloadError(`${method}: expects ${expected} argument${max === 1 ? '' : 's'} (got ${args.length})`);
  }
  return validator.check(args.slice(0, given), method);
}
