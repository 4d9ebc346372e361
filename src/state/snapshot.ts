// The machine-readable view of the store: one JSON document per tick (--json) or CSV rows (--csv).
import {
  type BalanceAction,
  type BalanceDecision,
  decide,
  headroom,
  type HostHeadroom,
  type HoldMemo,
  newMoveHistory,
} from './advice.js';
import type { OrphanProcess } from '../collectors/kernel-processes.js';
import type { HostTotals } from '../collectors/host-totals.js';
import type { InstanceState } from './liveness.js';
import type { GuestView, HostView, InstanceRecord, NetView, StoreEvent } from './records.js';
import type { Store } from './store.js';
import { naturalCompare } from '../text/compare.js';
import { fmtBytes } from '../text/units.js';
import { total } from './io-view.js';
import { sanitizeLine } from '../text/sanitize.js';

/** The formats of --once, --batch and replay, and where they are written. */
export type BatchFormat = 'json' | 'csv' | 'text';
export interface BatchIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Where each value comes from: host /proc, the guest via mconsole, or derived by umltop. */
export const SOURCES = {
  pid: "host: the umid dir's pid file, checked against /proc/<pid> (cmdline umid= or ownership of the mconsole socket)",
  state: 'derived: liveness ladder (host pid alive → mconsole help → mconsole proc) and the guest CPU clock',
  'host.cpuPercent':
    'derived: host /proc/<pid>/stat utime+stime(+cutime+cstime) of the kernel process and its live children, delta over wall time, % of one core',
  'host.rssKiB': 'host /proc/<pid>/status VmRSS of the kernel process + RssAnon of its children',
  'host.rssShmemKiB': 'host /proc/<pid>/status RssShmem (guest RAM lives in a shared file)',
  'host.physmemKiB': 'host: blocks allocated to the guest-RAM file (stat of /proc/<pid>/fd/N)',
  'host.*PerSec': "derived: deltas of /proc/<pid>/{stat,status,io} counters over the samples' timestamps",
  'guest.cpuPercent': 'derived: mconsole proc stat, cpu jiffy deltas (100 − idle − iowait)',
  'guest.meminfo': 'mconsole proc meminfo (KiB)',
  'guest.loadavg': 'mconsole proc loadavg',
  'guest.uptimeSeconds': 'mconsole proc uptime',
  'guest.interrupts': "mconsole proc interrupts; perSec derived; the mconsole line counts umltop's own requests (self)",
  'guest.softirqs': 'mconsole proc softirqs; perSec derived',
  'guest.vmstat': 'mconsole proc vmstat',
  'guest.version': 'mconsole version',
  'guest.disks':
    'mconsole proc diskstats (every sample once a device is listed, every 5th before); *PerSec, avgIoMs (time per completed I/O) and utilPercent (time with I/O in flight) derived; bytes are 512-byte sectors',
  'guest.disks[].files':
    'mconsole config ubdN (the file, or a COW file and its backing file); sizes and free space from the host: stat and statfs of the path through /proc/<pid>/root or /cwd',
  network:
    "host: the kernel process's /dev/net/tun descriptors (/proc/<pid>/fdinfo iff:), counters from /proc/<pid>/net/dev, turned to the guest's view (rx = what the guest received = the tap's tx); device from the vecN:...ifname= of its command line",
  'hotplug.unpluggedKiB': "umltop's ledger of its own config mem=-N operations (the kernel cannot report it)",
  'guest.pressure':
    'derived: ok / tight / pressed from mconsole proc vmstat rates (allocstall_*, pgscan_direct, workingset_refault_*, pgmajfault, pswpin, oom_kill) and meminfo MemAvailable',
  advice:
    'derived: the memory policy (config [balance]) over every guest, the host MemAvailable and its reserve, and the ledger: grow (+kib), shrink (−kib) or hold, with the reason',
  memory:
    'host: /proc/meminfo MemAvailable against the reserve, /proc/pressure/memory avg10; growable = the ledger over live guests',
} as const;

export interface InstanceSnapshot {
  umid: string;
  umlDir: string;
  /** The host it runs on (`--host`); absent for this host. */
  hostName?: string;
  pid: number | null;
  /** 'process table': found there, in a uml dir umltop was not told to watch. */
  found?: 'process table';
  /** Its kernel's network namespace, when not umltop's. */
  netns?: string;
  note?: string;
  state: InstanceState;
  reason: string;
  stateSince: string;
  sampleAgeMs: number | null;
  stale: boolean;
  /** The memory advice for it (what `umltop balance` would do this round, without its cooldowns). */
  advice?: { action: BalanceAction; kib: number; reason: string };
  host: HostView | null;
  guest: GuestView | null;
  /** The guest's network interfaces (its taps); absent when it has none. */
  network?: NetView[];
  hotplug: { unpluggedKiB: number };
  alerts: Array<{ id: string; severity: string; message: string; since: string }>;
  leftoverPids?: number[];
}

