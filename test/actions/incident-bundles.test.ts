// Automatic crash bundles are bounded: one collected at a time, at most BUNDLES_PER_WINDOW a
// minute host-wide; the rest are named in an event instead (pure: the store is a stand-in).
import { describe, expect, it } from 'vitest';
import { BUNDLE_WINDOW_MS, BUNDLES_PER_WINDOW, bundleOnIncidents } from '../../src/actions/incident-bundles.js';
import type { StoreInput } from '../../src/state/input.js';
import type { StoreEvent } from '../../src/state/records.js';
import type { Store } from '../../src/state/store.js';

function fakeStore(umids: string[]) {
  const events: Array<StoreEvent & { seq: number }> = [];
  let listener = () => {};
  const records = new Map(umids.map((u, i) => [`/u/${u}`, { key: `/u/${u}`, umid: u, pid: 100 + i, starttime: 1 }]));
  const store = {
    records,
    get lastEventSeq() {
      return events.length;
    },
    eventsSince: (seq: number) => events.slice(seq),
    subscribe: (f: () => void) => {
      listener = f;
      return () => {};
    },
    apply: (input: StoreInput) => {
      if (input.op === 'event') events.push({ ...input.event, seq: events.length + 1 } as StoreEvent & { seq: number });
    },
  };
  const unresponsive = (u: string) => {
    store.apply({
      op: 'event',
      event: { type: 'state', key: `/u/${u}`, umid: u, severity: 'warn', message: 'x', data: { to: 'unresponsive' } },
    } as StoreInput);
    listener();
  };
  return { store: store as unknown as Store, events, unresponsive };
}

describe('automatic crash bundles', () => {
  it('one at a time, at most three a minute; the others are named, and the window moves on', async () => {
    const { store, events, unresponsive } = fakeStore(['a', 'b', 'c', 'd', 'e', 'f']);
    let t = 0;
    let running = 0;
    let most = 0;
    const collected: string[] = [];
    const release: Array<() => void> = [];
    bundleOnIncidents(store, {
      now: () => t,
      collect: async (_s, key) => {
        running++;
        most = Math.max(most, running);
        collected.push(key);
        await new Promise<void>((r) => release.push(r));
        running--;
        return undefined;
      },
    });
    for (const u of ['a', 'b', 'c', 'd', 'e']) unresponsive(u);
    const skipped = () => events.filter((e) => /no crash bundle/.test(e.message)).map((e) => e.umid);
    expect(skipped()).toEqual(['d', 'e']);
    expect(BUNDLES_PER_WINDOW).toBe(3);
    // collected one after the other
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setImmediate(r));
      expect(collected).toHaveLength(i + 1);
      release.shift()!();
    }
    expect(most).toBe(1);
    expect(collected).toEqual(['/u/a', '/u/b', '/u/c']);
    // a minute later there is room again
    t += BUNDLE_WINDOW_MS + 1;
    unresponsive('f');
    await new Promise((r) => setImmediate(r));
    expect(collected.at(-1)).toBe('/u/f');
  });
});
