import { describeValue, issuePath, skillNameSchema, UserError, v } from '../engine';
import {
  API_METHODS,
  FILE_CHOICES,
  PREFERENCE_KEYS,
  WINDOW_ROUTES,
  type ApiMethod,
  type PreferenceKey,
  type TinyArmsApi,
} from '../../contract/api';
import { PREFERENCE_SPECS } from './preferences';

// Payload checks for every API method, shared by the IPC handlers and the HTTP server: whatever arrives from a
// page is unknown until its valibot schema has looked at it. Each failure is one line naming the method and
// argument: "rollback: version must be a whole number >= 1 (got "2")".

export type ArgsOf<M extends ApiMethod> = Parameters<TinyArmsApi[M]>;

export const payloadError = (message: string, code = 'bad_payload'): UserError => new UserError(message, { exitCode: 2, code });

const MAX_STRING = 500;
const MAX_UNDO = 50;

type Schema = v.GenericSchema<unknown, unknown>;

const text = v.pipe(
  v.string(`a non-empty string of at most ${MAX_STRING} characters`),
  v.check((s) => s.trim() !== '' && s.length <= MAX_STRING, `a non-empty string of at most ${MAX_STRING} characters`),
);
const skill = skillNameSchema;
const bool = v.boolean('true or false');
const positiveInt = v.pipe(v.number('a whole number >= 1'), v.safeInteger('a whole number >= 1'), v.minValue(1, 'a whole number >= 1'));
const filePath = v.pipe(
  v.string('a file path'),
  v.check((s) => s.trim() !== '' && s.length <= 4096 && !s.includes('\0'), 'a file path'),
  v.transform((s) => s.trim()),
);
const proposalId = v.pipe(v.string('a proposal id like "fp_..."'), v.regex(/^[A-Za-z0-9_-]{1,100}$/, 'a proposal id like "fp_..."'));
const optionLabel = v.pipe(
  v.string('an option label (1, 2, 3)'),
  v.regex(/^\s*\d{1,2}\s*$/, 'an option label (1, 2, 3)'),
  v.transform((s) => s.trim()),
);
const choice = v.pipe(
  text,
  v.check((s) => /^(\d{1,2}|none|skip)$/i.test(s.trim()), 'an option label (1, 2, 3), "none" or "skip"'),
);
const fileName = v.pipe(
  text,
  v.check((s) => !s.includes('\0'), 'a file name'),
);
const letter = v.pipe(
  v.string('an arm letter A to J'),
  v.regex(/^[A-Ja-j]$/, 'an arm letter A to J'),
  v.transform((s) => s.toUpperCase()),
);
const oneOf = <T extends string>(values: readonly T[]) => v.picklist(values, `one of ${values.join(', ')}`);
const height = v.pipe(
  v.number('a number of points from 1 to 4000'),
  v.finite('a number of points from 1 to 4000'),
  v.minValue(1, 'a number of points from 1 to 4000'),
  v.maxValue(4000, 'a number of points from 1 to 4000'),
  v.transform(Math.round),
);
const undoCount = v.pipe(positiveInt, v.maxValue(MAX_UNDO, `at most ${MAX_UNDO}`));
/** A preference's value, by its kind; a cleared text field means "no explicit model file". */
const preferenceValue = (key: PreferenceKey): Schema => {
  const spec = PREFERENCE_SPECS[key];
  if (spec.kind === 'boolean') return bool;
  if (spec.kind === 'number') return v.pipe(v.number('a number'), v.finite('a number'));
  return v.union(
    [
      v.pipe(
        v.nullable(v.literal('')),
        v.transform(() => null),
      ),
      v.pipe(
        v.string(),
        v.check((s) => s.trim() === ''),
        v.transform(() => null),
      ),
      v.pipe(
        v.string(),
        v.check((s) => s.length <= 4096 && !s.includes('\0')),
        v.transform((s) => s.trim()),
      ),
    ],
    'a file path or null',
  );
};

/** A method's arguments: their names (for messages) and schemas; optional ones last. */
interface Params {
  names: string[];
  required: number;
  schemas: Schema[];
}
const params = (required: [string, Schema][], optional: [string, Schema][] = []): Params => ({
  names: [...required, ...optional].map(([name]) => name),
  required: required.length,
  schemas: [...required, ...optional].map(([, schema]) => schema),
});

