import { deferred } from '../util/deferred';
import { AbortError } from './abort';

export interface Slot<T> {
  value: T;
  /** Which context the slot's sequence lives in; slots of one context share its threads. */
  group: number;
}

interface Entry<T> extends Slot<T> {
  /** The text the slot's sequence last evaluated: its KV cache still holds it. */
  last: string;
}

interface Waiter<T> {
  text: string;
  /** Only slots of these contexts (e.g. to warm a prefix in a context of a given shape); any when absent. */
  groups?: ReadonlySet<number>;
  resolve: (slot: Entry<T>) => void;
  reject: (error: unknown) => void;
}

/**
 * Hands out a fixed set of slots (one per context sequence); callers beyond that wait in order.
 *
 * A free slot is chosen in the least busy context first, then for the text it will run: the one whose last
 * text shares the longest prefix with it (llama.cpp then evaluates only the new tail). Context first because
 * contexts run on separate cores while a context's sequences share its thread: on CPU a second sequence in a
 * busy context roughly halves both requests' speed, whereas a prefix that leaves its sequence comes back from
 * its KV snapshot in milliseconds (PrefixCache) on whichever sequence serves it.
 */
export class SlotPool<T> {
  private free: Entry<T>[];
  private readonly busy = new Map<T, Entry<T>>();
  private readonly waiters: Waiter<T>[] = [];
  /** Set while the slots are being replaced: released slots stay free, callers wait. */
  private draining: ReturnType<typeof deferred<void>> | null = null;

  constructor(slots: readonly Slot<T>[]) {
    this.free = slots.map((slot) => ({ ...slot, last: '' }));
  }

  /** A free slot for `text` (see pick), waiting in order when none is; `groups` limits it to slots of those contexts. */
  acquire(signal?: AbortSignal, text = '', groups?: ReadonlySet<number>): Promise<T> {
    if (signal?.aborted) return Promise.reject(new AbortError(undefined, { cause: signal.reason }));
    const now = this.draining ? null : this.pick(text, groups);
    if (now) return Promise.resolve(this.take(now, text));
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        text,
        groups,
        resolve: (entry) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.take(entry, text));
        },
        reject,
      };
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(new AbortError(undefined, { cause: signal?.reason }));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  release(value: T): void {
    const entry = this.busy.get(value);
    if (!entry) return;
    this.busy.delete(value);
    if (this.draining) {
      this.free.push(entry);
      if (this.busy.size === 0) this.draining.resolve();
      return;
    }
    const index = this.waiters.findIndex((w) => inGroups(w.groups, entry));
    if (index >= 0) this.waiters.splice(index, 1)[0].resolve(entry);
    else this.free.push(entry);
  }

  /**
   * Stops handing out slots and resolves once every slot is back (running requests finish; new callers wait in
   * order), so the slots can be swapped for others with replace().
   */
  drain(): Promise<void> {
    if (!this.draining) {
      this.draining = deferred<void>();
      if (this.busy.size === 0) this.draining.resolve();
    }
    return this.draining.promise;
  }

  /** After drain(): the pool's slots become `slots` and the callers that waited get them, in order. */
  replace(slots: readonly Slot<T>[]): void {
    if (this.busy.size > 0) throw new Error('SlotPool.replace while slots are in use: drain() first');
    this.free = slots.map((slot) => ({ ...slot, last: '' }));
    this.draining?.resolve();
    this.draining = null;
    for (const waiter of [...this.waiters]) {
      // A caller that waited for contexts that are gone takes any slot of the new ones.
      if (waiter.groups && !this.free.some((entry) => waiter.groups!.has(entry.group))) waiter.groups = undefined;
      const entry = this.pick(waiter.text, waiter.groups);
      if (!entry) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve(entry);
    }
  }

  /** Rejects everyone still waiting (the pool's model is going away). */
  rejectWaiters(error: unknown): void {
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }

  /** Free slot for `text`: in the least busy context, the one whose last text shares the longest prefix with it. */
  private pick(text: string, groups?: ReadonlySet<number>): Entry<T> | null {
    const load = new Map<number, number>();
    for (const entry of this.busy.values()) load.set(entry.group, (load.get(entry.group) ?? 0) + 1);
    let best = -1;
    let bestShared = -1;
    let bestLoad = Infinity;
    this.free.forEach((entry, i) => {
      if (!inGroups(groups, entry)) return;
      const shared = sharedPrefix(entry.last, text);
      const busy = load.get(entry.group) ?? 0;
      if (busy < bestLoad || (busy === bestLoad && shared > bestShared)) {
        best = i;
        bestShared = shared;
        bestLoad = busy;
      }
    });
    return best < 0 ? null : this.free.splice(best, 1)[0];
  }

  private take(entry: Entry<T>, text: string): T {
    entry.last = text;
    this.busy.set(entry.value, entry);
    return entry.value;
  }
}

const inGroups = (groups: ReadonlySet<number> | undefined, slot: { group: number }): boolean => !groups || groups.has(slot.group);

/** Characters two texts share from the start. */
export function sharedPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}
