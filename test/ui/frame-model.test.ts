// One frame's model: the fleet's memory advice is made at most once an interval, so the frames a
// key draws between two samples reuse it instead of deciding for every guest again; only the rows
// the table can show are dressed (age, staleness, alert), and a key's frame does not sort again.
import { describe, expect, it } from 'vitest';
import { buildFrame } from '../../src/ui/frame-model.js';
import { rowsFor, sortedRows } from '../../src/ui/view-model.js';
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

  it('dresses only the rows a table of `window` rows shows around the selection, as rowsFor dresses them', () => {
    const umids = Array.from({ length: 30 }, (_, i) => `g-${i}`);
    const { store, clock } = fixtureStore({ samples: 3, extraUmids: umids });
    clock.advance(3500); // ages of 3 s and stale rows, so a dressed row differs from an undressed one
    const all = rowsFor(store, view);
    expect(all.length).toBe(34);
    const selected = all[20]!.key;
    const frame = buildFrame(store, { ...view, selectedKey: selected }, { window: 8 });
    expect(frame.rows.map((r) => r.key)).toEqual(all.map((r) => r.key)); // every row, in order
    // rows 13-20: the table's last page keeps the selection at its foot
    for (const [i, r] of frame.rows.entries()) {
      if (i >= 13 && i <= 20) expect(r).toEqual(all[i]);
      else expect(r.cells.age).toBe('-');
    }
    expect(all[13]!.cells.age).toMatch(/^\d+s$/);
    expect(all.filter((r) => r.alert !== ' ').length).toBeGreaterThan(0);
    // without a window every row is dressed
    expect(buildFrame(store, { ...view, selectedKey: selected }).rows).toEqual(all);
  });

  it("keeps the order while no row changed (a key's frame), sorts again when one did or the view changed", () => {
    const { store, clock } = fixtureStore({ samples: 3, extraUmids: ['a-1', 'a-2'] });
    const first = sortedRows(store, view);
    expect(sortedRows(store, view)).toBe(first);
    expect(sortedRows(store, { ...view, reverse: true })).not.toBe(first);
    const again = sortedRows(store, view);
    expect(again).toEqual(first);
    const web = [...store.records.values()].find((r) => r.umid === 'web-1')!;
    web.changes += 1; // as a sample does
    clock.advance(1000);
    expect(sortedRows(store, view)).not.toBe(again);
    store.apply({ op: 'discovery', found: [], dirs: ['/root/.uml'] }); // all gone
    expect(sortedRows(store, view)).toEqual([]);
  });
});