const PARAMS: { [M in ApiMethod]: Params } = {
  getState: params([]),
  getRound: params([], [['taskId', text]]),
  vote: params([
    ['taskId', text],
    ['choice', choice],
  ]),
  undoVote: params([['taskId', text]]),
  setPreference: params([
    ['key', oneOf(PREFERENCE_KEYS)],
    ['value', v.unknown()],
  ]),
  restoreDefaults: params([]),
  useLastGoodConfig: params([]),
  setWatchFolder: params([['folder', filePath]]),
  getHistory: params([['skill', skill]]),
  keepCurrent: params([['skill', skill]]),
  // The member name is checked by the engine, which says what a name may hold at the field.
  joinTeam: params([['folder', filePath]], [['member', text]]),
  leaveTeam: params([]),
  testTeammateVersion: params([
    ['member', text],
    ['skill', skill],
  ]),
  joinTeammateTest: params([
    ['member', text],
    ['skill', skill],
  ]),
  dismissTeamOffer: params([['key', text]]),
  startEvolution: params([['skill', skill]]),
  dismissEvolution: params([['skill', skill]]),
  getThumbnail: params([['proposalId', proposalId]]),
  chooseFile: params([['kind', oneOf(FILE_CHOICES)]]),
  revealInFinder: params([['path', filePath]]),
  openConfigFile: params([]),
  fitWindow: params([['height', height]]),
  rollback: params([
    ['skill', skill],
    ['version', positiveInt],
  ]),
  promote: params([
    ['skill', skill],
    ['letter', letter],
  ]),
  resetToDefault: params([['skill', skill]]),
  pinTask: params([['taskId', text]]),
  unpinTask: params([['taskId', text]]),
  setEvolutionPaused: params([['paused', bool]]),
  runMonitor: params([]),
  pullModel: params([]),
  cancelEvolution: params([['skill', skill]]),
  acceptProposal: params([['id', proposalId]], [['option', optionLabel]]),
  editProposal: params(
    [
      ['id', proposalId],
      ['name', fileName],
    ],
    [['option', optionLabel]],
  ),
  skipProposal: params([['id', proposalId]]),
  dismissProposal: params([['id', proposalId]]),
  undoRenames: params([['count', undoCount]]),
  openWindow: params([['route', oneOf(WINDOW_ROUTES)]]),
  closeWindow: params([]),
};

export const isApiMethod = (name: unknown): name is ApiMethod =>
  typeof name === 'string' && (API_METHODS as readonly string[]).includes(name);

function parse(method: string, name: string, schema: Schema, value: unknown): unknown {
  const result = v.safeParse(schema, value);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const where = issuePath(issue);
  throw payloadError(`${method}: ${name}${where ? `.${where}` : ''} must be ${issue.message} (got ${describeValue(value)})`);
}

/** Checks a call's arguments; returns them typed (and normalised) or throws a one-line UserError. */
export function validateArgs<M extends ApiMethod>(method: M, args: unknown): ArgsOf<M> {
  if (!isApiMethod(method)) throw payloadError(`unknown method ${describeValue(method)}`, 'unknown_method');
  if (!Array.isArray(args)) throw payloadError(`${method}: arguments must be a list (got ${describeValue(args)})`);
  const spec = PARAMS[method];
  // Trailing undefined/null arguments are how optional parameters arrive (JSON turns an omitted one into null).
  let given = args.length;
  while (given > spec.required && (args[given - 1] === undefined || args[given - 1] === null)) given -= 1;
  const max = spec.names.length;
  if (given < spec.required || given > max) {
    const expected = spec.required === max ? `${max}` : `${spec.required} to ${max}`;
    throw payloadError(`${method}: expects ${expected} argument${max === 1 ? '' : 's'} (got ${args.length})`);
  }
  const values = args.slice(0, given).map((value, i) => parse(method, spec.names[i], spec.schemas[i], value));
  if (method === 'setPreference') values[1] = parse(method, values[0] as string, preferenceValue(values[0] as PreferenceKey), args[1]);
  return values as ArgsOf<M>;
}
