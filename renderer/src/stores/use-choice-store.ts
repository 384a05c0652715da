import { create } from 'zustand';
import type { TinyArmsApi, VoteResultView, VoteRoundView } from '../../../contract/api';
import { errorMessage } from '../lib/format';

/**
 * loading → ready (a round, no confidence shown) → voting → revealed (what the vote did: every option's
 * confidence, how far the test is; Undo or Next) → the next round, or done.
 */
export type ChoicePhase = 'loading' | 'ready' | 'voting' | 'revealed' | 'undoing' | 'done' | 'error';

export interface ChoiceStore {
  phase: ChoicePhase;
  /** The round being asked (ready, voting) or just answered (revealed). */
  round: VoteRoundView | null;
  /** What the last vote did, shown until Next. */
  result: VoteResultView | null;
  /** The choice being sent, for the pressed look while the vote is in flight. */
  pending: string | null;
  /** A refused vote or a failed load, one line. */
  error: string | null;
  load(api: TinyArmsApi, taskId?: string): Promise<void>;
  vote(api: TinyArmsApi, choice: string): Promise<void>;
  /** Takes the last vote back: its round is asked again. */
  undo(api: TinyArmsApi): Promise<void>;
  /** From the reveal to the next round. */
  next(api: TinyArmsApi): Promise<void>;
}

const initial = {
  phase: 'loading' as ChoicePhase,
  round: null,
  result: null,
  pending: null,
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
      set(
        isOpen(round)
          ? { phase: 'ready', round, pending: null, result: null }
          : { phase: 'done', round: null, pending: null, result: null },
      );
    } catch (error) {
      set({ phase: 'error', error: errorMessage(error), pending: null });
    }
  },

  async vote(api, choice) {
    const { round, phase } = get();
    if (!round || phase !== 'ready') return;
    set({ phase: 'voting', pending: choice, error: null });
    try {
      const result = await api.vote(round.taskId, choice);
      // A skip counts for nothing: there is nothing to show, so on to the next round.
      if (result.round.status === 'skipped') return await get().load(api);
      set({ phase: 'revealed', result, round: result.round, pending: null });
    } catch (error) {
      // The option's arm lost while the round was on screen: the same round again, without it.
      if ((error as { code?: string }).code === 'option_withdrawn') {
        set({ error: 'That option has just left the test. Pick one of those shown now.', pending: null });
        return await get().load(api, round.taskId);
      }
      // A refused vote (e.g. the test ended meanwhile) is shown, and the next round loads anyway.
      set({ error: errorMessage(error), pending: null });
      await get().load(api);
    }
  },

  async undo(api) {
    const { result, phase } = get();
    if (!result || phase !== 'revealed') return;
    set({ phase: 'undoing', error: null });
    try {
      const round = await api.undoVote(result.round.taskId);
      set({ phase: 'ready', round, result: null });
    } catch (error) {
      set({ phase: 'revealed', error: errorMessage(error) });
    }
  },

  async next(api) {
    set({ result: null, error: null });
    await get().load(api);
  },
}));

export const resetChoiceStore = (): void => useChoiceStore.setState(initial);
