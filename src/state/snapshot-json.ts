// A --batch --json document, as JSON.stringify(snapshot(...)) writes it, with no work for what did
// not change: an instance's JSON (its text) is kept until its record changes (a quiet instance's
// stays for seconds), and only its age and staleness are written anew each report.
import type { BalanceDecision } from './advice.js';
import type { InstanceRecord } from './records.js';
import { adviceJson, fleetAdvice, instanceSnapshot, snapshotFrame, sortedRecords } from './snapshot.js';
import type { Store } from './store.js';

const AGE = ',"sampleAgeMs":0,"stale":false,';

interface Kept {
  changes: number;
  /** The instance's JSON before and after its age and staleness, and their length in UTF-8. */
  head: string;
  tail: string;
  bytes: number;
  /** The advice it was last written with, as written (the same decision while the guest holds). */
  advice?: BalanceDecision;
  adviceText?: string;
}

export class SnapshotJson {
  private kept = new Map<InstanceRecord, Kept>();

  /** One document and a newline. `at`: the moment it stands for (a recorded tick). */
  write(store: Store, opts: { eventsSince?: number; at?: { mono: number; wall: number } } = {}): Buffer {
    const mono = opts.at?.mono ?? store.clock.now();
    const next = new Map<InstanceRecord, Kept>();
    const parts: string[] = [];
    let length = 0;
    const records = sortedRecords(store);
    // the advice hangs on the host's memory and every other guest: decided each report (a guest that
    // holds with the same figures keeps its decision, advice.ts), written beside the age
    const advice = fleetAdvice(store, records, mono);
    for (const r of records) {
      let k = this.kept.get(r);
      if (!k || k.changes !== r.changes) k = this.keep(store, r, mono);
      next.set(r, k);
      const comma = parts.length ? ',' : '';
      const a = advice.get(r.key);
      if (k.advice !== a || k.adviceText === undefined) {
        k.advice = a;
        k.adviceText = a ? `"advice":${JSON.stringify(adviceJson(a))},` : '';
      }
      const middle = `,"sampleAgeMs":${store.sampleAgeMs(r, mono) ?? 'null'},"stale":${store.isStale(r, mono)},${k.adviceText}`;
      parts.push(comma, k.head, middle, k.tail);
      length += comma.length + k.bytes + Buffer.byteLength(middle);
    }
    this.kept = next;
    const frame = JSON.stringify(snapshotFrame(store, opts));
    const at = frame.indexOf('"instances":[]') + '"instances":['.length;
    const before = Buffer.from(frame.slice(0, at));
    const after = Buffer.from(`${frame.slice(at)}\n`);
    const out = Buffer.allocUnsafe(before.length + length + after.length);
    let o = before.copy(out, 0);
    // written into one buffer: a Buffer.from per part costs several times the copy (~5 us per 2.6 KiB)
    for (const p of parts) o += out.write(p, o, 'utf8');
    after.copy(out, o);
    return out;
  }

  private keep(store: Store, r: InstanceRecord, mono: number): Kept {
    const json = JSON.stringify({ ...instanceSnapshot(store, r, mono), sampleAgeMs: 0, stale: false });
    const i = json.indexOf(AGE);
    const head = json.slice(0, i);
    const tail = json.slice(i + AGE.length);
    return { changes: r.changes, head, tail, bytes: Buffer.byteLength(head) + Buffer.byteLength(tail) };
  }
}
