// One frame's model: the fleet's memory advice is made at most once an interval, so the frames a
// key draws between two samples reuse it instead of deciding for every guest again.
import { describe, expect, it } from 'vitest';
import { buildFrame } from '../../src/ui/frame-model.js';
import { fleetAdvice } from '../../src/state/snapshot.js';
import { fixtureStore } from '../helpers/fixture-store.js';

const view = { filter: '', sort: 'name' as const, reverse: false, selectedKey: undefined };

describe('buildFrame', () => {
  it('makes the advice once an interval: a frame within it reuses it, the next interval makes it anew', () => {
    const { store, clock } = fixtureStore();
    const first = buildFrame(store, view).advice;
    expect(first).toEqual(fleetAdvice(store, [...store.records.values()], clock.now()));
    clock.advance(store.intervalMs - 1);
    expect(buildFrame(store, view).advice).toBe(first);
    clock.advance(1);
    const next = buildFrame(store, view).advice;
    expect(next).not.toBe(first);
    expect(next).toEqual(fleetAdvice(store, [...store.records.values()], clock.now()));
  });

  it('makes it anew at once when an instance comes or goes', () => {
    const { store } = fixtureStore();
    const first = buildFrame(store, view).advice;
    expect(first.has('/root/.uml/web-1')).toBe(true);
    store.apply({ op: 'discovery', found: [], dirs: ['/root/.uml'] }); // all gone
    expect(store.records.size).toBe(0);
    expect(buildFrame(store, view).advice.size).toBe(0);
  });
});
