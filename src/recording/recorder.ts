// The flight recorder: every input to the store as one line with the clock's times (format.ts),
// plus a `tick` line whenever output was produced. Replaying the lines into a fresh store on a
// manual clock rebuilds exactly the same state, so a problem at 3 a.m. can be looked at at 9.
import fs from 'node:fs';
import { type Clock, ManualClock } from '../runtime/clock.js';
import type { AlertThresholds } from '../state/alerts.js';
import { type Instant, Store } from '../state/store.js';
import { decodeLine, encodeLine, LineError, RECORD_VERSION, type RecordingMeta, type RecordLine } from './format.js';

export interface Recorder {
  tick(): Instant;
  close(): void;
}

/** `to`: a file (appended, mode 0600, written synchronously so a crash loses nothing) or a sink (the --feed stream). */
export function startRecording(
  store: Store,
  to: string | ((text: string) => void),
  clock: Clock,
  meta: RecordingMeta = {},
): Recorder {
  const fd = typeof to === 'string' ? fs.openSync(to, 'a', 0o600) : undefined;
  const write = (line: RecordLine) => {
    const text = encodeLine(line);
    if (fd !== undefined) fs.writeSync(fd, text);
    else (to as (t: string) => void)(text);
  };
  const now = (): Instant => ({ mono: clock.now(), wall: clock.wallNow() });
  write({
    v: RECORD_VERSION,
    ...now(),
    kind: 'meta',
    meta: { intervalMs: store.intervalMs, thresholds: store.thresholds, quietMaxAgeMs: store.quietMaxAgeMs, ...meta },
  });
  store.setTap((input, at) => write({ v: RECORD_VERSION, ...at, kind: 'input', input }));
  let closed = false;
  return {
    tick: () => {
      const at = now();
      write({ v: RECORD_VERSION, ...at, kind: 'tick' });
      return at;
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
    try {
      out.push(decodeLine(l));
    } catch (e) {
      const last = i === raw.length - 1 || (i === raw.length - 2 && raw.at(-1) === '');
      if (last && e instanceof LineError && e.message === 'not a JSON line') return; // torn last line
      throw new RecordingError(`${file}:${i + 1}: ${(e as Error).message}`);
    }
  });
  if (!out.length || out[0]!.kind !== 'meta')
    throw new RecordingError(`${file}: not a umltop recording (no meta line first)`);
  return out;
}

/** A store like the recorded one, on the recording's clock. */
export function replayStoreOptions(lines: RecordLine[]): {
  intervalMs: number;
  thresholds?: AlertThresholds;
  quietMaxAgeMs?: number;
} {
  const first = lines[0];
  const meta = first?.kind === 'meta' ? first.meta : {};
  // recordings made before quiet sampling asked every instance every interval
  return { intervalMs: meta.intervalMs ?? 1000, thresholds: meta.thresholds, quietMaxAgeMs: meta.quietMaxAgeMs ?? 0 };
}

/**
 * Replays the lines once into a scratch store: a line that is JSON of the right kind but that the
 * store cannot take (a hand-edited or crafted file) is a RecordingError naming it, before a replay
 * starts, instead of a crash in the middle of one.
 */
export function checkReplayable(file: string, lines: RecordLine[]): void {
  const clock = new ManualClock();
  const store = new Store(clock, replayStoreOptions(lines));
  lines.forEach((line, i) => {
    try {
      applyLine(store, clock, line);
    } catch (e) {
      const what = line.kind === 'input' ? `a '${line.input.op}' input` : `a ${line.kind} line`;
      throw new RecordingError(
        `${file}: line ${i + 1} (not counting blank lines): ${what} umltop cannot apply: ${(e as Error).message}`,
      );
    }
  });
}

/** Apply one recorded line to a replay store, with the replay clock set to the line's times. */
export function applyLine(store: Store, clock: ManualClock, line: RecordLine): void {
  clock.set(line.mono, line.wall);
  if (line.kind === 'input') store.apply(line.input);
}
