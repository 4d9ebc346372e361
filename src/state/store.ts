// The store: the one place samples land. Collectors apply; panes and batch output read views.
// Listeners are told (coalesced, at most once per microtask) only when something changed.
import type { DiscoveredInstance, OrphanProcess } from '../collectors/discovery.js';
import type { GuestCounters, GuestSample, RequestStats } from '../collectors/guest-source.js';
import type { HostCounters } from '../collectors/host-source.js';
import type { HostTotals } from '../collectors/host-totals.js';
import type { Meminfo } from '../collectors/proc/meminfo.js';
import type { Clock } from '../runtime/clock.js';
import { DEFAULT_THRESHOLDS, evaluateAlerts, type Alert, type AlertId, type AlertThresholds } from './alerts.js';
import { decideLiveness, type InstanceState } from './liveness.js';
import { cpuSplit, perSecond, round, ticksToPercent, USER_HZ, type CpuSplit } from './rates.js';
import { RingBuffer } from './ring-buffer.js';

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

export type RecordOp =
  | 'discovery'
  | 'orphans'
  | 'hostTotals'
  | 'sample'
  | 'event'
  | 'panic'
  | 'paused'
  | 'interval'
  | 'remote';

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

export interface StoreOptions {
  historySamples?: number;
  intervalMs?: number;
  maxEvents?: number;
  thresholds?: AlertThresholds;
}

export class Store {
  readonly records = new Map<string, InstanceRecord>();
  orphans: OrphanProcess[] = [];
  /** Instances this umltop paused with mconsole `stop` (key → wall ms), until it resumes them. */
  readonly pausedByUmltop = new Map<string, number>();
  hostTotals: HostTotals | undefined;
  /** Other hosts (`--host`), by name. */
  readonly remotes = new Map<string, RemoteHost>();
  intervalMs: number;
  private events: StoreEvent[] = [];
  private seq = 0;
  private listeners = new Set<() => void>();
  private notifyQueued = false;
  readonly historySamples: number;
  private readonly maxEvents: number;
  readonly thresholds: AlertThresholds;

  constructor(
    readonly clock: Clock,
    opts: StoreOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? 1000;
    this.historySamples = opts.historySamples ?? Math.ceil(600_000 / this.intervalMs);
    this.maxEvents = opts.maxEvents ?? 1000;
    this.thresholds = opts.thresholds ?? DEFAULT_THRESHOLDS;
  }

  /** Every input to the store, in order, with the instant it was applied at, for the flight recorder. */
  private tap: ((op: RecordOp, args: unknown[], at: { mono: number; wall: number }) => void) | undefined;
  setTap(tap: ((op: RecordOp, args: unknown[], at: { mono: number; wall: number }) => void) | undefined): void {
    this.tap = tap;
  }

