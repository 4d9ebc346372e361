// `umltop replay FILE --json|--csv|--batch`: the recording fed into a fresh store on its own
// clock, a report at each recorded tick: the same documents the recorded run printed.
import { ManualClock } from '../runtime/clock.js';
import { type BatchFormat, type BatchIo, csvHeader, csvRows, snapshot, textTable } from '../state/snapshot.js';
import { Store } from '../state/store.js';
import type { RecordLine } from './format.js';
import { applyLine, replayStoreOptions } from './recorder.js';

/**
 * `umltop replay FILE --json|--csv|--batch`: the same documents the recorded run printed. A
 * recording made by the TUI has no report ticks: it gets one report per recorded interval, from its
 * first sample on.
 */
export async function replayBatch(lines: RecordLine[], format: BatchFormat, io: BatchIo): Promise<number> {
  if (!lines.some((l) => l.kind === 'tick')) {
    const ticked = withTicks(lines, replayStoreOptions(lines).intervalMs);
    if (!ticked) {
      io.stderr.write('umltop replay: nothing to report: the recording holds no sample of any instance\n');
      return 1;
    }
    lines = ticked;
  }
  const clock = new ManualClock(lines[0]!.mono, lines[0]!.wall);
  const store = new Store(clock, replayStoreOptions(lines));
  let lastSeq = 0;
  let first = true;
  let closed = false;
  io.stdout.on('error', () => {
    closed = true;
  }); // the reader went away (| head): stop quietly
  for (const line of lines) {
    if (closed) break;
    if (line.kind !== 'tick') {
      applyLine(store, clock, line);
      continue;
    }
    clock.set(line.mono, line.wall);
    const s = snapshot(store, { eventsSince: lastSeq, at: { mono: line.mono, wall: line.wall } });
    lastSeq = store.lastEventSeq;
    if (format === 'csv') io.stdout.write((first ? csvHeader() : '') + csvRows(s));
    else if (format === 'json') io.stdout.write(`${JSON.stringify(s)}\n`);
    else io.stdout.write(`${textTable(s)}\n`);
    first = false;
    await new Promise((r) => setImmediate(r)); // let a closed pipe be noticed
  }
  return 0;
}

/** Ticks every `intervalMs` from the first sample to the last line; undefined when there is no sample. */
export function withTicks(lines: RecordLine[], intervalMs: number): RecordLine[] | undefined {
  const first = lines.find((l) => l.kind === 'input' && l.input.op === 'sample');
  if (!first) return undefined;
  const out: RecordLine[] = [];
  const end = lines.at(-1)!;
  let next = first.mono + intervalMs;
  for (const l of lines) {
    while (l.mono > next) {
      out.push({ v: first.v, kind: 'tick', mono: next, wall: first.wall + (next - first.mono) });
      next += intervalMs;
    }
    out.push(l);
  }
  out.push({ v: first.v, kind: 'tick', mono: end.mono, wall: end.wall });
  return out;
}
