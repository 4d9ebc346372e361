// The --batch --json writer keeps each instance's JSON until its record changes: its documents
// must be byte for byte what JSON.stringify(snapshot(...)) writes, report after report.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyLine, readRecording, replayStoreOptions } from '../../src/recording/recorder.js';
import { ManualClock } from '../../src/runtime/clock.js';
import { snapshot } from '../../src/state/snapshot.js';
import { SnapshotJson } from '../../src/state/snapshot-json.js';
import { Store } from '../../src/state/store.js';
import { fixtureStore } from '../helpers/fixture-store.js';

const FIX = path.join(import.meta.dirname, '../fixtures/recordings');

describe('SnapshotJson', () => {
  for (const file of ['v1-batch.jsonl', 'v1-tui.jsonl'])
    it(`writes what JSON.stringify(snapshot()) writes, at every line of ${file}, kept parts and all`, () => {
      const lines = readRecording(path.join(FIX, file));
      const clock = new ManualClock(lines[0]!.mono, lines[0]!.wall);
      const store = new Store(clock, replayStoreOptions(lines));
      const writer = new SnapshotJson();
      let compared = 0;
      let lastSeq = 0;
      for (const line of lines) {
        applyLine(store, clock, line);
        clock.set(line.mono + 250, line.wall + 250); // a report later than the input: ages move on
        const o = { eventsSince: lastSeq, at: { mono: clock.now(), wall: clock.wallNow() } };
        const written = writer.write(store, o).toString();
        expect(written).toBe(`${JSON.stringify(snapshot(store, o))}\n`);
        // twice, records unchanged: the kept parts, with the new age
        clock.set(line.mono + 900, line.wall + 900);
        const later = { eventsSince: lastSeq, at: { mono: clock.now(), wall: clock.wallNow() } };
        expect(writer.write(store, later).toString()).toBe(`${JSON.stringify(snapshot(store, later))}\n`);
        lastSeq = store.lastEventSeq;
        compared += store.records.size;
      }
      expect(compared).toBeGreaterThan(10);
    });

  it('writes guest text in any script as UTF-8, byte for byte', () => {
    const { store } = fixtureStore({ extraUmids: ['漢字漢字', 'e\u0301te\u0301', 'a"b\\c'] });
    const o = { at: { mono: store.clock.now() + 100, wall: store.clock.wallNow() + 100 } };
    const writer = new SnapshotJson();
    writer.write(store, o);
    expect(writer.write(store, o).equals(Buffer.from(`${JSON.stringify(snapshot(store, o))}\n`))).toBe(true);
  });
});
