// What one sample of a guest holds: the parsed counters of each file with the time its reply
// arrived, and how far up the liveness ladder the guest answered. The store turns them into rates.
import type { DiskLine } from './proc/diskstats.js';
import type { InterruptLine } from './proc/interrupts.js';
import type { Loadavg } from './proc/loadavg.js';
import type { Meminfo } from './proc/meminfo.js';
import type { SoftirqLine } from './proc/softirqs.js';
import type { Stat } from './proc/stat.js';
import type { Uptime } from './proc/uptime.js';
import type { GuestVersion } from './proc/version.js';
import type { Vmstat } from './proc/vmstat.js';

export interface Timed<T> {
  at: number;
  value: T;
}

/** A ubd device's files as `config ubdN` names them: the file, and the backing file under a COW file. */
export type UbdFiles = { file: string; backing?: string } | { error: string };

export interface GuestCounters {
  stat?: Timed<Stat>;
  meminfo?: Timed<Meminfo>;
  loadavg?: Timed<Loadavg>;
  uptime?: Timed<Uptime>;
  /**
   * `selfRequests`: umltop's requests sent by the end of the burst that read the counts (the most
   * of them the reading can include); `selfRequestsCounted`: those sent before that burst, plus
   * the request that read them (the fewest it includes).
   */
  interrupts?: Timed<InterruptLine[]> & { selfRequests: number; selfRequestsCounted?: number };
  softirqs?: Timed<SoftirqLine[]>;
  vmstat?: Timed<Vmstat>;
  /** Block devices (empty until a ubd is attached to a guest on a hostfs root). */
  diskstats?: Timed<DiskLine[]>;
  /** The files behind each ubd device seen in diskstats, by device name (ubdb). */
  ubd?: Record<string, UbdFiles>;
  version?: GuestVersion;
  /** Files that failed, with why. */
  errors: Record<string, string>;
  /** Lines the parsers could not read, per file. */
  ignoredLines: Record<string, number>;
  /** This sample's mconsole requests: each answered one's round trip (ms), failures by kind. */
  requests?: RequestStats;
}

export interface RequestStats {
  latenciesMs: number[];
  failures: Record<string, number>;
}

/** How far up the ladder the guest answered. */
export type GuestReach =
  | { kind: 'answered' }
  /** `noSocket`: nothing listens at the socket path (ENOENT, ECONNREFUSED), as between boots. */
  | { kind: 'gone'; message: string; noSocket?: boolean }
  | { kind: 'scheduler-stuck'; message: string }
  | { kind: 'wedged'; message: string };

export interface GuestSample {
  reach: GuestReach;
  counters: GuestCounters;
}
