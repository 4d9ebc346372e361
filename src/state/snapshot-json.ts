// A --batch --json document, as JSON.stringify(snapshot(...)) writes it, with no work for what did
// not change: an instance's JSON (as bytes) is kept until its record changes (a quiet instance's
// stays for seconds), and only its age and staleness are written anew each report.
import type { InstanceRecord } from './records.js';
import { adviceJson, fleetAdvice, instanceSnapshot, snapshotFrame, sortedRecords } from './snapshot.js';
import type { Store } from './store.js';

const AGE = ',"sampleAgeMs":0,"stale":false,';

interface Kept {
  changes: number;
  /** The instance's JSON before and after its age and staleness. */
  head: Buffer;
  tail: Buffer;
}

export class SnapshotJson {
  private kept = new Map<InstanceRecord, Kept>();

  /** One document and a newline. `at`: the moment it stands for (a recorded tick). */
  write(store: Store, opts: { eventsSince?: number; at?: { mono: number; wall: number } } = {}): Buffer {
    const mono = opts.at?.mono ?? store.clock.now();
    const next = new Map<InstanceRecord, Kept>();
    const parts: Array<Buffer | string> = [];
    let length = 0;
    const records = sortedRecords(store);
    // the advice hangs on the host's memory and every other guest: made anew each report, beside the age
    const advice = fleetAdvice(store, records, mono);
    for (const r of records) {
      let k = this.kept.get(r);
      if (!k || k.changes !== r.changes) k = this.keep(store, r, mono);
      next.set(r, k);
      const comma = parts.length ? ',' : '';
      const a = advice.get(r.key);
      const middle = `,"sampleAgeMs":${store.sampleAgeMs(r, mono) ?? 'null'},"stale":${store.isStale(r, mono)},${a ? `"advice":${JSON.stringify(adviceJson(a))},` : ''}`;
      parts.push(comma, k.head, middle, k.tail);
      length += comma.length + k.head.length + Buffer.byteLength(middle) + k.tail.length;
    }
    this.kept = next;
    const frame = JSON.stringify(snapshotFrame(store, opts));
    const at = frame.indexOf('"instances":[]') + '"instances":['.length;
    const before = Buffer.from(frame.slice(0, at));
    const after = Buffer.from(`${frame.slice(at)}\n`);
    const out = Buffer.allocUnsafe(before.length + length + after.length);
    let o = before.copy(out, 0);
    // strings: digits, commas, field names, and the advice's reason (which may quote a umid: UTF-8)
    for (const p of parts) o += typeof p === 'string' ? out.write(p, o, 'utf8') : p.copy(out, o);
    after.copy(out, o);
    return out;
  }

  private keep(store: Store, r: InstanceRecord, mono: number): Kept {
    const json = JSON.stringify({ ...instanceSnapshot(store, r, mono), sampleAgeMs: 0, stale: false });
    const i = json.indexOf(AGE);
    return { changes: r.changes, head: Buffer.from(json.slice(0, i)), tail: Buffer.from(json.slice(i + AGE.length)) };
  }
}
