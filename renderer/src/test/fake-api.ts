import type {
  ApiMethod, AppStateView, HistoryView, PreferenceKey, PreferencesView, ProposalDecisionView, ProposalView, TinyArmsApi,
  VoteRoundView, WindowRoute,
} from '../../../contract/api';
import { makeState } from './fixtures';

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

/**
 * An in-memory TinyArmsApi that behaves like the engine in the ways the renderer relies on: state pushes with
 * rising revisions, idempotent votes, preference refusals, history with rollback. Every call is recorded.
 */
export class FakeApi implements TinyArmsApi {
  state: AppStateView;
  rounds: VoteRoundView[];
  histories = new Map<string, HistoryView>();
  readonly calls: Calls[] = [];
  /** Methods that reject with the given one-line message. */
  failures: Partial<Record<ApiMethod, string>> = {};
  /** The engine's validation of a preference: an error line, or null to accept. */
  refusePreference: (key: PreferenceKey, value: unknown) => string | null = () => null;
  /** The conclusion sentence a vote returns (e.g. once a test is decided). */
  conclusionFor: (round: VoteRoundView) => string | null = () => null;
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
    if (failure) throw new Error(failure);
  }

  private openRounds(): VoteRoundView[] {
    return this.rounds.filter((r) => r.status === 'open');
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
    const round = taskId ? this.rounds.find((r) => r.taskId === taskId) : this.openRounds()[0];
    if (taskId && !round) throw new Error(`no vote round for task '${taskId}'`);
    return round ? clone(round) : null;
  }

  async vote(taskId: string, choice: string) {
    this.record('vote', [taskId, choice]);
    const round = this.rounds.find((r) => r.taskId === taskId);
    if (!round) throw new Error(`no vote round for task '${taskId}'`);
    const normalized = choice.trim().toLowerCase();
    const option = round.options.find((o) => o.label === normalized);
    if (!option && normalized !== 'none' && normalized !== 'skip') throw new Error(`unknown option '${choice}' for task '${taskId}'`);
    const status = option ? 'picked' : normalized === 'none' ? 'none' : 'skipped';
    if (round.status !== 'open') {
      if (round.status === status && round.picked === (option?.label ?? null)) return { round: clone(round), duplicate: true, conclusion: null };
      throw new Error(`task '${taskId}' was already answered`);
    }
    round.status = status;
    round.picked = option?.label ?? null;
    if (status !== 'skipped') {
      for (const r of this.rounds) if (r.sessionId === round.sessionId) r.votes += 1;
    }
    const conclusion = this.conclusionFor(round);
    this.push({ pendingVotes: this.openRounds() });
    return { round: clone(round), duplicate: false, conclusion };
  }

  async setPreference<K extends PreferenceKey>(key: K, value: PreferencesView[K]): Promise<PreferencesView> {
    this.record('setPreference', [key, value]);
    const refusal = this.refusePreference(key, value);
    if (refusal) throw new Error(refusal);
    this.push({ preferences: { ...this.state.preferences, [key]: value } });
    return clone(this.state.preferences);
  }

  async getHistory(skill: string): Promise<HistoryView> {
    this.record('getHistory', [skill]);
    const history = this.histories.get(skill);
    if (!history) throw new Error(`unknown skill '${skill}'`);
    return clone(history);
  }

  private activate(skill: string, version: number, prompt: string, source: string): HistoryView {
    const history = this.histories.get(skill);
    if (!history) throw new Error(`unknown skill '${skill}'`);
    const at = nowIso();
    for (const v of history.versions) {
      if (v.current) {
        v.current = false;
        v.activeTo = at;
      }
    }
    history.versions.push({ version, templatePath: `skills/${skill}-v${version}.md`, prompt, activeFrom: at, activeTo: null, accuracyEnd: null, source, notes: null, current: true });
    this.push({ skills: this.state.skills.map((s) => (s.skill === skill ? { ...s, version, activeSince: at } : s)) });
    return clone(history);
  }

  async rollback(skill: string, version: number): Promise<HistoryView> {
    this.record('rollback', [skill, version]);
    const history = this.histories.get(skill);
    const target = history?.versions.find((v) => v.version === version);
    if (!history || !target) throw new Error(`${skill} has no version ${version}`);
    const current = history.versions.find((v) => v.current);
    if (current?.version === version) throw new Error(`${skill} already runs version ${version}`);
    return this.activate(skill, version, target.prompt, `rollback from version ${current?.version}`);
  }

  async promote(skill: string, letter: string): Promise<HistoryView> {
    this.record('promote', [skill, letter]);
    const history = this.histories.get(skill);
    if (!history) throw new Error(`${skill} has no A/B session to promote from`);
    const next = Math.max(...history.versions.map((v) => v.version)) + 1;
    const arm = this.state.skills.find((s) => s.skill === skill)?.session?.arms.find((a) => a.letter === letter);
    return this.activate(skill, next, arm?.prompt ?? `Variant ${letter}\n{{input}}`, `A/B session (variant ${letter}, promoted by hand)`);
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

  async cancelEvolution(skill: string): Promise<void> {
    this.record('cancelEvolution', [skill]);
    this.push({
      skills: this.state.skills.map((s) => (s.skill === skill && s.evolution ? { ...s, evolution: { ...s.evolution, phase: 'cancelled', etaSeconds: null } } : s)),
    });
  }

  private pendingProposal(id: string): ProposalView {
    const proposal = this.state.proposals.find((p) => p.id === id);
    if (!proposal) throw new Error(`unknown proposal '${id}'`);
    if (proposal.status !== 'pending') throw new Error(`proposal ${id} was already decided (${proposal.status})`);
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
    return { proposal: clone(done), notes: [] };
  }

  /** Renames done through the fake, oldest first (undo pops them). */
  readonly renamed: { from: string; to: string }[] = [];

  async acceptProposal(id: string, option?: string): Promise<ProposalDecisionView> {
    this.record('acceptProposal', [id, option]);
    const proposal = this.pendingProposal(id);
    if (proposal.kind === 'vote') {
      const picked = proposal.options.find((o) => o.label === option);
      if (!picked) throw new Error(`proposal ${id} is a vote: pick one of the options ${proposal.options.map((o) => o.label).join(', ')}`);
      if (!picked.name) throw new Error(`option ${picked.label} is not a usable file name: edit instead`);
      return this.renameTo(proposal, picked.name);
    }
    if (!proposal.proposed) throw new Error(`proposal ${id} has no usable name: edit it or skip it`);
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
    if (!this.state.proposals.some((p) => p.id === id)) throw new Error(`unknown proposal '${id}'`);
    this.push({ proposals: this.state.proposals.filter((p) => p.id !== id) });
  }

  async undoRenames(count: number): Promise<string[]> {
    this.record('undoRenames', [count]);
    const undone = this.renamed.splice(Math.max(0, this.renamed.length - count)).reverse();
    if (undone.length === 0 && this.state.lastRename) undone.push({ from: this.state.lastRename.from, to: this.state.lastRename.to });
    this.push({ lastRename: null });
    return undone.length ? undone.map((r) => `Restored ${r.from} (was ${r.to})`) : ['Nothing to undo.'];
  }

  async openWindow(route: WindowRoute): Promise<void> {
    this.record('openWindow', [route]);
    this.onOpenWindow?.(route);
  }

  async closeWindow(): Promise<void> {
    this.record('closeWindow', []);
  }
}
