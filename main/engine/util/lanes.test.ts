import { describe, expect, it } from 'vitest';
import { Lanes } from './lanes';

const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
};

describe('Lanes', () => {
  it('runs at most `size` jobs at once and starts the waiting ones in the order they came', async () => {
    const lanes = new Lanes(2);
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    const jobs = gates.map((g, i) =>
      lanes.run(async () => {
        started.push(i);
        await g.opened;
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(lanes.running).toBe(2);
    gates[1].open();
    await jobs[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    expect(lanes.running).toBe(2);
    for (const g of gates) g.open();
    expect(await Promise.all(jobs)).toEqual([0, 1, 2, 3]);
    expect(lanes.running).toBe(0);
  });

  it('frees the lane of a job that throws, and passes the error to its caller only', async () => {
    const lanes = new Lanes(1);
    const failing = lanes.run(async () => {
      throw new Error('boom');
    });
    const next = lanes.run(async () => 'next');
    await expect(failing).rejects.toThrow('boom');
    expect(await next).toBe('next');
    expect(lanes.running).toBe(0);
  });

  it('counts busy time only while a job runs', async () => {
    const lanes = new Lanes(2);
    expect(lanes.busyMs).toBe(0);
    await lanes.run(() => new Promise((resolve) => setTimeout(resolve, 5)));
    const afterFirst = lanes.busyMs;
    expect(afterFirst).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(lanes.busyMs).toBe(afterFirst);
  });

  it('refuses a size that is not a positive integer', () => {
    expect(() => new Lanes(0)).toThrow(/positive integer/);
    expect(() => new Lanes(1.5)).toThrow(/positive integer/);
  });
});
