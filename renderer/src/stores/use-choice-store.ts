import { create } from 'zustand';
import type { TinyArmsApi, VoteRoundView } from '../../../contract/api';
import { errorMessage } from '../lib/format';

export type ChoicePhase = 'loading' | 'ready' | 'voting' | 'done' | 'error';

export interface ChoiceStore {
  phase: ChoicePhase;
  round: VoteRoundView | null;
  /** The choice being sent, for the pressed look while the vote is in flight. */
  pending: string | null;
  /** The engine's sentence when a vote ended an A/B test (promotion or not). */
  conclusion: string | null;
  /** A refused vote or a failed load, one line. */
  error: string | null;
  load(api: TinyArmsApi, taskId?: string): Promise<void>;
  vote(api: TinyArmsApi, choice: string): Promise<void>;
}

const initial = {
  phase: 'loading' as ChoicePhase,
  round: null,
  pending: null,
  conclusion: null,
  error: null,
} satisfies Partial<ChoiceStore>;

const isOpen = (round: VoteRoundView | null): round is VoteRoundView => round !== null && round.status === 'open';

export const useChoiceStore = create<ChoiceStore>()((set, get) => ({
  ...initial,

  async load(api, taskId) {
    if (!get().round) set({ phase: 'loading' });
    try {
      let round = await api.getRound(taskId);
      // A specific round that was answered meanwhile: go on with the oldest waiting one.
      if (taskId && !isOpen(round)) round = await api.getRound();
      set(isOpen(round) ? { phase: 'ready', round, pending: null } : { phase: 'done', round: null, pending: null });
    } catch (error) {
      set({ phase: 'error', error: errorMessage(error), pending: null });
    }
  },

  async vote(api, choice) {
    const { round, phase } = get();
    if (!round || phase === 'voting') return;
    set({ phase: 'voting', pending: choice, error: null });
    try {
      const result = await api.vote(round.taskId, choice);
      set((s) => ({ conclusion: result.conclusion ?? s.conclusion }));
    } catch (error) {
      // A refused vote (e.g. the test ended meanwhile) is shown, and the next round loads anyway.
      set({ error: errorMessage(error) });
    }
    await get().load(api);
  },
}));

export const resetChoiceStore = (): void => useChoiceStore.setState(initial);
