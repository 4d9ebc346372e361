// AskGate: at most `slots` guests asked at once, first come first served; a slow one gives its
// place up after `patienceMs` and finishes outside; a failed ask frees its place too.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AskGate } from '../../src/collectors/ask-gate.js';

/** An ask that ends when told to. */
function deferred(): { promise: Promise<string>; done: (v: string) => void; fail: (e: Error) => void } {
  let done!: (v: string) => void;
  let fail!: (e: Error) => void;
  const promise = new Promise<string>((res, rej) => {
    done = res;
    fail = rej;
  });
  return { promise, done, fail };
}

describe('AskGate', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets `slots` asks in at once, the others in the order they came as places free', async () => {
    const gate = new AskGate({ slots: 2, patienceMs: 100 });
    const asks = Array.from({ length: 5 }, () => deferred());
    const started: number[] = [];
    const results = asks.map((d, i) =>
      gate.run(() => {
        started.push(i);
        return d.promise;
      }),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual([0, 1]);
    expect([gate.inside, gate.queued]).toEqual([2, 3]);
    asks[1]!.done('b');
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual([0, 1, 2]);
    expect(await results[1]).toBe('b');
    asks[0]!.fail(new Error('gone'));
    await expect(results[0]).rejects.toThrow('gone'); // a failed ask frees its place too
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual([0, 1, 2, 3]);
    for (const d of asks.slice(2)) d.done('x');
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    await Promise.all(results.slice(2));
    expect([gate.inside, gate.queued]).toEqual([0, 0]);
  });

  it('a hung ask gives its place up after patienceMs and still ends with its own result', async () => {
    const gate = new AskGate({ slots: 1, patienceMs: 100 });
    const hung = deferred();
    const next = deferred();
    let nextStarted = false;
    const first = gate.run(() => hung.promise);
    const second = gate.run(() => {
      nextStarted = true;
      return next.promise;
    });
    await vi.advanceTimersByTimeAsync(99);
    expect(nextStarted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(nextStarted).toBe(true); // the hung one delays the others by its patience only
    next.done('fast');
    expect(await second).toBe('fast');
    expect(gate.inside).toBe(0); // the hung one is outside now: its end must not free a place twice
    hung.done('late');
    expect(await first).toBe('late');
    expect(gate.inside).toBe(0);
    const a = gate.run(() => Promise.resolve('a'));
    const b = gate.run(() => Promise.resolve('b'));
    expect([gate.inside, gate.queued]).toEqual([1, 1]); // still one place, not two
    expect(await Promise.all([a, b])).toEqual(['a', 'b']);
  });

  it('refuses a gate without places', () => {
    expect(() => new AskGate({ slots: 0, patienceMs: 100 })).toThrow(/positive integer/);
  });
});
