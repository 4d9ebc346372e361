// The poller drives collection: discovery → per-instance samples → store. One beat a interval
// looks at every instance: one that moved (its kernel's main thread woke or ran, schedstat) in
// the last few intervals or was last asked quietMaxAgeMs ago is sampled in full, host and guest;
// a quiet one is not asked and its figures stay with their age. Each sample runs on its own,
// full ones a few at a time (ask-gate.ts: a hung guest delays the others by its patience only).
// tick() samples all once, for tests and batch output; start() runs the beats, the directory
// watcher and the rescans.
import type { DiscoveredInstance } from './discovery.js';
import { InstanceFinder } from './instance-finder.js';
import { AskGate } from './ask-gate.js';
import { BackingFiles } from './backing-files.js';
import type { GuestSample } from './guest-sample.js';
import { GUEST_LANES, GuestSource } from './guest-source.js';
import { HostGone, HostSource, inStopLoop, type HostCounters } from './host-source.js';
import type { CollectorSink, UnplugLedger } from './sink.js';
import { readProc, type ProcReader } from './proc-files.js';
import { HostTotalsSource } from './host-totals.js';
import { UmlDirWatcher } from './watcher.js';
import { MconsoleClient, type RequestRecord } from '../mconsole/client.js';
import type { Clock } from '../runtime/clock.js';

export interface PollerOptions {
  /** Where every reading goes (the store). */
  sink: CollectorSink;
  clock: Clock;
  umlDirs: string[];
  intervalMs?: number;
  /** Deadline of each mconsole request. */
  timeoutMs?: number;
  read?: ProcReader;
  orphanScanEveryMs?: number;
  /** Observe every mconsole request (metrics). */
  onRequest?: (key: string, r: RequestRecord) => void;
  watch?: boolean;
  /** Collect disk and network I/O (default on; off: `--no-io`). */
  io?: boolean;
  /** The hotplug ledger, so each sample carries what umltop has unplugged from this boot. */
  ledger?: UnplugLedger;
  /** Also watch the uml dir of every UML kernel in the process table (no --uml-dir given). */
  processTable?: boolean;
  /** A quiet instance is still sampled in full this often (ms; default 5000). */
  quietMaxAgeMs?: number;
  /** Sample every instance in full every interval, quiet or not (`--full-rate`). */
  fullRate?: boolean;
  /** Ask sampled guests for vmstat this often (samples; the balancer wants every one). */
  vmstatEvery?: number;
}

interface Sampler {
  instance: DiscoveredInstance;
  host: HostSource;
  client: MconsoleClient;
  guest: GuestSource;
  backing: BackingFiles;
  running?: Promise<void>;
  /** How many full samples it had. */
  fullSamples: number;
  /** When its look last showed it moved (it stays sampled every interval a while after). */
  movedAt?: number;
  /** When it is due for its age (quiet), and how many such samples it had in a row. */
  dueAt?: number;
  quietSamples: number;
  /** When its last full sample began. */
  fullAt?: number;
  /** A second look half an interval after it moved out of quiet (see beat). */
  followUp?: ReturnType<typeof setTimeout>;
}

/** The whole uml dirs scanned again this often, besides what the watcher and the samples see. */
const RESCAN_EVERY_MS = 10_000;

/** Every how many quiet samples in a row reads the host side in full (the others only its stat). */
const HEAVY_EVERY = 6;

/**
 * An instance that moved is sampled every interval until this many intervals have passed since it
 * last did: a guest that works in bursts a second apart (a job, a `dd` every second) otherwise
 * fell quiet between bursts, was skipped, and showed its last burst's rate carried over (bench:
 * disk 1.33x and CPU 1.09x what `--full-rate` showed, samples up to 3 s old).
 */
export const MOVED_HOLD_INTERVALS = 3;

/** A quiet instance is still sampled in full at least this often, so a hang is found. */
export const DEFAULT_QUIET_MAX_AGE_MS = 5000;

/**
 * Guests asked for a full sample at once, and how long one keeps its place (ask-gate.ts). At the
 * start on 500 guests (2 cores): all at once, 215 missed the deadline; 32 at a time, the ends of
 * 82-157 replies were dropped; 8, none, and the first document came after 2 s instead of 5.
 */
export const ASK_SLOTS = 8;
export const ASK_PATIENCE_MS = 100;

