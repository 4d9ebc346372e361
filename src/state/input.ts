// The store's input: every change to the store is one of these, applied by Store.apply. The
// flight recorder writes them as they are applied, replay and `--feed` read them back.
import type { HostTotals } from '../collectors/host-totals.js';
import type { CollectorInput } from '../collectors/sink.js';
import type { EventInput, RemoteHost } from './records.js';

export type { InstanceSample } from '../collectors/sink.js';

export interface RemotePatch {
  state?: RemoteHost['state'];
  reason?: string;
  totals?: HostTotals;
  umlDirs?: string[];
}

export type StoreInput =
  | CollectorInput
  /** An event from outside the collectors: actions, alerts, hosts. */
  | { op: 'event'; event: EventInput }
  /** This umltop paused (mconsole `stop`) or resumed an instance. */
  | { op: 'paused'; key: string; paused: boolean }
  | { op: 'interval'; ms: number }
  /** Another host's connection state or totals (`--host`). */
  | { op: 'remote'; name: string; patch: RemotePatch };

export type StoreOp = StoreInput['op'];

export const STORE_OPS: readonly StoreOp[] = [
  'discovery',
  'orphans',
  'hostTotals',
  'sample',
  'event',
  'panic',
  'paused',
  'interval',
  'remote',
];