export interface Snapshot {
  schema: 'umltop/1';
  time: string;
  intervalMs: number;
  host: HostTotals | null;
  instances: InstanceSnapshot[];
  /** Host memory headroom for the guests. */
  memory?: HostHeadroom;
  orphans: OrphanProcess[];
  events: StoreEvent[];
  /** Other hosts (`--host`): connection state and their totals. */
  remotes?: Array<{ name: string; state: string; reason: string; since: string; host: Omit<HostTotals, 'at'> | null }>;
  sources: typeof SOURCES;
}

/** `at`: the moment the snapshot stands for (a recorded tick), instead of the clock's now. */
export function snapshot(
  store: Store,
  opts: { eventsSince?: number; at?: { mono: number; wall: number } } = {},
): Snapshot {
  const mono = opts.at?.mono ?? store.clock.now();
  const records = sortedRecords(store);
  const advice = fleetAdvice(store, records, mono);
  const instances = records.map((r) => instanceSnapshot(store, r, mono, advice.get(r.key)));
  return { ...snapshotFrame(store, opts), instances } as Snapshot;
}

export const adviceJson = (d: BalanceDecision) => ({ action: d.action, kib: d.kib, reason: d.reason });

/**
 * The stale test fleetAdvice hands the balancer: one function for the process, told the store and
 * the moment before each call (decide runs synchronously). Per-call closures are compiled again
 * after each full GC (CONTRIBUTING.md).
 */
const staleAt: { store?: Store; mono: number } = { mono: 0 };
const isStaleNow = (r: InstanceRecord) => staleAt.store!.isStale(r, staleAt.mono);

/** What a guest whose figures did not change holds for, kept from one report to the next. */
const holds: HoldMemo = new WeakMap();

/** The advice for every record this moment: the balancer's policy with no moves behind it. */
export function fleetAdvice(store: Store, records: InstanceRecord[], mono: number): Map<string, BalanceDecision> {
  staleAt.store = store;
  staleAt.mono = mono;
  const decisions = decide(records, store.hostTotals, store.balancePolicy, newMoveHistory(), mono, isStaleNow, holds);
  staleAt.store = undefined;
  const byKey = new Map<string, BalanceDecision>();
  for (const d of decisions) byKey.set(d.key, d);
  return byKey;
}

/** The records in the snapshot's order: by host, umid, uml dir. */
export function sortedRecords(store: Store): InstanceRecord[] {
  return [...store.records.values()].sort(bySnapshotOrder);
}

// a module function: per-call closures are compiled again after each full GC (CONTRIBUTING.md)
function bySnapshotOrder(a: InstanceRecord, b: InstanceRecord): number {
  return (
    naturalCompare(a.hostName ?? '', b.hostName ?? '') ||
    naturalCompare(a.umid, b.umid) ||
    naturalCompare(a.umlDir, b.umlDir)
  );
}

export function instanceSnapshot(
  store: Store,
  r: InstanceRecord,
  mono: number,
  advice?: BalanceDecision,
): InstanceSnapshot {
  const gone = r.state === 'dead' || r.state === 'invalid';
  return {
    umid: r.umid,
    umlDir: r.umlDir,
    ...(r.hostName ? { hostName: r.hostName } : {}),
    pid: r.pid ?? null,
    ...(r.found ? { found: r.found } : {}),
    ...(r.netns ? { netns: r.netns } : {}),
    ...(r.note ? { note: r.note } : {}),
    state: r.state,
    reason: r.reason,
    stateSince: new Date(r.stateSince).toISOString(),
    sampleAgeMs: store.sampleAgeMs(r, mono) ?? null,
    stale: store.isStale(r, mono),
    ...(advice ? { advice: adviceJson(advice) } : {}),
    host: gone ? null : (r.host ?? null),
    guest: gone ? null : (r.guest ?? null),
    ...(r.network && !gone ? { network: r.network } : {}),
    hotplug: { unpluggedKiB: r.unpluggedKiB },
    alerts: [...r.alerts.values()].map((a) => ({
      id: a.alert.id,
      severity: a.alert.severity,
      message: a.alert.message,
      since: new Date(a.since).toISOString(),
    })),
    ...(r.leftoverPids?.length ? { leftoverPids: r.leftoverPids } : {}),
  };
}

/** Everything of a snapshot but its instances, in the document's key order (instances empty). */
export function snapshotFrame(
  store: Store,
  opts: { eventsSince?: number; at?: { mono: number; wall: number } } = {},
): Omit<Snapshot, 'instances'> & { instances: [] } {
  const { at: _at, ...hostTotals } = store.hostTotals ?? ({} as HostTotals);
  return {
    schema: 'umltop/1',
    time: new Date(opts.at?.wall ?? store.clock.wallNow()).toISOString(),
    intervalMs: store.intervalMs,
    host: store.hostTotals ? (hostTotals as HostTotals) : null,
    instances: [],
    memory: headroom(store.hostTotals, [...store.records.values()], store.balancePolicy),
    orphans: store.orphans,
    events: opts.eventsSince === undefined ? store.recentEvents(50) : store.eventsSince(opts.eventsSince),
    ...(store.remotes.size
      ? {
          remotes: [...store.remotes.values()].map((r) => ({
            name: r.name,
            state: r.state,
            reason: r.reason,
            since: new Date(r.since).toISOString(),
            host: r.totals ? withoutAt(r.totals) : null,
          })),
        }
      : {}),
    sources: SOURCES,
  };
}