  /** The instant of the input being applied: read from the clock once, so a replay can give the same. */
  private t = { mono: 0, wall: 0 };
  private begin(op: RecordOp, args: unknown[]): void {
    this.t = { mono: this.clock.now(), wall: this.clock.wallNow() };
    this.tap?.(op, args, this.t);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private changed(): void {
    if (this.notifyQueued) return;
    this.notifyQueued = true;
    queueMicrotask(() => {
      this.notifyQueued = false;
      for (const l of this.listeners) l();
    });
  }

  /** An event from outside the store (notifications, actions, errors): recorded for replay. */
  event(e: Omit<StoreEvent, 'seq' | 'wall'>): StoreEvent {
    this.begin('event', [e]);
    return this.emit(e);
  }

  private emit(e: Omit<StoreEvent, 'seq' | 'wall'>): StoreEvent {
    const full = { ...e, seq: ++this.seq, wall: this.t.wall };
    this.events.push(full);
    if (this.events.length > this.maxEvents) this.events.splice(0, this.events.length - this.maxEvents);
    this.changed();
    return full;
  }

  eventsSince(seq: number): StoreEvent[] {
    return this.events.filter((e) => e.seq > seq);
  }
  get lastEventSeq(): number {
    return this.seq;
  }
  recentEvents(n: number): StoreEvent[] {
    return this.events.slice(-n);
  }

  setIntervalMs(ms: number): void {
    this.begin('interval', [ms]);
    this.intervalMs = ms;
    this.changed();
  }

  /** Raise new alerts and clear gone ones, each with an event (type 'alert', data.alert = id). */
  updateAlerts(rec: InstanceRecord): void {
    const now = this.t.wall;
    const holding = evaluateAlerts(rec, now, this.intervalMs, this.thresholds);
    for (const a of holding) {
      if (!rec.alerts.has(a.id)) {
        rec.alerts.set(a.id, { since: now, alert: a });
        this.emit({
          type: 'alert',
          key: rec.key,
          umid: rec.umid,
          severity: a.severity,
          message: `${rec.umid}: ALERT ${a.id}: ${a.message}`,
          data: { alert: a.id, raised: true },
        });
      } else {
        rec.alerts.get(a.id)!.alert = a;
      }
    }
    for (const [id, v] of rec.alerts) {
      if (!holding.some((a) => a.id === id)) {
        rec.alerts.delete(id);
        this.emit({
          type: 'alert',
          key: rec.key,
          umid: rec.umid,
          severity: 'info',
          message: `${rec.umid}: cleared ${id} (held ${Math.round((now - v.since) / 1000)} s)`,
          data: { alert: id, raised: false },
        });
      }
    }
  }

  markPanic(key: string, message: string): void {
    this.begin('panic', [key, message]);
    const rec = this.records.get(key);
    if (!rec) return;
    rec.panic = message;
    this.setState(rec, 'dead', `kernel panic: ${message}`);
    this.updateAlerts(rec);
    this.changed();
  }

  setPausedByUmltop(key: string, paused: boolean): void {
    this.begin('paused', [key, paused]);
    if (paused) this.pausedByUmltop.set(key, this.t.wall);
    else this.pausedByUmltop.delete(key);
    this.changed();
  }

  /** A remote host's connection state (and its totals): losing it marks its instances unresponsive. */
  setRemote(
    name: string,
    patch: { state?: RemoteHost['state']; reason?: string; totals?: HostTotals; umlDirs?: string[] },
  ): void {
    this.begin('remote', [name, patch]);
    const before = this.remotes.get(name);
    const r: RemoteHost = {
      ...(before ?? { name, state: 'connecting', reason: 'connecting', since: this.t.wall }),
      ...patch,
    };
    if (patch.state && patch.state !== before?.state) {
      r.since = this.t.wall;
      this.emit({
        type: 'host',
        severity: patch.state === 'lost' ? 'error' : 'info',
        message: `host ${name}: ${patch.state}${patch.reason ? ` (${patch.reason})` : ''}`,
        data: { host: name, state: patch.state },
      });
    }
    this.remotes.set(name, r);
    if (r.state === 'lost') {
      for (const rec of this.records.values()) {
        if (rec.hostName !== name || rec.state === 'dead' || rec.state === 'invalid') continue;
        this.setState(rec, 'unresponsive', `host ${name} lost: ${r.reason}`);
        this.updateAlerts(rec);
      }
    }
    this.changed();
  }

  applyHostTotals(t: HostTotals): void {
    this.begin('hostTotals', [t]);
    this.hostTotals = t;
    this.changed();
  }

  /** Replace the set of instances found in the uml dirs (one dir's list, or all). */
  applyDiscovery(found: DiscoveredInstance[], dirs?: string[]): void {
    this.begin('discovery', [found, dirs]);
    const scope = dirs ? (key: string) => dirs.some((d) => key.startsWith(d.endsWith('/') ? d : d + '/')) : undefined;
    const seen = new Set(found.map((f) => f.key));
    for (const [key, rec] of this.records) {
      if ((scope ? scope(key) : true) && !seen.has(key)) {
        this.records.delete(key);
        this.emit({
          type: 'removed',
          key,
          umid: rec.umid,
          severity: 'info',
          message: `${rec.umid}: umid dir removed (instance halted or cleaned up)`,
        });
      }
    }
    for (const f of found) {
      const rec = this.records.get(f.key);
      const dirState: InstanceState | undefined = f.dirState === 'ok' ? undefined : f.dirState;
      if (
        !rec ||
        (rec.pid !== f.pid && f.pid !== undefined) ||
        (rec.starttime !== f.starttime && f.starttime !== undefined)
      ) {
        const isNew = !rec;
        const fresh = this.newRecord(f, dirState ?? 'running', dirState ? f.reason : 'discovered');
        this.records.set(f.key, fresh);
        this.emit({
          type: 'discovered',
          key: f.key,
          umid: f.umid,
          severity: dirState === 'dead' || dirState === 'invalid' ? 'warn' : 'info',
          message: `${f.umid}: ${isNew ? 'found' : 'new process'} in ${f.hostName ? `${f.hostName}:` : ''}${f.umlDir}${f.pid ? ` (pid ${f.pid})` : ''}: ${dirState ? `${dirState}, ${f.reason}` : 'running'}`,
        });
      } else if (dirState) {
        rec.leftoverPids = f.leftoverPids;
        this.setState(
          rec,
          dirState,
          rec.panic && dirState === 'dead' ? `kernel panic: ${rec.panic} (${f.reason})` : f.reason,
        );
        this.updateAlerts(rec);
      }
    }
    this.changed();
  }

  applyOrphans(orphans: OrphanProcess[]): void {
    this.begin('orphans', [orphans]);
    const before = new Set(this.orphans.map((o) => o.pid));
    for (const o of orphans) {
      if (!before.has(o.pid))
        this.emit({
          type: 'orphan',
          severity: 'warn',
          message: `orphan UML process pid ${o.pid} (${o.comm}${o.umid ? `, umid ${o.umid}` : ''}): ${o.reason}`,
        });
    }
    this.orphans = orphans;
    this.changed();
  }

  /** One sample of one instance: host counters (or why they could not be read), guest sample. */
  applySample(
    key: string,
    s: { host?: HostCounters; hostGone?: string; guest?: GuestSample; unpluggedKiB?: number },
  ): void {
    this.begin('sample', [key, s]);
    const rec = this.records.get(key);
    if (!rec) return;
    rec.sampleAt = this.t.mono;
    rec.sampleWall = this.t.wall;
    if (s.unpluggedKiB !== undefined) rec.unpluggedKiB = s.unpluggedKiB;
    if (s.host) {
      const p = rec.prevHost;
      if (p && p.pid === s.host.pid && p.starttime === s.host.starttime)
        rec.totals.hostCpuSeconds += Math.max(0, s.host.cpuTicks - p.cpuTicks) / USER_HZ;
      rec.host = hostView(s.host, rec.prevHost);
      rec.prevHost = s.host;
    }
    rec.history.hostCpu.push(s.host ? rec.host?.cpuPercent : undefined);
    let frozenMs: number | undefined;
    if (s.guest?.counters.requests) addRequests(rec.totals, s.guest.counters.requests);
    if (s.guest && s.guest.reach.kind === 'answered') {
      const g = s.guest.counters;
      const prev = rec.prevGuest;
      rec.guest = guestView(g, prev, rec.guest);
      // Did the guest's idle time move since the previous stat? (see liveness.ts)
      const cur = g.stat?.value.cpu;
      const old = prev?.stat?.value.cpu;
      if (cur && old && prev?.stat) {
        const moved = cur.idle !== old.idle || cur.iowait !== old.iowait;
        if (moved) rec.frozenSince = undefined;
        else rec.frozenSince ??= prev.stat.at;
        if (rec.frozenSince !== undefined) frozenMs = g.stat!.at - rec.frozenSince;
      }
      rec.prevGuest = g;
      for (const [file, why] of Object.entries(g.errors)) {
        if (rec.state === 'running')
          this.emit({
            type: 'error',
            key,
            umid: rec.umid,
            severity: 'warn',
            message: `${rec.umid}: proc ${file}: ${why}`,
          });
      }
    }
    rec.history.memAvailableKiB.push(s.guest?.reach.kind === 'answered' ? rec.guest?.meminfo.MemAvailable : undefined);
    rec.history.irqPerSec.push(s.guest?.reach.kind === 'answered' ? rec.guest?.irqPerSec : undefined);
    rec.history.softirqPerSec.push(s.guest?.reach.kind === 'answered' ? rec.guest?.softirqPerSec : undefined);
    if (rec.guest && s.guest?.reach.kind === 'answered') {
      for (const i of rec.guest.interrupts) this.lineHistory(rec, `irq:${i.irq}`).push(i.perSec);
      for (const si of rec.guest.softirqs) this.lineHistory(rec, `softirq:${si.name}`).push(si.perSec);
    }
    const verdict =
      rec.panic && s.hostGone
        ? { state: 'dead' as const, reason: `kernel panic: ${rec.panic}` }
        : decideLiveness({
            hostGone: s.hostGone,
            hostProcState: s.host?.state,
            hostSyscall: s.host?.syscall,
            hostWchan: s.host?.wchan,
            hostCpuPercent: rec.host?.cpuPercent,
            reach: s.guest?.reach,
            guestIdleFrozenMs: frozenMs,
          });
    this.setState(rec, verdict.state, verdict.reason);
    if (
      verdict.state === 'dead' ||
      (verdict.state === 'running' &&
        this.pausedByUmltop.has(key) &&
        this.t.wall - this.pausedByUmltop.get(key)! > 3 * this.intervalMs)
    ) {
      this.pausedByUmltop.delete(key);
    }
    if (verdict.state === 'stopped' && rec.guest) {
      // Its jiffies are bookkeeping of our own requests, not guest work.
      rec.guest.cpuPercent = undefined;
      rec.guest.cpu = undefined;
    }
    rec.history.guestCpu.push(s.guest?.reach.kind === 'answered' ? rec.guest?.cpuPercent : undefined);
    this.updateAlerts(rec);
    this.changed();
  }

  /** Mark state changes (with an event) and keep the reason fresh. */
  setState(rec: InstanceRecord, state: InstanceState, reason: string): void {
    if (rec.state !== state) {
      const severity = state === 'running' ? 'info' : state === 'stopped' ? 'warn' : 'error';
      this.emit({
        type: 'state',
        key: rec.key,
        umid: rec.umid,
        severity,
        message: `${rec.umid}: ${rec.state} → ${state}: ${reason}`,
        data: { from: rec.state, to: state },
      });
      rec.state = state;
      rec.stateSince = this.t.wall;
    }
    rec.reason = reason;
  }

  sampleAgeMs(rec: InstanceRecord, now = this.clock.now()): number | undefined {
    return rec.sampleAt === undefined ? undefined : Math.max(0, Math.round(now - rec.sampleAt));
  }

  isStale(rec: InstanceRecord, now = this.clock.now()): boolean {
    const age = this.sampleAgeMs(rec, now);
    return age === undefined ? rec.state === 'running' : age > 2 * this.intervalMs;
  }

  private lineHistory(rec: InstanceRecord, key: string): RingBuffer {
    let r = rec.history.lines.get(key);
    if (!r) {
      r = new RingBuffer(this.historySamples);
      rec.history.lines.set(key, r);
    }
    return r;
  }

  private newRecord(f: DiscoveredInstance, state: InstanceState, reason: string): InstanceRecord {
    const n = this.historySamples;
    return {
      key: f.key,
      umid: f.umid,
      umlDir: f.umlDir,
      ...(f.hostName ? { hostName: f.hostName } : {}),
      socket: f.socket,
      pid: f.pid,
      starttime: f.starttime,
      state,
      reason,
      stateSince: this.t.wall,
      firstSeenWall: this.t.wall,
      unpluggedKiB: 0,
      leftoverPids: f.leftoverPids,
      alerts: new Map(),
      totals: {
        hostCpuSeconds: 0,
        requests: { count: 0, sumSeconds: 0, buckets: LATENCY_BUCKETS.map(() => 0) },
        failures: {},
      },
      history: {
        hostCpu: new RingBuffer(n),
        guestCpu: new RingBuffer(n),
        memAvailableKiB: new RingBuffer(n),
        irqPerSec: new RingBuffer(n),
        softirqPerSec: new RingBuffer(n),
        lines: new Map(),
      },
    };
  }
}

function addRequests(t: InstanceTotals, r: RequestStats): void {
  for (const ms of r.latenciesMs) {
    const sec = ms / 1000;
    t.requests.count += 1;
    t.requests.sumSeconds += sec;
    LATENCY_BUCKETS.forEach((le, i) => {
      if (sec <= le) t.requests.buckets[i]! += 1;
    });
  }
  for (const [kind, n] of Object.entries(r.failures)) t.failures[kind] = (t.failures[kind] ?? 0) + n;
}

function hostView(c: HostCounters, p: HostCounters | undefined): HostView {
  const dt = p ? c.at - p.at : 0;
  const same = p && p.pid === c.pid && p.starttime === c.starttime;
  const r = (a: number | undefined, b: number | undefined) => (same ? round(perSecond(a, b, dt)) : undefined);
  return {
    procState: c.state,
    cpuPercent: same ? round(ticksToPercent(c.cpuTicks, p.cpuTicks, dt)) : undefined,
    rssKiB: c.rssKiB,
    rssShmemKiB: c.rssShmemKiB,
    rssAnonKiB: c.rssAnonKiB,
    rssFileKiB: c.rssFileKiB,
    physmemKiB: c.physmemKiB,
    threads: c.threads,
    children: c.children,
    ctxtVoluntaryPerSec: r(c.voluntaryCtxt, p?.voluntaryCtxt),
    ctxtInvoluntaryPerSec: r(c.involuntaryCtxt, p?.involuntaryCtxt),
    minorFaultsPerSec: r(c.minorFaults, p?.minorFaults),
    majorFaultsPerSec: r(c.majorFaults, p?.majorFaults),
    ioReadBytesPerSec: r(c.io?.rchar, p?.io?.rchar),
    ioWriteBytesPerSec: r(c.io?.wchar, p?.io?.wchar),
  };
}

function guestView(g: GuestCounters, p: GuestCounters | undefined, before?: GuestView): GuestView {
  const stat = g.stat?.value;
  const pstat = p?.stat?.value;
  const statDt = g.stat && p?.stat ? g.stat.at - p.stat.at : 0;
  const split = stat?.cpu && pstat?.cpu ? cpuSplit(stat.cpu, pstat.cpu) : undefined;
  const irqDt = g.interrupts && p?.interrupts ? g.interrupts.at - p.interrupts.at : 0;
  // The most of umltop's requests that can have been counted between the two readings.
  const selfDelta =
    g.interrupts && p?.interrupts
      ? g.interrupts.selfRequests - (p.interrupts.selfRequestsCounted ?? p.interrupts.selfRequests)
      : undefined;
  const prevIrq = new Map(p?.interrupts?.value.map((i) => [i.irq, i.count]));
  let irqSum = 0;
  let irqKnown = false;
  const interrupts: InterruptRate[] = (g.interrupts?.value ?? []).map((i) => {
    const perSec = perSecond(i.count, prevIrq.get(i.irq), irqDt);
    const out: InterruptRate = { irq: i.irq, name: i.name, count: i.count, perSec: round(perSec) };
    if (i.name === 'mconsole' && selfDelta !== undefined) {
      // Requests sent together can share one interrupt: ours are at most what was sent and at most what was counted.
      const sent = perSecond(selfDelta, 0, irqDt);
      const selfPerSec = sent !== undefined && perSec !== undefined ? Math.min(sent, perSec) : sent;
      out.self = {
        perSec: round(selfPerSec),
        note: "umltop's own mconsole requests (those sent together can share one interrupt); excluded from the IRQ total",
      };
      if (perSec !== undefined) {
        irqSum += Math.max(0, perSec - (selfPerSec ?? 0));
        irqKnown = true;
      }
    } else if (perSec !== undefined) {
      irqSum += perSec;
      irqKnown = true;
    }
    return out;
  });
  const softDt = g.softirqs && p?.softirqs ? g.softirqs.at - p.softirqs.at : 0;
  const prevSoft = new Map(p?.softirqs?.value.map((s) => [s.name, s.count]));
  let softSum = 0;
  let softKnown = false;
  // softirqs are asked for every other sample: between readings, keep the last rates
  const reread = softDt > 0 || !before || !p?.softirqs;
  const softirqs: SoftirqRate[] = !reread
    ? before.softirqs
    : (g.softirqs?.value ?? []).map((s) => {
        const perSec = perSecond(s.count, prevSoft.get(s.name), softDt);
        if (perSec !== undefined) {
          softSum += perSec;
          softKnown = true;
        }
        return { name: s.name, count: s.count, perSec: round(perSec) };
      });
  if (!reread && before.softirqPerSec !== undefined) {
    softSum = before.softirqPerSec;
    softKnown = true;
  }
  const vm = g.vmstat?.value ?? {};
  const pvm = p?.vmstat?.value;
  const vmDt = g.vmstat && p?.vmstat ? g.vmstat.at - p.vmstat.at : 0;
  const la = g.loadavg?.value;
  const errors = { ...g.errors };
  for (const [file, n] of Object.entries(g.ignoredLines)) errors[file] ??= `${n} unreadable line(s) ignored`;
  return {
    cpuPercent: round(split?.busyPercent),
    cpu: split
      ? (Object.fromEntries(Object.entries(split.split).map(([k, v]) => [k, round(v)])) as CpuSplit)
      : undefined,
    ctxtPerSec: round(perSecond(stat?.ctxt, pstat?.ctxt, statDt)),
    forksPerSec: round(perSecond(stat?.processes, pstat?.processes, statDt)),
    procsRunning: stat?.procsRunning,
    procsBlocked: stat?.procsBlocked,
    meminfo: g.meminfo?.value ?? {},
    loadavg: la ? [la.load1, la.load5, la.load15] : undefined,
    uptimeSeconds: g.uptime?.value.seconds,
    interrupts,
    irqPerSec: irqKnown ? round(irqSum) : undefined,
    softirqs,
    softirqPerSec: softKnown ? round(softSum) : undefined,
    vmstat: {
      oomKill: vm.oom_kill,
      pgfault: vm.pgfault,
      pgmajfault: vm.pgmajfault,
      pswpin: vm.pswpin,
      pswpout: vm.pswpout,
      // vmstat is asked for every other sample: between readings, keep the last rate
      pgfaultPerSec: vmDt > 0 ? round(perSecond(vm.pgfault, pvm?.pgfault, vmDt)) : before?.vmstat.pgfaultPerSec,
      oomKillsNew:
        vm.oom_kill !== undefined && pvm?.oom_kill !== undefined && vm.oom_kill >= pvm.oom_kill
          ? vm.oom_kill - pvm.oom_kill
          : undefined,
    },
    version: g.version?.text,
    errors,
  };
}