export class Poller {
  private samplers = new Map<string, Sampler>();
  private readonly finder: InstanceFinder;
  private started = false;
  private watcher: UmlDirWatcher | undefined;
  private beatTimer: NodeJS.Timeout | undefined;
  private lastRescan = -Infinity;
  private recheck: NodeJS.Timeout | undefined;
  private lastOrphanScan = -Infinity;
  intervalMs: number;
  /** 0: every instance every interval (`--full-rate`). */
  readonly quietMaxAgeMs: number;
  readonly timeoutMs: number;
  private readonly read: ProcReader;
  private readonly gate = new AskGate({ slots: ASK_SLOTS, patienceMs: ASK_PATIENCE_MS });

  constructor(private readonly o: PollerOptions) {
    this.intervalMs = o.intervalMs ?? 1000;
    this.quietMaxAgeMs = o.fullRate ? 0 : (o.quietMaxAgeMs ?? DEFAULT_QUIET_MAX_AGE_MS);
    this.timeoutMs = o.timeoutMs ?? Math.min(2000, Math.max(500, this.intervalMs));
    this.read = o.read ?? readProc;
    this.finder = new InstanceFinder(this.read, () => this.o.clock.now());
  }

  get umlDirs(): string[] {
    return this.o.umlDirs;
  }

  /** Watch one more uml dir (an instance announced itself there, or a kernel in the process table lives there). */
  addUmlDir(dir: string, from?: 'process table'): void {
    if (this.o.umlDirs.includes(dir)) return;
    this.o.umlDirs.push(dir);
    if (from) this.finder.processDirs.add(dir);
    if (this.started && this.watcher) this.watcher.watch(this.o.umlDirs);
  }

  /** Scan the uml dirs (all, or the named ones) and bring the store and the samplers in line. */
  discover(dirs: string[] = this.o.umlDirs): DiscoveredInstance[] {
    if (dirs === this.o.umlDirs) this.lastRescan = this.o.clock.now();
    const found = this.finder.scan(dirs);
    this.o.sink.apply({ op: 'discovery', found, dirs });
    // a dir gone under a live kernel: a reboot brings it back, a halt ends the process; look again soon
    const gone = [...new Set(found.filter((f) => f.noSocket).map((f) => f.umlDir))];
    if (gone.length && this.started) {
      clearTimeout(this.recheck);
      this.recheck = setTimeout(() => this.started && this.discover(gone), 500);
    }
    for (const [key, s] of this.samplers) {
      const f = this.finder.discovered.get(key);
      if (f?.dirState !== 'ok' || f.pid !== s.instance.pid || f.starttime !== s.instance.starttime)
        this.dropSampler(key, { drain: true });
    }
    for (const f of found) {
      if (f.dirState === 'ok' && !this.samplers.has(f.key)) {
        this.addSampler(f);
        if (this.started) void this.sample(f.key); // seen now, sampled now: no waiting for the next beat
      }
    }
    return found;
  }

  /** The process table: uml dirs of kernels found there (watched when asked), orphans told to the store. */
  scanOrphans(): void {
    let r = this.finder.scanProcesses(this.o.umlDirs);
    const more = [...r.rescan, ...(this.o.processTable ? r.outside : [])];
    if (more.length) {
      if (this.o.processTable) for (const d of r.outside) this.addUmlDir(d, 'process table');
      this.discover(more);
      r = this.finder.scanProcesses(this.o.umlDirs);
    }
    this.o.sink.apply({ op: 'orphans', orphans: r.orphans });
    this.lastOrphanScan = this.o.clock.now();
  }

  /** One full round: rediscover, host totals, every instance sampled once (concurrently). */
  async tick(): Promise<void> {
    this.discover();
    if (this.o.clock.now() - this.lastOrphanScan >= (this.o.orphanScanEveryMs ?? 5000)) this.scanOrphans();
    await Promise.all([this.sampleHostTotals(), ...[...this.samplers.keys()].map((k) => this.sample(k))]);
  }

  /**
   * Sample one instance now (joins a sample already under way). `quiet`: it did not move since it
   * was last asked, and is asked for its age: the host side reads only what says it lives.
   */
  sample(key: string, o: { quiet?: boolean } = {}): Promise<void> {
    const s = this.samplers.get(key);
    if (!s) return Promise.resolve();
    if (s.running) return s.running;
    const now = this.o.clock.now();
    s.fullSamples++;
    s.quietSamples = o.quiet ? s.quietSamples + 1 : 0;
    if (!o.quiet) s.fullAt = now;
    s.dueAt = now + (s.fullSamples === 2 ? this.phase(s) : this.quietMaxAgeMs);
    // every HEAVY_EVERY-th quiet sample reads the host side in full (RSS, I/O counters, children)
    const light = o.quiet === true && s.quietSamples % HEAVY_EVERY !== 0;
    s.running = this.run(s, o.quiet === true, light);
    return s.running;
  }

