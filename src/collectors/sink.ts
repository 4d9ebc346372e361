// What the collectors hand their readings to, and the little they read back. The store implements
// both (src/state/store.ts); collectors never import it, so data flows one way: collectors → state.
import type { FileFacts } from './backing-files.js';
import type { DiscoveredInstance } from './discovery.js';
import type { GuestSample } from './guest-sample.js';
import type { HostCounters } from './host-source.js';
import type { HostTotals } from './host-totals.js';
import type { OrphanProcess } from './kernel-processes.js';

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

/** An event a collector reports (the store numbers it and stamps its time). */
export interface CollectorEvent {
  type: 'error' | 'notify';
  key?: string;
  umid?: string;
  severity: 'info' | 'warn' | 'error';
  message: string;
  data?: Record<string, unknown>;
}

export type CollectorInput =
  /** The instances found in the uml dirs: `dirs` names the dirs scanned (undefined: all of them). */
  | { op: 'discovery'; found: DiscoveredInstance[]; dirs?: string[] }
  | { op: 'orphans'; orphans: OrphanProcess[] }
  | { op: 'hostTotals'; totals: HostTotals }
  | { op: 'sample'; key: string; sample: InstanceSample }
  | { op: 'event'; event: CollectorEvent }
  /** A panic notification pinned on an instance. */
  | { op: 'panic'; key: string; message: string };

export interface CollectorSink {
  apply(input: CollectorInput): void;
}

/** What the notify handler reads back to attribute a notification: each instance's process and state. */
export interface InstanceLookup extends CollectorSink {
  readonly records: ReadonlyMap<
    string,
    { key: string; umid: string; pid?: number; state: string; panic?: string; stateSince: number }
  >;
  readonly clock: { wallNow(): number };
}

/** What the hotplug ledger says was unplugged from an instance's current boot. */
export interface UnplugLedger {
  unpluggedKiB(umlDir: string, umid: string, boot: { pid: number; starttime: number; btime: number }): number;
}
