import { create } from 'zustand';
import type { HistoryView, TinyArmsApi } from '../../../contract/api';
import { errorMessage, skillTitle } from '../lib/format';

export interface HistoryStore {
  skill: string | null;
  history: HistoryView | null;
  loading: boolean;
  error: string | null;
  /** Selected rows (indexes into history.versions; a version can appear twice after a rollback), at most two. */
  selected: number[];
  /** The version a rollback waits to be confirmed for. */
  confirmVersion: number | null;
  /** "Reset to default prompt" waits to be confirmed. */
  confirmReset: boolean;
  rollingBack: boolean;
  /** What the last rollback did, shown until the next action. */
  notice: string | null;
  selectSkill(api: TinyArmsApi, skill: string): Promise<void>;
  /** Reloads the shown skill's history, keeping what is selected. */
  refresh(api: TinyArmsApi): Promise<void>;
  toggleRow(index: number): void;
  askRollback(version: number): void;
  cancelRollback(): void;
  confirmRollback(api: TinyArmsApi): Promise<void>;
  askReset(): void;
  cancelReset(): void;
  resetToDefault(api: TinyArmsApi): Promise<void>;
}

const initial = {
  skill: null,
  history: null,
  loading: false,
  error: null,
  selected: [] as number[],
  confirmVersion: null,
  confirmReset: false,
  rollingBack: false,
  notice: null,
} satisfies Partial<HistoryStore>;

export const useHistoryStore = create<HistoryStore>()((set, get) => ({
  ...initial,

  async selectSkill(api, skill) {
    set({
      skill,
      history: get().skill === skill ? get().history : null,
      ...{ loading: true, error: null, selected: [], confirmVersion: null, confirmReset: false, notice: null },
    });
    try {
      const history = await api.getHistory(skill);
      if (get().skill === skill) set({ history, loading: false });
    } catch (error) {
      if (get().skill === skill) set({ history: null, loading: false, error: errorMessage(error) });
    }
  },

  async refresh(api) {
    const { skill } = get();
    if (!skill) return;
    try {
      const history = await api.getHistory(skill);
      if (get().skill === skill) set((s) => ({ history, selected: s.selected.filter((i) => i < history.versions.length) }));
    } catch (error) {
      if (get().skill === skill) set({ error: errorMessage(error) });
    }
  },

  toggleRow(index) {
    set(({ selected }) => {
      if (selected.includes(index)) return { selected: selected.filter((i) => i !== index), notice: null };
      // A third pick replaces the older of the two.
      return { selected: [...selected, index].slice(-2), notice: null };
    });
  },

  askRollback(version) {
    set({ confirmVersion: version, error: null, notice: null });
  },

  cancelRollback() {
    set({ confirmVersion: null });
  },

  async confirmRollback(api) {
    const { skill, confirmVersion } = get();
    if (!skill || confirmVersion === null) return;
    set({ rollingBack: true, error: null });
    try {
      const history = await api.rollback(skill, confirmVersion);
      set({
        history,
        selected: [],
        confirmVersion: null,
        rollingBack: false,
        notice: `${skillTitle(skill)} now runs version ${confirmVersion}.`,
      });
    } catch (error) {
      set({ confirmVersion: null, rollingBack: false, error: errorMessage(error) });
    }
  },

  askReset() {
    set({ confirmReset: true, error: null, notice: null });
  },

  cancelReset() {
    set({ confirmReset: false });
  },

  async resetToDefault(api) {
    const { skill } = get();
    if (!skill) return;
    const from = get().history?.versions.find((v) => v.current)?.version ?? null;
    set({ rollingBack: true, error: null });
    try {
      const history = await api.resetToDefault(skill);
      const undo = from !== null ? ` To undo, select version ${from} and roll back to it.` : '';
      const notice = `${skillTitle(skill)} now runs its default prompt (version 1).${undo}`;
      set({ history, selected: [], confirmReset: false, rollingBack: false, notice });
    } catch (error) {
      set({ confirmReset: false, rollingBack: false, error: errorMessage(error) });
    }
  },
}));

export const resetHistoryStore = (): void => useHistoryStore.setState(initial);