  /**
   * A full sample goes through the gate (a few guests at a time, the host side read when its turn
   * comes); a quiet one asks for one file and goes at once: the beat's quiet asks, spread over the
   * beats already, are sent together and wake umltop once, not once a wave. A method, not a
   * closure per sample: those are compiled again after each full GC (CONTRIBUTING.md).
   */
  private async run(s: Sampler, quiet: boolean, light: boolean): Promise<void> {
    try {
      if (quiet) await this.collect(s, true, light);
      else await this.gate.run(() => this.collect(s, false, light));
    } finally {
      s.running = undefined;
    }
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.beat0 = this.o.clock.now();
    this.discover();
    this.scanOrphans();
    void this.sampleHostTotals();
    if (this.o.watch !== false) {
      this.watcher = new UmlDirWatcher((dirs) => {
        if (this.started) this.discover(dirs);
      });
      this.watcher.watch(this.o.umlDirs);
    }
    for (const key of this.samplers.keys()) void this.sample(key);
    this.beatTimer = setTimeout(() => this.beat(), this.untilBeat());
  }

  /** One beat: housekeeping, then every instance that moved or is due is sampled in full. */
  private beat(): void {
    if (!this.started) return;
    // The watcher sees new and removed umid dirs at once and a sample sees a death: the full
    // rescan is a safety net, every RESCAN_EVERY_MS (with hundreds of instances a rescan reads a
    // few files of each).
    const now = this.o.clock.now();
    if (this.o.watch === false || now - this.lastRescan >= RESCAN_EVERY_MS) this.discover();
    if (now - this.lastOrphanScan >= (this.o.orphanScanEveryMs ?? 5000)) this.scanOrphans();
    void this.sampleHostTotals();
    // due a quarter interval early: the beats themselves wander by a few ms
    const soon = now + this.intervalMs / 4;
    for (const [key, s] of this.samplers) {
      if (s.running) continue;
      // two samples make the first rates: a new instance is asked on the next beat too
      if (!this.quietMaxAgeMs || s.fullSamples < 2 || s.guest.waitingOnDisk || this.active(s, now)) {
        // Out of quiet, its rates span the quiet spell (a guest that began to spin read 3-19 %):
        // a second look half an interval on shows the new rate within 1.5 intervals, not 2.
        const wasQuiet = s.fullSamples >= 2 && now - (s.fullAt ?? 0) > 1.5 * this.intervalMs;
        void this.sample(key);
        if (wasQuiet && this.quietMaxAgeMs) this.lookAgain(key, s);
      } else if (s.dueAt! <= soon) void this.sample(key, { quiet: true });
    }
    this.beatTimer = setTimeout(() => this.beat(), this.untilBeat());
  }

  /** Whether it moved since its last look, or within MOVED_HOLD_INTERVALS before. */
  private active(s: Sampler, now: number): boolean {
    if (s.host.moved()) s.movedAt = now;
    return s.movedAt !== undefined && now - s.movedAt < MOVED_HOLD_INTERVALS * this.intervalMs;
  }

  stop(): void {
    this.started = false;
    clearTimeout(this.beatTimer);
    clearTimeout(this.recheck);
    this.watcher?.close();
    for (const key of [...this.samplers.keys()]) this.dropSampler(key);
  }

  setIntervalMs(ms: number): void {
    this.intervalMs = ms;
  }

  /** The mconsole client of an instance, for actions (the same lanes and queue as the sampling). */
  clientFor(key: string): MconsoleClient | undefined {
    return this.samplers.get(key)?.client;
  }

  /** Every loop runs on one grid of beats, so a beat's samples land together (one render, one wake-up). */
  private beat0 = 0;
  private untilBeat(): number {
    const now = this.o.clock.now();
    const left = this.intervalMs - ((now - this.beat0) % this.intervalMs);
    return left < this.intervalMs / 4 ? left + this.intervalMs : left; // never twice within a quarter interval
  }

