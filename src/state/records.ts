// What the store holds: one record per instance, its derived views and history, events, other
// hosts. Types only, so every module that reads the store can import them without the store.
import type { GuestCounters } from '../collectors/guest-sample.js';
import type { HostCounters } from '../collectors/host-source.js';
import type { HostTotals } from '../collectors/host-totals.js';
import type { Meminfo } from '../collectors/proc/meminfo.js';
import type { InstanceState } from './liveness.js';
import type { CpuSplit } from './rates.js';
import type { RingBuffer } from './ring-buffer.js';
import type { Pressure } from './pressure.js';

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

/** One file behind a disk: the image, or a copy-on-write file and the backing file under it. */
export interface DiskFile {
  path: string;
  role: 'image' | 'cow' | 'backing';
  sizeBytes?: number;
  allocatedBytes?: number;
  /** The filesystem that holds it: its size and the space left for the kernel process's user. */
  fsSizeBytes?: number;
  fsAvailBytes?: number;
  /** Why its facts could not be read. */
  error?: string;
}

/** A guest block device: rates over the last interval from /proc/diskstats, totals since boot. */
export interface DiskView {
  device: string;
  readsPerSec?: number;
  writesPerSec?: number;
  readBytesPerSec?: number;
  writeBytesPerSec?: number;
  /** Time an I/O completed in the interval took on average (ms), iostat's await. */
  avgIoMs?: number;
  /** Time with I/O in flight, % of the interval (iostat's %util). */
  utilPercent?: number;
  inFlight: number;
  reads: number;
  writes: number;
  readBytes: number;
  writtenBytes: number;
  readTimeMs: number;
  writeTimeMs: number;
  ioTimeMs: number;
  /** I/Os in flight and none completed for this long (ms): a hung disk. */
  stalledMs?: number;
  /** The host files behind it (`config ubdN`), for ubd devices. */
  files?: DiskFile[];
  /** Why the files are not known. */
  filesError?: string;
}

/**
 * A guest network interface, from the host side of its tap, in the guest's view: rx is what the
 * guest received (the tap's tx), tx what it sent. Totals since the tap came up.
 */
export interface NetView {
  /** The guest's interface (vec0), when the kernel's command line names it. */
  device?: string;
  tap: string;
  rxBytesPerSec?: number;
  txBytesPerSec?: number;
  rxPacketsPerSec?: number;
  txPacketsPerSec?: number;
  /** Errors and drops of both directions, per second. */
  errorsPerSec?: number;
  dropsPerSec?: number;
  rxBytes: number;
  txBytes: number;
  rxPackets: number;
  txPackets: number;
  rxErrors: number;
  txErrors: number;
  rxDropped: number;
  txDropped: number;
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
  /** Block devices worth a row (whole ubd disks; others that did I/O), busiest first. */
  disks: DiskView[];
  /** Read + written bytes per second over every disk. */
  diskBytesPerSec?: number;
  vmstat: {
    oomKill?: number;
    pgfault?: number;
    pgmajfault?: number;
    pswpin?: number;
    pswpout?: number;
    pgfaultPerSec?: number;
    oomKillsNew?: number;
    /** Reclaim rates (pressure.ts): allocations stalled in direct reclaim, pages it scanned, refaults. */
    stallsPerSec?: number;
    directScanPerSec?: number;
    refaultsPerSec?: number;
    majorFaultsPerSec?: number;
    swapInsPerSec?: number;
  };
  /** Memory pressure from the reclaim rates and MemAvailable; undefined until two vmstat readings. */
  pressure?: Pressure;
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
  diskBytesPerSec: RingBuffer;
  netBytesPerSec: RingBuffer;
  /** Per IRQ / softirq line, disk and interface ("irq:5", "softirq:TIMER", "disk:ubdb", "net:tap0", "neterr:tap0"). */
  lines: Map<string, RingBuffer>;
}

export type AlertId =
  | 'host-cpu'
  | 'low-memory'
  | 'oom-kill'
  | 'irq-storm'
  | 'unresponsive'
  | 'died'
  | 'paused-long'
  | 'io-stall'
  | 'disk-space'
  | 'net-errors'
  | 'mem-pressure';
export interface Alert {
  id: AlertId;
  severity: 'warn' | 'error';
  message: string;
}

export interface InstanceRecord {
  /** Bumped by the store on every change to the record: a reader's cache of it is good while this stays. */
  changes: number;
  key: string;
  umid: string;
  umlDir: string;
  /** The host it runs on, when not this one. */
  hostName?: string;
  socket: string;
  pid?: number;
  starttime?: number;
  /** Found from the process table (its uml dir was not one umltop was told to watch). */
  found?: 'process table';
  /** Its kernel's network namespace, when not umltop's. */
  netns?: string;
  /** What is true about its dir that the state does not say (a pid file naming another process). */
  note?: string;
  /** Unresponsive only because its kernel runs without its socket (booting, rebooting, halting). */
  noSocket?: boolean;
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
  /** The guest's network interfaces (from its taps); undefined when it has none. */
  network?: NetView[];
  /** Rx + tx bytes per second over every interface. */
  networkBytesPerSec?: number;
  unpluggedKiB: number;
  leftoverPids?: number[];
  history: InstanceHistory;
  prevHost?: HostCounters;
  prevGuest?: GuestCounters;
  /** Monotonic ms since when the guest's idle time has not moved. */
  frozenSince?: number;
  /** Per disk: monotonic ms since when I/Os have been in flight with none completing. */
  diskStalls: Map<string, number>;
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
