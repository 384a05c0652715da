import { describe, expect, it } from 'vitest';
import { isAbortError } from './abort';
import { eventually } from '../../test-support/eventually';
import { sharedPrefix, SlotPool } from './slot-pool';

const pool = () =>
  new SlotPool([
    { value: 'c0-a', group: 0 },
    { value: 'c0-b', group: 0 },
    { value: 'c1-a', group: 1 },
    { value: 'c1-b', group: 1 },
  ]);

describe('SlotPool', () => {
  it('spreads fresh requests over contexts before doubling up on one', async () => {
    const slots = pool();
    const first = await slots.acquire(undefined, 'x');
    const second = await slots.acquire(undefined, 'y');
    expect(first.slice(0, 2)).not.toBe(second.slice(0, 2));
  });

  it('gives a prompt back the slot that last ran its prefix, even after others were used', async () => {
    const slots = pool();
    const template = 'Rename the file. Use kebab-case.\nFile: ';
    const a = await slots.acquire(undefined, `${template}IMG_1.jpg`);
    const b = await slots.acquire(undefined, 'A different prompt entirely');
    slots.release(a);
    slots.release(b);
    for (let i = 0; i < 5; i++) {
      const again = await slots.acquire(undefined, `${template}IMG_${i + 2}.jpg`);
      expect(again).toBe(a);
      slots.release(again);
    }
    const other = await slots.acquire(undefined, 'A different prompt, again');
    expect(other).toBe(b);
  });

  it('sends a prompt to an idle context rather than beside a busy sequence, even where its prefix last ran', async () => {
    const slots = pool();
    const template = 'Rename the file. Use kebab-case.\nFile: ';
    const contextOf = (slot: string) => slot.slice(0, 2);
    const held = await Promise.all([`${template}IMG_1.jpg`, 'b', 'c', 'd'].map((t) => slots.acquire(undefined, t)));
    const a = held[0];
    // Free a's slot and the whole other context; a's neighbour keeps running.
    for (const slot of held) if (slot === a || contextOf(slot) !== contextOf(a)) slots.release(slot);
    const next = await slots.acquire(undefined, `${template}IMG_2.jpg`);
    expect(contextOf(next)).not.toBe(contextOf(a));
  });

  it('queues callers beyond the slots in order and hands over released slots', async () => {
    const slots = pool();
    const held = await Promise.all(['1', '2', '3', '4'].map((t) => slots.acquire(undefined, t)));
    const order: string[] = [];
    const fifth = slots.acquire(undefined, '5').then((slot) => order.push(`5:${slot}`));
    const sixth = slots.acquire(undefined, '6').then((slot) => order.push(`6:${slot}`));
    slots.release(held[2]);
    slots.release(held[0]);
    await Promise.all([fifth, sixth]);
    expect(order).toEqual([`5:${held[2]}`, `6:${held[0]}`]);
  });

  it('a waiting caller can be aborted; rejectWaiters rejects the rest', async () => {
    const slots = new SlotPool([{ value: 1, group: 0 }]);
    await slots.acquire();
    const controller = new AbortController();
    const aborted = slots.acquire(controller.signal);
    const rejected = slots.acquire();
    controller.abort();
    expect(isAbortError(await aborted.catch((e: unknown) => e))).toBe(true);
    slots.rejectWaiters(new Error('gone'));
    await expect(rejected).rejects.toThrow('gone');
    await expect(slots.acquire(AbortSignal.abort())).rejects.toSatisfy(isAbortError);
  });

  it('drain waits for running slots and holds new callers; replace hands the new slots to them in order', async () => {
    const slots = new SlotPool([
      { value: 'old-a', group: 0 },
      { value: 'old-b', group: 1 },
    ]);
    const running = await slots.acquire(undefined, 'x');
    let drained = false;
    const drain = slots.drain().then(() => (drained = true));
    const order: string[] = [];
    const first = slots.acquire(undefined, 'y').then((slot) => order.push(`y:${slot}`));
    const second = slots.acquire(undefined, 'z').then((slot) => order.push(`z:${slot}`));
    await new Promise((resolve) => setTimeout(resolve, 5));
    // A slot was free, yet nobody got it: the pool is draining.
    expect(order).toEqual([]);
    expect(drained).toBe(false);
    slots.release(running);
    await drain;
    expect(order).toEqual([]);
    slots.replace([0, 1, 2].map((i) => ({ value: `new-${i}`, group: i })));
    await Promise.all([first, second]);
    expect(order).toEqual(['y:new-0', 'z:new-1']);
    // The old slots are gone for good.
    slots.release('old-a');
    expect(await slots.acquire()).toBe('new-2');
  });

  it('a caller can ask for slots of some contexts only; released slots go to the first waiter that takes them', async () => {
    const slots = pool();
    const held = await Promise.all(['1', '2', '3', '4'].map((t) => slots.acquire(undefined, t)));
    const order: string[] = [];
    const picky = slots.acquire(undefined, 'p', new Set([1])).then((slot) => order.push(`p:${slot}`));
    const any = slots.acquire(undefined, 'a').then((slot) => order.push(`a:${slot}`));
    slots.release(held.find((slot) => slot.startsWith('c0'))!);
    await any;
    expect(order).toEqual([expect.stringMatching(/^a:c0/)]);
    slots.release(held.find((slot) => slot.startsWith('c1'))!);
    await picky;
    expect(order[1]).toMatch(/^p:c1/);
    // Free slots of other contexts do not count for it.
    const free = new SlotPool([{ value: 'only-c0', group: 0 }]);
    let got = false;
    void free.acquire(undefined, '', new Set([1])).then(() => (got = true));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(got).toBe(false);
    // Once those contexts are gone (the slots replaced), it takes any slot.
    await free.drain();
    free.replace([{ value: 'new', group: 0 }]);
    await eventually(() => got, 5_000, 'the picky caller to get the new slot');
  });

  it('refuses to replace slots that are still in use', async () => {
    const slots = new SlotPool([{ value: 1, group: 0 }]);
    await slots.acquire();
    expect(() => slots.replace([{ value: 2, group: 0 }])).toThrow(/drain/);
  });

  it('ignores a release of something it did not hand out', async () => {
    const slots = new SlotPool([{ value: 1, group: 0 }]);
    slots.release(1);
    slots.release(2);
    expect(await slots.acquire()).toBe(1);
    let second = false;
    void slots.acquire().then(() => (second = true));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(second).toBe(false);
  });
});

describe('sharedPrefix', () => {
  it('counts the characters two texts share from the start', () => {
    expect(sharedPrefix('abcdef', 'abcxyz')).toBe(3);
    expect(sharedPrefix('', 'abc')).toBe(0);
    expect(sharedPrefix('abc', 'abc')).toBe(3);
  });
});