  /**
   * When a quiet instance is first due for its age: instances found together are spread over the
   * beats of quietMaxAgeMs (by their key), so each beat asks a share of them, not all at once.
   */
  private phase(s: Sampler): number {
    const beats = Math.max(1, Math.round(this.quietMaxAgeMs / this.intervalMs));
    let h = 0;
    for (const ch of s.instance.key) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    return ((h % beats) + 1) * this.intervalMs;
  }

  private async collect(s: Sampler, quiet: boolean, light: boolean): Promise<void> {
    let host: HostCounters | undefined;
    let hostGone: string | undefined;
    try {
      host = s.host.sample({ light });
    } catch (e) {
      hostGone = e instanceof HostGone ? `${e.message}; the instance died` : (e as Error).message;
    }
    let guest: GuestSample | undefined;
    // A process stopped on the host cannot answer, and a guest paused by `stop` may queue `proc`
    // requests behind its stop loop: asking would only burn deadlines.
    if (host && host.state !== 'T' && !inStopLoop(host)) guest = await s.guest.sample({ quiet });
    if (host) s.host.markAsked();
    // Dropped while its guest was asked (the instance went away or was replaced): discovery has
    // told the store already, and a late sample must not bring the old instance back.
    if (this.samplers.get(s.instance.key) !== s) return;
    let unpluggedKiB: number | undefined;
    const btime = guest?.counters.stat?.value.btime;
    if (this.o.ledger && host && btime !== undefined) {
      try {
        unpluggedKiB = this.o.ledger.unpluggedKiB(s.instance.umlDir, s.instance.umid, {
          pid: host.pid,
          starttime: host.starttime,
          btime,
        });
      } catch (e) {
        this.o.sink.apply({
          op: 'event',
          event: {
            type: 'error',
            key: s.instance.key,
            umid: s.instance.umid,
            severity: 'error',
            message: (e as Error).message,
          },
        });
      }
    }
    const backing = host ? s.backing.facts(guest?.counters.ubd) : undefined;
    this.o.sink.apply({
      op: 'sample',
      key: s.instance.key,
      sample: { host, hostGone, guest, unpluggedKiB, ...(backing ? { backing } : {}) },
    });
    if (hostGone || guest?.reach.kind === 'gone') this.discover([s.instance.umlDir]);
  }

  private totals = new HostTotalsSource(undefined, () => this.o.clock.now());

  private async sampleHostTotals(): Promise<void> {
    try {
      this.o.sink.apply({ op: 'hostTotals', totals: this.totals.sample() });
    } catch {
      /* header shows unknown */
    }
  }

  private addSampler(f: DiscoveredInstance): void {
    const client = new MconsoleClient(f.socket, {
      timeoutMs: this.timeoutMs,
      label: f.umid,
      lanes: GUEST_LANES,
      now: () => this.o.clock.now(),
      onRequest: this.o.onRequest ? (r) => this.o.onRequest!(f.key, r) : undefined,
    });
    this.samplers.set(f.key, {
      instance: f,
      fullSamples: 0,
      quietSamples: 0,
      client,
      host: new HostSource(f.pid!, f.starttime, this.o.read, () => this.o.clock.now(), { io: this.o.io }),
      backing: new BackingFiles(f.pid!, () => this.o.clock.now()),
      guest: new GuestSource(client, {
        now: () => this.o.clock.now(),
        wallNow: () => this.o.clock.wallNow(),
        ladderTimeoutMs: Math.min(500, this.timeoutMs),
        io: this.o.io,
        vmstatEvery: this.o.vmstatEvery,
      }),
    });
  }

  /**
   * A full sample half an interval from now (one pending at a time), unless stopped or dropped
   * meanwhile. If the first is still under way then (a slow guest, a loaded host), the second
   * follows it at once: joining it would have given no second look at all.
   */
  private lookAgain(key: string, s: Sampler): void {
    clearTimeout(s.followUp);
    const again = () => {
      if (this.started && this.samplers.get(key) === s) void this.sample(key);
    };
    s.followUp = setTimeout(() => {
      s.followUp = undefined;
      if (s.running) void s.running.then(again, again);
      else again();
    }, this.intervalMs / 2);
  }

  /** `drain`: requests in flight (an action's, say) keep their socket until answered or due. */
  private dropSampler(key: string, o: { drain?: boolean } = {}): void {
    const s = this.samplers.get(key);
    if (!s) return;
    clearTimeout(s.followUp);
    if (o.drain) s.client.closeWhenIdle();
    else s.client.close();
    s.host.close();
    this.samplers.delete(key);
  }
}