function withoutAt(t: HostTotals): Omit<HostTotals, 'at'> {
  const { at: _at, ...rest } = t;
  return rest;
}

export const CSV_COLUMNS = [
  'time',
  'umid',
  'uml_dir',
  'pid',
  'state',
  'sample_age_ms',
  'host_cpu_pct',
  'host_rss_kib',
  'host_rss_shmem_kib',
  'guest_cpu_pct',
  'guest_mem_total_kib',
  'guest_mem_free_kib',
  'guest_mem_available_kib',
  'guest_irq_per_sec',
  'guest_softirq_per_sec',
  'guest_procs_running',
  'guest_load1',
  'guest_uptime_s',
  'unplugged_kib',
  'reason',
  'host',
  'disk_read_bytes_per_sec',
  'disk_write_bytes_per_sec',
  'net_rx_bytes_per_sec',
  'net_tx_bytes_per_sec',
  'mem_pressure',
  'mem_pressure_reason',
  'mem_advice_kib',
] as const;

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\n`;
}

export function csvRows(s: Snapshot): string {
  return s.instances
    .map(
      (i) =>
        `${[
          s.time,
          i.umid,
          i.umlDir,
          i.pid,
          i.state,
          i.sampleAgeMs,
          i.host?.cpuPercent,
          i.host?.rssKiB,
          i.host?.rssShmemKiB,
          i.guest?.cpuPercent,
          i.guest?.meminfo.MemTotal,
          i.guest?.meminfo.MemFree,
          i.guest?.meminfo.MemAvailable,
          i.guest?.irqPerSec,
          i.guest?.softirqPerSec,
          i.guest?.procsRunning,
          i.guest?.loadavg?.[0],
          i.guest?.uptimeSeconds,
          i.hotplug.unpluggedKiB,
          i.reason,
          i.hostName,
          total(i.guest?.disks, (d) => d.readBytesPerSec),
          total(i.guest?.disks, (d) => d.writeBytesPerSec),
          total(i.network, (n) => n.rxBytesPerSec),
          total(i.network, (n) => n.txBytesPerSec),
          i.guest?.pressure?.state,
          i.guest?.pressure?.reason,
          i.advice?.kib,
        ]
          .map(csvField)
          .join(',')}\n`,
    )
    .join('');
}

function csvField(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') return String(v);
  // Text can come from a guest or a user's dir name: control characters made visible, and a cell a
  // spreadsheet would run as a formula (=, +, -, @) starts with ' (quoting alone does not stop it).
  const s = sanitizeLine(v).replace(/^[=+\-@]/, "'$&");
  return /[",]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Plain top -b style text. */
export function textTable(s: Snapshot): string {
  const h = s.host;
  const head = `umltop ${s.time}  interval ${s.intervalMs / 1000}s  host cpu ${h?.cpuPercent ?? '?'}%  mem avail ${h?.memAvailableKiB !== undefined ? `${Math.round(h.memAvailableKiB / 1024)}M` : '?'}  load ${h?.load.join(' ') ?? '?'}  instances ${s.instances.length}`;
  const cols = [
    'UMID',
    'PID',
    'STATE',
    'HCPU%',
    'GCPU%',
    'MEMAVAIL',
    'RSS',
    'IRQ/s',
    'DISK/s',
    'NET/s',
    'AGE',
    'REASON',
  ];
  const rows = s.instances.map((i) => [
    sanitizeLine(i.umid).slice(0, 24),
    String(i.pid ?? '-'),
    i.state,
    fmt(i.host?.cpuPercent),
    fmt(i.guest?.cpuPercent),
    kib(i.guest?.meminfo.MemAvailable),
    kib(i.host?.rssKiB),
    fmt(i.guest?.irqPerSec),
    fmtBytes(
      total(
        i.guest?.disks,
        (d) => d.readBytesPerSec,
        (d) => d.writeBytesPerSec,
      ),
    ),
    fmtBytes(
      total(
        i.network,
        (n) => n.rxBytesPerSec,
        (n) => n.txBytesPerSec,
      ),
    ),
    i.sampleAgeMs === null ? '-' : `${(i.sampleAgeMs / 1000).toFixed(1)}s`,
    sanitizeLine(i.reason),
  ]);
  const widths = cols.map((c, j) => Math.max(c.length, ...rows.map((r) => r[j]!.length)));
  const line = (r: string[]) => r.map((v, j) => (j === r.length - 1 ? v : v.padEnd(widths[j]!))).join('  ');
  const orphans = s.orphans.map((o) => `orphan pid ${o.pid} ${o.comm}: ${o.reason}`);
  return `${[head, line(cols), ...rows.map(line), ...orphans].join('\n')}\n`;
}

const fmt = (n: number | undefined) => (n === undefined ? '-' : n.toFixed(1));
const kib = (n: number | undefined) => (n === undefined ? '-' : n >= 10240 ? `${Math.round(n / 1024)}M` : `${n}K`);
