// The flight recorder: every input to the store (discoveries, samples, host totals, events from
// outside, panics, pauses, interval changes) as one JSON line with the clock's times, plus a
// `tick` line whenever output was produced. Replaying the lines into a fresh store on a manual
// clock rebuilds exactly the same state — so a problem at 3 a.m. can be looked at at 9.
import fs from 'node:fs';
import type { Store, RecordOp } from '../state/store.js';
import { ManualClock, type Clock } from './clock.js';

export const RECORD_VERSION = 1;
export type LineOp = RecordOp | 'tick' | 'meta';

/** What a recording's first line says about the store that made it (thresholds: alerts replay the same). */
export interface RecordingMeta {
  intervalMs?: number;
  thresholds?: import('../state/alerts.js').AlertThresholds;
}

/** A store like the recorded one, on the recording's clock. */
export function replayStoreOptions(lines: RecordLine[]): {
  intervalMs: number;
  thresholds?: import('../state/alerts.js').AlertThresholds;
} {
  const meta = (lines[0]!.args[0] ?? {}) as RecordingMeta;
  return { intervalMs: meta.intervalMs ?? 1000, thresholds: meta.thresholds };
}
export interface RecordLine {
  v: number;
  op: LineOp;
  mono: number;
  wall: number;
  args: unknown[];
}

export interface Recorder {
  tick(): { mono: number; wall: number };
  close(): void;
}

/** `to`: a file (appended, mode 0600, written synchronously so a crash loses nothing) or a sink (the --feed stream). */
export function startRecording(
  store: Store,
  to: string | ((text: string) => void),
  clock: Clock,
  meta: Record<string, unknown> = {},
): Recorder {
  const fd = typeof to === 'string' ? fs.openSync(to, 'a', 0o600) : undefined;
  const write = (op: LineOp, args: unknown[], at = { mono: clock.now(), wall: clock.wallNow() }) => {
    const line: RecordLine = { v: RECORD_VERSION, op, mono: at.mono, wall: at.wall, args };
    const text = JSON.stringify(line) + '\n';
    if (fd !== undefined) fs.writeSync(fd, text);
    else (to as (t: string) => void)(text);
    return line;
  };
  write('meta', [{ intervalMs: store.intervalMs, thresholds: store.thresholds, ...meta }]);
  store.setTap((op, args, at) => {
    write(op, args, at);
  });
  let closed = false;
  return {
    tick: () => {
      const l = write('tick', []);
      return { mono: l.mono, wall: l.wall };
    },
    close: () => {
      if (closed) return;
      closed = true;
      store.setTap(undefined);
      if (fd !== undefined) fs.closeSync(fd);
    },
  };
}

export class RecordingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordingError';
  }
}

/** Read a recording; a torn last line (umltop killed mid-write) is dropped, anything else bad is an error naming the line. */
export function readRecording(file: string): RecordLine[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new RecordingError(`cannot read ${file}: ${(e as Error).message}`);
  }
  const raw = text.split('\n');
  const out: RecordLine[] = [];
  raw.forEach((l, i) => {
    if (!l.trim()) return;
    let line: RecordLine;
    try {
      line = JSON.parse(l) as RecordLine;
    } catch {
      if (i === raw.length - 1 || (i === raw.length - 2 && raw.at(-1) === '')) return; // torn last line
      throw new RecordingError(`${file}:${i + 1}: not a JSON line`);
    }
    if (
      line.v !== RECORD_VERSION ||
      typeof line.op !== 'string' ||
      !Array.isArray(line.args) ||
      typeof line.mono !== 'number'
    ) {
      throw new RecordingError(`${file}:${i + 1}: not a umltop recording line (version ${RECORD_VERSION})`);
    }
    out.push(line);
  });
  if (!out.length || out[0]!.op !== 'meta')
    throw new RecordingError(`${file}: not a umltop recording (no meta line first)`);
  return out;
}

/** Apply one recorded line to a replay store, with the replay clock set to the line's times. */
export function applyLine(store: Store, clock: ManualClock, line: RecordLine): void {
  clock.set(line.mono, line.wall);
  const a = line.args as never[];
  switch (line.op) {
    case 'discovery':
      store.applyDiscovery(a[0], a[1] ?? undefined);
      break;
    case 'orphans':
      store.applyOrphans(a[0]);
      break;
    case 'hostTotals':
      store.applyHostTotals(a[0]);
      break;
    case 'sample':
      store.applySample(a[0], a[1]);
      break;
    case 'event':
      store.event(a[0]);
      break;
    case 'panic':
      store.markPanic(a[0], a[1]);
      break;
    case 'paused':
      store.setPausedByUmltop(a[0], a[1]);
      break;
    case 'interval':
      store.setIntervalMs(a[0]);
      break;
    case 'meta':
    case 'tick':
      break;
  }
}
