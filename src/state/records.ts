// What the store holds: one record per instance, its derived views and history, events, other
// hosts. Types only, so every module that reads the store can import them without the store.
import type { GuestCounters } from '../collectors/guest-source.js';
import type { HostCounters } from '../collectors/host-source.js';
import type { HostTotals } from '../collectors/host-totals.js';
import type { Meminfo } from '../collectors/proc/meminfo.js';
import type { InstanceState } from './liveness.js';
import type { CpuSplit } from './rates.js';
import type { RingBuffer } from './ring-buffer.js';

export interface InterruptRate {
  irq: string;
  name: string;
  count: number;
  perSec?: number;
  self?: { perSec?: number; note: string };
}
export interface SoftirqRate {
  name: string;
  count: number;
  perSec?: number;
}

export interface HostView {
  procState: string;
  cpuPercent?: number;
  rssKiB: number;
  rssShmemKiB: number;
  rssAnonKiB: number;
  rssFileKiB: number;
  physmemKiB?: number;
  threads: number;
  children: number;
  ctxtVoluntaryPerSec?: number;
  ctxtInvoluntaryPerSec?: number;
  minorFaultsPerSec?: number;
  majorFaultsPerSec?: number;
  ioReadBytesPerSec?: number;
  ioWriteBytesPerSec?: number;
}

export interface GuestView {
  cpuPercent?: number;
  cpu?: CpuSplit;
  ctxtPerSec?: number;
  forksPerSec?: number;
  procsRunning?: number;
  procsBlocked?: number;
  meminfo: Meminfo;
  loadavg?: [number, number, number];
  uptimeSeconds?: number;
  interrupts: InterruptRate[];
  /** Sum of IRQ rates excluding umltop's own mconsole requests. */
  irqPerSec?: number;
  softirqs: SoftirqRate[];
  softirqPerSec?: number;
  vmstat: {
    oomKill?: number;
    pgfault?: number;
    pgmajfault?: number;
    pswpin?: number;
    pswpout?: number;
    pgfaultPerSec?: number;
    oomKillsNew?: number;
  };
  version?: string;
  /** Per-file problems this sample (timeouts, ERR replies, unparsable lines). */
  errors: Record<string, string>;
}

export interface InstanceHistory {
  hostCpu: RingBuffer;
  guestCpu: RingBuffer;
  memAvailableKiB: RingBuffer;
  irqPerSec: RingBuffer;
  softirqPerSec: RingBuffer;
  /** Per IRQ / softirq line (key "irq:5" / "softirq:TIMER"). */
  lines: Map<string, RingBuffer>;
}

export type AlertId = 'host-cpu' | 'low-memory' | 'oom-kill' | 'irq-storm' | 'unresponsive' | 'died' | 'paused-long';
export interface Alert {
  id: AlertId;
  severity: 'warn' | 'error';
  message: string;
}

export interface InstanceRecord {
  key: string;
  umid: string;
  umlDir: string;
  /** The host it runs on, when not this one. */
  hostName?: string;
  socket: string;
  pid?: number;
  starttime?: number;
  state: InstanceState;
  reason: string;
  /** Wall ms when the current state began. */
  stateSince: number;
  firstSeenWall: number;
  /** Monotonic ms of the newest sample (host or guest), if any. */
  sampleAt?: number;
  sampleWall?: number;
  host?: HostView;
  guest?: GuestView;
  unpluggedKiB: number;
  leftoverPids?: number[];
  history: InstanceHistory;
  prevHost?: HostCounters;
  prevGuest?: GuestCounters;
  /** Monotonic ms since when the guest's idle time has not moved. */
  frozenSince?: number;
  /** The kernel's panic message, when a panic notification was pinned on this instance. */
  panic?: string;
  /** Alerts that hold now, with when each was raised (wall ms). */
  alerts: Map<AlertId, { since: number; alert: Alert }>;
  /** Running totals since umltop first saw this instance (for counters: the metrics endpoint). */
  totals: InstanceTotals;
}

/** Upper bounds (seconds) of the mconsole round-trip histogram: a healthy answer takes ~0.15 ms. */
export const LATENCY_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
];

export interface InstanceTotals {
  /** Host CPU seconds, summed from positive tick deltas (a child's exit never makes it go back). */
  hostCpuSeconds: number;
  /** Answered mconsole requests: count, sum of round trips (s), cumulative count per bucket of LATENCY_BUCKETS. */
  requests: { count: number; sumSeconds: number; buckets: number[] };
  /** Failed mconsole requests by kind (timeout, gone, error, ...). */
  failures: Record<string, number>;
}

/** Another host watched through `umltop --host` (its umltop streams its store inputs over ssh). */
export interface RemoteHost {
  name: string;
  state: 'connecting' | 'up' | 'lost';
  reason: string;
  since: number;
  totals?: HostTotals;
  umlDirs?: string[];
}

export type EventType =
  | 'discovered'
  | 'removed'
  | 'state'
  | 'error'
  | 'orphan'
  | 'alert'
  | 'notify'
  | 'action'
  | 'host';
export interface StoreEvent {
  seq: number;
  wall: number;
  type: EventType;
  key?: string;
  umid?: string;
  severity: 'info' | 'warn' | 'error';
  message: string;
  data?: Record<string, unknown>;
}

/** An event as it is handed to the store: the store numbers it and stamps its time. */
export type EventInput = Omit<StoreEvent, 'seq' | 'wall'>;
