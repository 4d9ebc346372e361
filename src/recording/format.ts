// The recording format, one JSON object per line: the store's inputs as they were applied, each
// with the clock's two times, a `meta` line first and a `tick` line per report. Version 2 holds
// a StoreInput as it is; version 1 lines (positional `args`) are converted when read.
import type { AlertThresholds } from '../state/alerts.js';
import { STORE_OPS, type StoreInput, type StoreOp } from '../state/input.js';

export const RECORD_VERSION = 2;

/** What a recording's first line says about the store that made it (thresholds: alerts replay the same). */
export interface RecordingMeta {
  intervalMs?: number;
  thresholds?: AlertThresholds;
  /** How long a quiet instance may go unasked (absent: recorded before quiet sampling, every interval). */
  quietMaxAgeMs?: number;
  mode?: string;
  umlDirs?: string[];
}

interface Stamp {
  v: typeof RECORD_VERSION;
  mono: number;
  wall: number;
}
export type RecordLine =
  | (Stamp & { kind: 'input'; input: StoreInput })
  | (Stamp & { kind: 'tick' })
  | (Stamp & { kind: 'meta'; meta: RecordingMeta });

export function encodeLine(line: RecordLine): string {
  return `${JSON.stringify(line)}\n`;
}

/** Why a line could not be read (the caller says where it was). */
export class LineError extends Error {}

/** One line's JSON, of either version, as a version-2 line. */
export function decodeLine(text: string): RecordLine {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new LineError('not a JSON line');
  }
  if (!isObject(raw) || typeof raw.mono !== 'number' || typeof raw.wall !== 'number') {
    throw new LineError(`not a umltop recording line (version ${RECORD_VERSION} or 1)`);
  }
  const stamp: Stamp = { v: RECORD_VERSION, mono: raw.mono, wall: raw.wall };
  if (raw.v === 1) return fromV1(stamp, raw);
  if (raw.v !== RECORD_VERSION)
    // JSON.stringify: String() throws on an object whose toString is not a function ({"toString":{}})
    throw new LineError(`recording line version ${JSON.stringify(raw.v)}: this umltop reads 1 and 2`);
  if (raw.kind === 'tick') return { ...stamp, kind: 'tick' };
  if (raw.kind === 'meta')
    return { ...stamp, kind: 'meta', meta: isObject(raw.meta) ? (raw.meta as RecordingMeta) : {} };
  if (raw.kind === 'input') return { ...stamp, kind: 'input', input: checkInput(raw.input) };
  throw new LineError(`unknown line kind ${JSON.stringify(raw.kind)}`);
}

/** Version 1: `{v: 1, op, mono, wall, args: [...]}`, the store method's arguments in order. */
function fromV1(stamp: Stamp, raw: Record<string, unknown>): RecordLine {
  const a = raw.args;
  if (typeof raw.op !== 'string' || !Array.isArray(a)) throw new LineError('not a umltop recording line (version 1)');
  const input = (): unknown => {
    switch (raw.op) {
      case 'discovery':
        return { op: 'discovery', found: a[0], ...(a[1] ? { dirs: a[1] } : {}) };
      case 'orphans':
        return { op: 'orphans', orphans: a[0] };
      case 'hostTotals':
        return { op: 'hostTotals', totals: a[0] };
      case 'sample':
        return { op: 'sample', key: a[0], sample: a[1] };
      case 'event':
        return { op: 'event', event: a[0] };
      case 'panic':
        return { op: 'panic', key: a[0], message: a[1] };
      case 'paused':
        return { op: 'paused', key: a[0], paused: a[1] };
      case 'interval':
        return { op: 'interval', ms: a[0] };
      case 'remote':
        return { op: 'remote', name: a[0], patch: a[1] };
      default:
        throw new LineError(`unknown operation ${JSON.stringify(raw.op)}`);
    }
  };
  if (raw.op === 'tick') return { ...stamp, kind: 'tick' };
  if (raw.op === 'meta') return { ...stamp, kind: 'meta', meta: isObject(a[0]) ? (a[0] as RecordingMeta) : {} };
  return { ...stamp, kind: 'input', input: checkInput(input()) };
}

/** The fields each operation needs, checked for their JSON type (the values inside are the collectors'). */
const FIELDS: Record<StoreOp, Record<string, 'string' | 'number' | 'boolean' | 'array' | 'object'>> = {
  discovery: { found: 'array' },
  orphans: { orphans: 'array' },
  hostTotals: { totals: 'object' },
  sample: { key: 'string', sample: 'object' },
  event: { event: 'object' },
  panic: { key: 'string', message: 'string' },
  paused: { key: 'string', paused: 'boolean' },
  interval: { ms: 'number' },
  remote: { name: 'string', patch: 'object' },
};

function checkInput(x: unknown): StoreInput {
  if (!isObject(x) || typeof x.op !== 'string' || !STORE_OPS.includes(x.op as StoreOp)) {
    throw new LineError(`unknown operation ${JSON.stringify(isObject(x) ? x.op : x)}`);
  }
  for (const [field, type] of Object.entries(FIELDS[x.op as StoreOp])) {
    const v = x[field];
    const ok = type === 'array' ? Array.isArray(v) : type === 'object' ? isObject(v) : typeof v === type;
    if (!ok)
      throw new LineError(`${x.op}: ${field} is not ${type === 'array' || type === 'object' ? 'an' : 'a'} ${type}`);
  }
  if (x.op === 'discovery' && x.dirs !== undefined && x.dirs !== null && !Array.isArray(x.dirs)) {
    throw new LineError('discovery: dirs is not an array');
  }
  if (x.op === 'discovery' && x.dirs === null) delete x.dirs;
  return x as StoreInput;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
