import type {
  ApiMethod,
  FileChoice,
  AppStateView,
  HistoryView,
  PreferenceKey,
  PreferencesView,
  ProposalDecisionView,
  ProposalView,
  SkillView,
  TinyArmsApi,
  VoteResultView,
  VoteRoundView,
  WindowRoute,
} from '../../../contract/api';
import { defaultPreferences, makeState, ROUND_CONFIDENCE } from './fixtures';

type Calls = { [M in ApiMethod]: { method: M; args: Parameters<TinyArmsApi[M]> } }[ApiMethod];

export interface FakeApiOptions {
  state?: AppStateView;
  /** Vote rounds, open or answered; open ones are the state's pendingVotes. */
  rounds?: VoteRoundView[];
  histories?: HistoryView[];
  /** What openWindow does besides recording the call (the fixture page navigates). */
  onOpenWindow?: (route: WindowRoute) => void;
}

const clone = <T>(value: T): T => structuredClone(value);
const nowIso = () => new Date('2026-11-20T10:00:00.000Z').toISOString();

/** The engine's words for a test's progress (its estimate here: 27 votes in all). */
const progressOf = (votes: number): string => `${votes} votes so far; a decision usually within ~${Math.max(1, 27 - votes)} more.`;

/** An Error carrying the API's code, as the preload and the HTTP client reject. */
const apiError = (message: string, code = 'failed'): Error => Object.assign(new Error(message), { code });

/**
 * An in-memory TinyArmsApi that behaves like the engine in the ways the renderer relies on: state pushes with
 * rising revisions; votes that are idempotent, reveal every option's confidence only once answered, and can be
 * taken back while the test runs; preference refusals in words; history with rollback; evolutions that start,
 * stop and resume. Every call is recorded.
 */
export class FakeApi implements TinyArmsApi {
  state: AppStateView;
  rounds: VoteRoundView[];
  histories = new Map<string, HistoryView>();
  readonly calls: Calls[] = [];
  /** Methods that reject with the given one-line message. */
  failures: Partial<Record<ApiMethod, string>> = {};
  /** The engine's validation of a preference: a sentence for the field, or null to accept. */
  refusePreference: (key: PreferenceKey, value: unknown) => string | null = () => null;
  /** The conclusion sentence a vote returns (e.g. once a test is decided). */
  conclusionFor: (round: VoteRoundView) => string | null = () => null;
  /** What the native open dialog answers (Electron only). */
  chosenFile: string | null = null;
  /** Thumbnails by proposal id. */
  thumbnails = new Map<string, string>();
  private listeners = new Set<(state: AppStateView) => void>();
  private readonly onOpenWindow?: (route: WindowRoute) => void;

  constructor(options: FakeApiOptions = {}) {
    this.state = clone(options.state ?? makeState());
    this.rounds = clone(options.rounds ?? []);
    for (const h of options.histories ?? []) this.histories.set(h.skill, clone(h));
    this.onOpenWindow = options.onOpenWindow;
    this.state.pendingVotes = this.openRounds();
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  callsOf<M extends ApiMethod>(method: M): Parameters<TinyArmsApi[M]>[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args as Parameters<TinyArmsApi[M]>);
  }

  /** Changes the state as the engine would and pushes it to every subscriber. */
  push(patch: Partial<AppStateView> = {}): AppStateView {
    this.state = { ...this.state, ...clone(patch), revision: this.state.revision + 1 };
    const snapshot = clone(this.state);
    for (const listener of this.listeners) listener(clone(snapshot));
    return snapshot;
  }

  private record<M extends ApiMethod>(method: M, args: Parameters<TinyArmsApi[M]>): void {
    this.calls.push({ method, args } as Calls);
    const failure = this.failures[method];
    if (failure) throw apiError(failure);
  }

  private openRounds(): VoteRoundView[] {
    return this.rounds.filter((r) => r.status === 'open').map((r) => this.shown(r));
  }

  /** A round as the engine sends it: no confidence while open, every option's once answered. */
  private shown(round: VoteRoundView): VoteRoundView {
    const reveal = round.status !== 'open' || this.state.preferences.showConfidenceBeforeVote;
    return { ...clone(round), options: round.options.map((o) => ({ ...o, pBest: reveal ? (ROUND_CONFIDENCE[o.label] ?? 0.1) : null })) };
  }

  private updateSkill(skill: string, patch: Partial<SkillView>): void {
    this.push({ skills: this.state.skills.map((s) => (s.skill === skill ? { ...s, ...patch } : s)) });
  }

