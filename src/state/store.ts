// The store: the one place samples land. Every change is one StoreInput given to apply(); panes,
// batch output and the exporter read the records. Listeners are told (coalesced, at most once per
// microtask) only when something changed.
import { type BalancePolicy, DEFAULT_POLICY } from './advice.js';
import type { DiscoveredInstance } from '../collectors/discovery.js';
import type { OrphanProcess } from '../collectors/kernel-processes.js';
import type { HostTotals } from '../collectors/host-totals.js';
import type { Clock } from '../runtime/clock.js';
import { type AlertThresholds, DEFAULT_THRESHOLDS, evaluateAlerts, foldAlerts } from './alerts.js';
import { deriveSample, finishSample, newRecord } from './derive.js';
import type { InstanceSample, RemotePatch, StoreInput } from './input.js';
import type { InstanceState } from './liveness.js';
import type { EventInput, InstanceRecord, RemoteHost, StoreEvent } from './records.js';

export interface StoreOptions {
  historySamples?: number;
  intervalMs?: number;
  maxEvents?: number;
  thresholds?: AlertThresholds;
  /** How long a quiet instance may go unasked (ms; 0 = every interval, `--full-rate`): its figures are not stale before. */
  quietMaxAgeMs?: number;
  /** The memory balancer's limits, which the advice shown follows too (config [balance]). */
  balancePolicy?: BalancePolicy;
}

/** The instant an input was applied at (monotonic and wall ms). */
export interface Instant {
  mono: number;
  wall: number;
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
  readonly quietMaxAgeMs: number;
  private events: StoreEvent[] = [];
  private seq = 0;
  private listeners = new Set<() => void>();
  private notifyQueued = false;
  readonly historySamples: number;
  private readonly maxEvents: number;
  readonly thresholds: AlertThresholds;
  readonly balancePolicy: BalancePolicy;
  /** Told of every input, in order, with the instant it was applied at (the flight recorder). */
  private tap: ((input: StoreInput, at: Instant) => void) | undefined;
  /** The instant of the input being applied: read from the clock once, so a replay can give the same. */
  private t: Instant = { mono: 0, wall: 0 };

  constructor(
    readonly clock: Clock,
    opts: StoreOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? 1000;
    this.historySamples = opts.historySamples ?? Math.ceil(600_000 / this.intervalMs);
    this.maxEvents = opts.maxEvents ?? 1000;
    this.quietMaxAgeMs = opts.quietMaxAgeMs ?? 0;
    // a recording made before a threshold existed gets its default
    this.thresholds = { ...DEFAULT_THRESHOLDS, ...opts.thresholds };
    this.balancePolicy = opts.balancePolicy ?? DEFAULT_POLICY;
  }

  setTap(tap: ((input: StoreInput, at: Instant) => void) | undefined): void {
    this.tap = tap;
  }

  /** The one way in: every input is stamped, recorded and folded into the records. */
  apply(input: StoreInput): void {
    this.t = { mono: this.clock.now(), wall: this.clock.wallNow() };
    this.tap?.(input, this.t);
    if (this.fold(input)) this.changed();
  }

