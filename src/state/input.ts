// The store's input: every change to the store is one of these, applied by Store.apply. The
// flight recorder writes them as they are applied, replay and `--feed` read them back.
import type { DiscoveredInstance } from '../collectors/discovery.js';
import type { OrphanProcess } from '../collectors/kernel-processes.js';
import type { FileFacts } from '../collectors/backing-files.js';
import type { GuestSample } from '../collectors/guest-sample.js';
import type { HostCounters } from '../collectors/host-source.js';
import type { HostTotals } from '../collectors/host-totals.js';
import type { EventInput, RemoteHost } from './records.js';

/** One sample of one instance: host counters (or why they could not be read) and the guest's. */
export interface InstanceSample {
  host?: HostCounters;
  hostGone?: string;
  guest?: GuestSample;
  /** What umltop's ledger says it unplugged from this boot. */
  unpluggedKiB?: number;
  /** The host files behind the guest's disks, by path as the guest's `config ubdN` names them. */
  backing?: Record<string, FileFacts>;
}

export interface RemotePatch {
  state?: RemoteHost['state'];
  reason?: string;
  totals?: HostTotals;
  umlDirs?: string[];
}

export type StoreInput =
  /** The instances found in the uml dirs: `dirs` names the dirs scanned (undefined: all of them). */
  | { op: 'discovery'; found: DiscoveredInstance[]; dirs?: string[] }
  | { op: 'orphans'; orphans: OrphanProcess[] }
  | { op: 'hostTotals'; totals: HostTotals }
  | { op: 'sample'; key: string; sample: InstanceSample }
  /** An event from outside the store: notifications, actions, errors. */
  | { op: 'event'; event: EventInput }
  /** A panic notification pinned on an instance. */
  | { op: 'panic'; key: string; message: string }
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