  private skill(skill: string): SkillView {
    const found = this.state.skills.find((s) => s.skill === skill);
    if (!found) throw apiError(`unknown skill '${skill}'`, 'unknown_skill');
    return found;
  }

  async getState(): Promise<AppStateView> {
    this.record('getState', []);
    return clone(this.state);
  }

  onState(listener: (state: AppStateView) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async getRound(taskId?: string): Promise<VoteRoundView | null> {
    this.record('getRound', [taskId]);
    const round = taskId ? this.rounds.find((r) => r.taskId === taskId) : this.rounds.find((r) => r.status === 'open');
    if (taskId && !round) throw apiError(`no vote round for task '${taskId}'`, 'unknown_round');
    return round ? this.shown(round) : null;
  }

  async vote(taskId: string, choice: string): Promise<VoteResultView> {
    this.record('vote', [taskId, choice]);
    const round = this.rounds.find((r) => r.taskId === taskId);
    if (!round) throw apiError(`no vote round for task '${taskId}'`, 'unknown_round');
    const normalized = choice.trim().toLowerCase();
    const option = round.options.find((o) => o.label === normalized);
    if (!option && normalized !== 'none' && normalized !== 'skip')
      throw apiError(`unknown option '${choice}' for task '${taskId}'`, 'unknown_arm');
    const status = option ? 'picked' : normalized === 'none' ? 'none' : 'skipped';
    if (round.status !== 'open') {
      if (round.status === status && round.picked === (option?.label ?? null))
        return { round: this.shown(round), duplicate: true, conclusion: null };
      throw apiError(`task '${taskId}' was already answered`, 'already_voted');
    }
    round.status = status;
    round.picked = option?.label ?? null;
    if (status !== 'skipped') for (const r of this.rounds) r.votes += 1;
    const conclusion = this.conclusionFor(round);
    round.canUndo = conclusion === null;
    round.progress = conclusion ?? progressOf(round.votes);
    this.push({ pendingVotes: this.openRounds() });
    return { round: this.shown(round), duplicate: false, conclusion };
  }

  async undoVote(taskId: string): Promise<VoteRoundView> {
    this.record('undoVote', [taskId]);
    const round = this.rounds.find((r) => r.taskId === taskId);
    if (!round) throw apiError(`no vote round for task '${taskId}'`, 'unknown_round');
    if (round.status === 'open') throw apiError(`task '${taskId}' has no vote to take back`, 'not_voted');
    if (!round.canUndo) throw apiError('this test has already been decided, so the vote can no longer be taken back', 'session_closed');
    if (round.status !== 'skipped') for (const r of this.rounds) r.votes -= 1;
    Object.assign(round, { status: 'open', picked: null, canUndo: false, progress: progressOf(round.votes) });
    this.push({ pendingVotes: this.openRounds() });
    return this.shown(round);
  }

  async setPreference<K extends PreferenceKey>(key: K, value: PreferencesView[K]): Promise<PreferencesView> {
    this.record('setPreference', [key, value]);
    const refusal = this.refusePreference(key, value);
    if (refusal) throw apiError(refusal, 'invalid_preference');
    this.push({ preferences: { ...this.state.preferences, [key]: value } });
    if (key === 'showConfidenceBeforeVote') this.push({ pendingVotes: this.openRounds() });
    return clone(this.state.preferences);
  }

  async restoreDefaults(): Promise<PreferencesView> {
    this.record('restoreDefaults', []);
    this.push({ preferences: defaultPreferences() });
    return clone(this.state.preferences);
  }

  async useLastGoodConfig(): Promise<string> {
    this.record('useLastGoodConfig', []);
    if (!this.state.configProblems) throw apiError('config.yaml has no errors: there is nothing to restore', 'config_valid');
    const kept = `${this.state.configProblems.file}.broken-2026-11-20T10-00-00-000Z`;
    this.push({ configProblems: null });
    return `config.yaml is back as it last worked. The file with errors was kept as ${kept}.`;
  }

  async setWatchFolder(folder: string): Promise<void> {
    this.record('setWatchFolder', [folder]);
    if (!folder.startsWith('/') && !folder.startsWith('~')) throw apiError(`There is nothing at ${folder}.`, 'invalid_preference');
    this.push({ watch: { enabled: true, folders: [folder], problem: null } });
  }

  async getHistory(skill: string): Promise<HistoryView> {
    this.record('getHistory', [skill]);
    const history = this.histories.get(skill);
    if (!history) throw apiError(`unknown skill '${skill}'`, 'unknown_skill');
    return clone(history);
  }

  private activate(skill: string, version: number, prompt: string, source: string, patch: Partial<SkillView> = {}): HistoryView {
    const history = this.histories.get(skill) ?? { skill, versions: [] };
    this.histories.set(skill, history);
    const at = nowIso();
    for (const v of history.versions) {
      if (v.current) {
        v.current = false;
        v.activeTo = at;
      }
    }
    history.versions.push({
      version,
      templatePath: `skills/${skill}-v${version}.md`,
      prompt,
      activeFrom: at,
      activeTo: null,
      accuracyEnd: null,
      source,
      notes: null,
      current: true,
      learnedFrom: null,
    });
    this.updateSkill(skill, { version, activeSince: at, ...patch });
    return clone(history);
  }

  async rollback(skill: string, version: number): Promise<HistoryView> {
    this.record('rollback', [skill, version]);
    const history = this.histories.get(skill);
    const target = history?.versions.find((v) => v.version === version);
    if (!history || !target) throw apiError(`${skill} has no version ${version}`, 'unknown_version');
    const current = history.versions.find((v) => v.current);
    if (current?.version === version) throw apiError(`${skill} already runs version ${version}`, 'same_version');
    return this.activate(skill, version, target.prompt, 'rollback', {
      state: {
        kind: 'rolled-back',
        label: 'Rolled back',
        detail: `Back to version ${version}; 0 results of 20 reviewed since.`,
        tone: 'warn',
      },
    });
  }

  async promote(skill: string, letter: string): Promise<HistoryView> {
    this.record('promote', [skill, letter]);
    const review = this.skill(skill).review;
    if (!review || review.letter !== letter) throw apiError(`${skill} has no A/B session to promote from`, 'unknown_session');
    const versions = this.histories.get(skill)?.versions ?? [];
    const next = Math.max(this.skill(skill).version, ...versions.map((v) => v.version)) + 1;
    return this.activate(skill, next, review.newPrompt, 'promotion', {
      review: null,
      state: { kind: 'promoted', label: 'Promoted', detail: `Version ${next} is in use; 0 results of 20 reviewed since.`, tone: 'good' },
    });
  }

  async resetToDefault(skill: string): Promise<HistoryView> {
    this.record('resetToDefault', [skill]);
    const view = this.skill(skill);
    if (view.version === 1) throw apiError(`${skill} already runs its default prompt (version 1)`, 'already_default');
    const target = this.histories.get(skill)?.versions.find((v) => v.version === 1);
    return this.activate(skill, 1, target?.prompt ?? '', 'rollback', {
      canReset: false,
      resetSuggestion: null,
      state: { kind: 'rolled-back', label: 'Rolled back', detail: 'Back to version 1; 0 results of 20 reviewed since.', tone: 'warn' },
    });
  }

  async pinTask(taskId: string): Promise<void> {
    this.record('pinTask', [taskId]);
    this.setPinned(taskId, true);
  }

  async unpinTask(taskId: string): Promise<void> {
    this.record('unpinTask', [taskId]);
    this.setPinned(taskId, false);
  }

  private setPinned(taskId: string, pinned: boolean): void {
    const skill = this.state.skills.find((s) => s.review?.samples.some((x) => x.taskId === taskId));
    if (!skill?.review) throw apiError(`unknown task '${taskId}'`, 'unknown_task');
    const samples = skill.review.samples.map((x) => (x.taskId === taskId ? { ...x, pinned } : x));
    this.updateSkill(skill.skill, { review: { ...skill.review, samples } });
  }

  async joinTeam(folder: string, member: string | null): Promise<void> {
    this.record('joinTeam', [folder, member]);
    const name = member ?? this.state.team.defaultMember;
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name))
      throw apiError(`'${name}' is not a member name (letters, digits, - _ .)`, 'bad_member');
    this.push({ team: { ...this.state.team, folder, member: name } });
  }

  async leaveTeam(): Promise<void> {
    this.record('leaveTeam', []);
    this.push({ team: { ...this.state.team, folder: null, member: null, teammates: [], skipped: [] } });
  }

  async testTeammateVersion(member: string, skill: string): Promise<void> {
    this.record('testTeammateVersion', [member, skill]);
    this.startTeamTest(skill, `${member}'s version`);
  }

  async joinTeammateTest(member: string, skill: string): Promise<void> {
    this.record('joinTeammateTest', [member, skill]);
    this.startTeamTest(skill, `${member}'s test`);
  }

  async dismissTeamOffer(key: string): Promise<void> {
    this.record('dismissTeamOffer', [key]);
    this.push({ skills: this.state.skills.map((s) => (s.teamOffer?.key === key ? { ...s, teamOffer: null } : s)) });
  }

  /** A team action starts a test of the skill: nothing else can start for it until it ends. */
  private startTeamTest(skill: string, what: string): void {
    this.skill(skill);
    const busy = 'A test of this skill is under way here.';
    const teammates = this.state.team.teammates.map((t) => ({
      ...t,
      // As the engine says it: "You run this version." comes before the running test.
      versions: t.versions.map((v) => (v.skill === skill && v.note !== 'You run this version.' ? { ...v, canTest: false, note: busy } : v)),
      tests: t.tests.map((x) => (x.skill === skill ? { ...x, canJoin: false, note: busy } : x)),
    }));
    this.push({
      team: { ...this.state.team, teammates },
      skills: this.state.skills.map((s) =>
        s.skill === skill
          ? {
              ...s,
              canEvolve: false,
              teamOffer: null,
              state: { kind: 'testing', label: 'Testing (0 votes)', detail: `An A/B test with ${what} has started.`, tone: 'accent' },
            }
          : s,
      ),
    });
  }

  async keepCurrent(skill: string): Promise<void> {
    this.record('keepCurrent', [skill]);
    if (!this.skill(skill).review) throw apiError(`${skill} has no winner waiting for review`, 'nothing_to_review');
    this.updateSkill(skill, {
      review: null,
      state: { kind: 'healthy', label: 'Healthy', detail: 'You kept 90% of its last 24 results.', tone: 'good' },
    });
  }

  async setEvolutionPaused(paused: boolean): Promise<void> {
    this.record('setEvolutionPaused', [paused]);
    this.push({ evolutionPaused: paused });
  }

  async runMonitor(): Promise<void> {
    this.record('runMonitor', []);
  }

  async pullModel(): Promise<void> {
    this.record('pullModel', []);
    this.push({ model: { ...this.state.model, download: { downloadedBytes: 0, totalBytes: 270_000_000 }, error: null } });
  }

  async startEvolution(skill: string): Promise<void> {
    this.record('startEvolution', [skill]);
    const current = this.skill(skill);
    if (this.state.evolutionPaused) throw apiError('evolution is paused: resume it first', 'paused');
    if (!current.canEvolve) throw apiError(`${skill} cannot evolve now`, 'not_evolvable');
    this.updateSkill(skill, {
      canEvolve: false,
      state: {
        kind: 'evolving',
        label: 'Evolving (writing the first prompts, 0 of 19)',
        detail: 'tinyArms is writing and scoring new prompts from your corrections.',
        tone: 'accent',
      },
      evolution: {
        status: 'running',
        step: 'Writing the first prompts (0 of 19)',
        fraction: 0,
        timeLeft: null,
        elsewhere: false,
        note: null,
      },
    });
  }

  async cancelEvolution(skill: string): Promise<void> {
    this.record('cancelEvolution', [skill]);
    const evolution = this.skill(skill).evolution;
    if (evolution?.status !== 'running') throw apiError(`${skill} has no evolution or A/B test running here`, 'nothing_running');
    if (evolution.elsewhere) throw apiError(`${skill} is evolving from the command line: stop it there`, 'elsewhere');
    this.updateSkill(skill, {
      canEvolve: true,
      state: {
        kind: 'needs-prompt',
        label: 'Needs a better prompt',
        detail: 'The evolution stopped: resume it, or dismiss it.',
        tone: 'bad',
      },
      evolution: {
        ...evolution,
        status: 'stopped',
        step: evolution.step.replace(/^Generation/, 'Stopped after generation'),
        timeLeft: null,
        note: 'Resume it where it stopped, or dismiss it.',
      },
    });
  }

  async dismissEvolution(skill: string): Promise<void> {
    this.record('dismissEvolution', [skill]);
    const evolution = this.skill(skill).evolution;
    if (evolution && (evolution.status === 'running' || evolution.status === 'pausing'))
      throw apiError(`${skill} is still evolving: cancel it first`, 'evolution_running');
    this.updateSkill(skill, { evolution: null });
  }

  private pendingProposal(id: string): ProposalView {
    const proposal = this.state.proposals.find((p) => p.id === id);
    if (!proposal) throw apiError(`unknown proposal '${id}'`, 'unknown_proposal');
    if (proposal.status !== 'pending') throw apiError(`proposal ${id} was already decided (${proposal.status})`, 'decided');
    return proposal;
  }

  /** Renames as the engine would: the proposal leaves the list and becomes the last rename. */
  private renameTo(proposal: ProposalView, to: string): ProposalDecisionView {
    const done: ProposalView = { ...proposal, status: 'renamed', finalName: to };
    const at = nowIso();
    this.push({
      proposals: this.state.proposals.filter((p) => p.id !== proposal.id),
      lastRename: { id: `ren_${proposal.id}`, folder: proposal.folder, from: proposal.name, to, at },
    });
    this.renamed.push({ from: proposal.name, to });
    // The engine says what it did: the rename, and for a vote, that it counted.
    const renamed = `Renamed ${proposal.name} to ${to}.`;
    return {
      proposal: clone(done),
      notes: proposal.kind === 'vote' ? [renamed, 'Your vote counted: 8 votes so far; a decision usually within ~12 more.'] : [renamed],
    };
  }

  /** Renames done through the fake, oldest first (undo pops them). */
  readonly renamed: { from: string; to: string }[] = [];

  async acceptProposal(id: string, option?: string): Promise<ProposalDecisionView> {
    this.record('acceptProposal', [id, option]);
    const proposal = this.pendingProposal(id);
    if (proposal.kind === 'vote') {
      const picked = proposal.options.find((o) => o.label === option);
      if (!picked) throw apiError(`proposal ${id} is a vote: pick one of the options ${proposal.options.map((o) => o.label).join(', ')}`);
      if (!picked.name) throw apiError(`option ${picked.label} is not a usable file name: edit instead`, 'unusable_name');
      return this.renameTo(proposal, picked.name);
    }
    if (!proposal.proposed) throw apiError(`proposal ${id} has no usable name: edit it or skip it`, 'unusable_name');
    return this.renameTo(proposal, proposal.proposed);
  }

  async editProposal(id: string, name: string, option?: string): Promise<ProposalDecisionView> {
    this.record('editProposal', [id, name, option]);
    const proposal = this.pendingProposal(id);
    const extension = /\.[^.]+$/.exec(proposal.name)?.[0] ?? '';
    const safe = name.trim().replace(/[/:]/g, '-');
    return this.renameTo(proposal, safe.toLowerCase().endsWith(extension.toLowerCase()) ? safe : `${safe}${extension}`);
  }

  async skipProposal(id: string): Promise<ProposalDecisionView> {
    this.record('skipProposal', [id]);
    const proposal = this.pendingProposal(id);
    this.push({ proposals: this.state.proposals.filter((p) => p.id !== id) });
    return { proposal: { ...clone(proposal), status: 'skipped', note: 'Skipped; no feedback recorded' }, notes: [] };
  }

  async dismissProposal(id: string): Promise<void> {
    this.record('dismissProposal', [id]);
    if (!this.state.proposals.some((p) => p.id === id)) throw apiError(`unknown proposal '${id}'`, 'unknown_proposal');
    this.push({ proposals: this.state.proposals.filter((p) => p.id !== id) });
  }

  async undoRenames(count: number): Promise<string[]> {
    this.record('undoRenames', [count]);
    const undone = this.renamed.splice(Math.max(0, this.renamed.length - count)).reverse();
    if (undone.length === 0 && this.state.lastRename) undone.push({ from: this.state.lastRename.from, to: this.state.lastRename.to });
    this.push({ lastRename: null });
    return undone.length ? undone.map((r) => `Restored ${r.from} (was ${r.to})`) : ['Nothing to undo.'];
  }

  async getThumbnail(proposalId: string): Promise<string | null> {
    this.record('getThumbnail', [proposalId]);
    return this.thumbnails.get(proposalId) ?? null;
  }

  async openWindow(route: WindowRoute): Promise<void> {
    this.record('openWindow', [route]);
    this.onOpenWindow?.(route);
  }

  async closeWindow(): Promise<void> {
    this.record('closeWindow', []);
  }

  private shellOnly(what: string): void {
    if (this.state.shell.kind === 'browser')
      throw apiError(`${what} needs the tinyArms app; in the browser, type the path instead`, 'not_available');
  }

  async chooseFile(kind: FileChoice): Promise<string | null> {
    this.record('chooseFile', [kind]);
    this.shellOnly('choosing a file');
    return this.chosenFile;
  }

  async revealInFinder(path: string): Promise<void> {
    this.record('revealInFinder', [path]);
    this.shellOnly('showing a file in Finder');
  }

  async openConfigFile(): Promise<void> {
    this.record('openConfigFile', []);
    this.shellOnly('opening config.yaml');
  }

  async fitWindow(height: number): Promise<void> {
    this.record('fitWindow', [height]);
  }
}