  /** Whether the input changed anything (a sample or panic for an instance not known does not). */
  private fold(input: StoreInput): boolean {
    switch (input.op) {
      case 'discovery':
        this.discovery(input.found, input.dirs);
        break;
      case 'orphans':
        this.applyOrphans(input.orphans);
        break;
      case 'hostTotals':
        this.hostTotals = input.totals;
        break;
      case 'sample':
        return this.sample(input.key, input.sample);
      case 'event':
        this.emit(input.event);
        break;
      case 'panic':
        return this.panic(input.key, input.message);
      case 'paused':
        if (input.paused) this.pausedByUmltop.set(input.key, this.t.wall);
        else this.pausedByUmltop.delete(input.key);
        break;
      case 'interval':
        this.intervalMs = input.ms;
        break;
      case 'remote':
        this.remote(input.name, input.patch);
        break;
    }
    return true;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  eventsSince(seq: number): StoreEvent[] {
    // events are in seq order and a reader asks for the few since its last look: walk back to them
    let i = this.events.length;
    while (i > 0 && this.events[i - 1]!.seq > seq) i--;
    return this.events.slice(i);
  }
  get lastEventSeq(): number {
    return this.seq;
  }
  recentEvents(n: number): StoreEvent[] {
    return this.events.slice(-n);
  }

  sampleAgeMs(rec: InstanceRecord, now = this.clock.now()): number | undefined {
    return rec.sampleAt === undefined ? undefined : Math.max(0, Math.round(now - rec.sampleAt));
  }

  /** Older than a quiet instance may get before it is asked again (or 2 intervals, at full rate). */
  isStale(rec: InstanceRecord, now = this.clock.now()): boolean {
    const age = this.sampleAgeMs(rec, now);
    return age === undefined ? rec.state === 'running' : age > this.quietMaxAgeMs + 2 * this.intervalMs;
  }

  private changed(): void {
    if (this.notifyQueued) return;
    this.notifyQueued = true;
    queueMicrotask(() => {
      this.notifyQueued = false;
      for (const l of this.listeners) l();
    });
  }

  private emit(e: EventInput): void {
    this.events.push({ ...e, seq: ++this.seq, wall: this.t.wall });
    if (this.events.length > this.maxEvents) this.events.splice(0, this.events.length - this.maxEvents);
  }

  /** Raise new alerts and clear gone ones, each with an event. */
  private updateAlerts(rec: InstanceRecord): void {
    const holding = evaluateAlerts(rec, this.t.wall, this.intervalMs, this.thresholds);
    for (const e of foldAlerts(rec, holding, this.t.wall)) this.emit(e);
  }

  /** Mark state changes (with an event) and keep the reason fresh. */
  /** `noSocket`: the kernel runs but its mconsole socket is not there (a reboot or halt under way): no hang to bundle. */
  private setState(rec: InstanceRecord, state: InstanceState, reason: string, noSocket?: boolean): void {
    rec.changes++;
    if (rec.state !== state) {
      const severity = state === 'running' ? 'info' : state === 'stopped' ? 'warn' : 'error';
      this.emit({
        type: 'state',
        key: rec.key,
        umid: rec.umid,
        severity,
        message: `${rec.umid}: ${rec.state} → ${state}: ${reason}`,
        data: { from: rec.state, to: state, ...(noSocket ? { noSocket: true } : {}) },
      });
      rec.state = state;
      rec.stateSince = this.t.wall;
    }
    rec.reason = reason;
  }

  private panic(key: string, message: string): boolean {
    const rec = this.records.get(key);
    if (!rec) return false;
    rec.panic = message;
    rec.changes++;
    this.setState(rec, 'dead', `kernel panic: ${message}`);
    this.updateAlerts(rec);
    return true;
  }

  /** A remote host's connection state (and its totals): losing it marks its instances unresponsive. */
  private remote(name: string, patch: RemotePatch): void {
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
    if (r.state !== 'lost') return;
    for (const rec of this.records.values()) {
      if (rec.hostName !== name || rec.state === 'dead' || rec.state === 'invalid') continue;
      this.setState(rec, 'unresponsive', `host ${name} lost: ${r.reason}`);
      this.updateAlerts(rec);
    }
  }

  /** Replace the set of instances found in the uml dirs (the dirs scanned, or all). */
  private discovery(found: DiscoveredInstance[], dirs?: string[]): void {
    const inScope = dirs
      ? (key: string) => dirs.some((d) => key.startsWith(d.endsWith('/') ? d : `${d}/`))
      : () => true;
    const seen = new Set(found.map((f) => f.key));
    for (const [key, rec] of this.records) {
      if (!inScope(key) || seen.has(key)) continue;
      this.records.delete(key);
      this.emit({
        type: 'removed',
        key,
        umid: rec.umid,
        severity: 'info',
        message: `${rec.umid}: umid dir removed (instance halted or cleaned up)`,
      });
    }
    for (const f of found) {
      const rec = this.records.get(f.key);
      const dirState: InstanceState | undefined = f.dirState === 'ok' ? undefined : f.dirState;
      const replaced =
        rec &&
        ((rec.pid !== f.pid && f.pid !== undefined) || (rec.starttime !== f.starttime && f.starttime !== undefined));
      if (!rec || replaced) {
        const state = dirState ?? 'running';
        this.records.set(
          f.key,
          newRecord(f, state, dirState ? f.reason : 'discovered', this.t.wall, this.historySamples),
        );
        const where =
          `${f.hostName ? `${f.hostName}:` : ''}${f.umlDir}${f.pid ? ` (pid ${f.pid})` : ''}` +
          `${f.found ? ', from the process table' : ''}${f.netns ? `, network namespace ${f.netns}` : ''}${f.note ? `; ${f.note}` : ''}`;
        this.emit({
          type: 'discovered',
          key: f.key,
          umid: f.umid,
          severity: dirState === 'dead' || dirState === 'invalid' ? 'warn' : 'info',
          message: `${f.umid}: ${rec ? 'new process' : 'found'} in ${where}: ${dirState ? `${dirState}, ${f.reason}` : 'running'}`,
        });
      } else if (rec && (rec.note !== f.note || rec.netns !== f.netns)) {
        rec.note = f.note;
        rec.netns = f.netns;
        rec.changes++;
      }
      // its socket is up now (it was booting): running until a sample says otherwise, so a
      // notification it sends before its first sample is its own
      if (rec && !replaced && !dirState && (rec.state === 'invalid' || rec.noSocket))
        this.setState(rec, 'running', 'mconsole socket up (guest not asked yet)');
      if (rec && !replaced && dirState) {
        rec.leftoverPids = f.leftoverPids;
        const reason = rec.panic && dirState === 'dead' ? `kernel panic: ${rec.panic} (${f.reason})` : f.reason;
        this.setState(rec, dirState, reason, f.noSocket);
        rec.noSocket = f.noSocket;
        this.updateAlerts(rec);
      }
    }
  }

  private applyOrphans(orphans: OrphanProcess[]): void {
    const before = new Set(this.orphans.map((o) => o.pid));
    for (const o of orphans) {
      if (before.has(o.pid)) continue;
      this.emit({
        type: 'orphan',
        severity: 'warn',
        message: `orphan UML process pid ${o.pid} (${o.comm}${o.umid ? `, umid ${o.umid}` : ''}): ${o.reason}`,
      });
    }
    this.orphans = orphans;
  }

  /** One sample of one instance: derived views and history, guest file errors, the verdict, alerts. */
  private sample(key: string, s: InstanceSample): boolean {
    const rec = this.records.get(key);
    if (!rec) return false;
    // a quiet instance's figures stand for every interval since it was last sampled (up to quietMaxAgeMs)
    const most = Math.ceil(this.quietMaxAgeMs / this.intervalMs) + 1;
    const beats =
      rec.sampleAt === undefined
        ? 1
        : Math.max(1, Math.min(most, Math.round((this.t.mono - rec.sampleAt) / this.intervalMs)));
    rec.sampleAt = this.t.mono;
    rec.sampleWall = this.t.wall;
    rec.changes++;
    const verdict = deriveSample(rec, s, this.historySamples, beats);
    if (s.guest?.reach.kind === 'answered' && rec.state === 'running') {
      for (const [file, why] of Object.entries(s.guest.counters.errors)) {
        this.emit({
          type: 'error',
          key,
          umid: rec.umid,
          severity: 'warn',
          message: `${rec.umid}: proc ${file}: ${why}`,
        });
      }
    }
    this.setState(rec, verdict.state, verdict.reason, verdict.noSocket);
    rec.noSocket = verdict.noSocket;
    const pausedSince = this.pausedByUmltop.get(key);
    const resumedElsewhere =
      verdict.state === 'running' && pausedSince !== undefined && this.t.wall - pausedSince > 3 * this.intervalMs;
    if (verdict.state === 'dead' || resumedElsewhere) this.pausedByUmltop.delete(key);
    finishSample(rec, s, beats);
    this.updateAlerts(rec);
    return true;
  }
}
