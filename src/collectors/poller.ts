// The poller drives collection: discovery → per-instance samples → store. Each instance has its
// own loop (a hung guest delays only itself); tick() samples everything once, for tests and
// batch output; start() runs the loops, the directory watcher and the periodic rescans.
import type { DiscoveredInstance } from './discovery.js';
import { InstanceFinder } from './instance-finder.js';
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
}

interface Sampler {
  instance: DiscoveredInstance;
  host: HostSource;
  client: MconsoleClient;
  guest: GuestSource;
  backing: BackingFiles;
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
  lastStart?: number;
}

export class Poller {
  private samplers = new Map<string, Sampler>();
  private readonly finder: InstanceFinder;
  private started = false;
  private watcher: UmlDirWatcher | undefined;
  private housekeeping: NodeJS.Timeout | undefined;
  private recheck: NodeJS.Timeout | undefined;
  private lastOrphanScan = -Infinity;
  intervalMs: number;
  readonly timeoutMs: number;
  private readonly read: ProcReader;

  constructor(private readonly o: PollerOptions) {
    this.intervalMs = o.intervalMs ?? 1000;
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
        if (this.started) this.schedule(f.key, 0); // seen now, sampled now: no waiting for the next tick
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

  /** Sample one instance now (joins a sample already under way). */
  sample(key: string): Promise<void> {
    const s = this.samplers.get(key);
    if (!s) return Promise.resolve();
    if (s.running) return s.running;
    s.lastStart = this.o.clock.now();
    s.running = this.collect(s).finally(() => {
      s.running = undefined;
    });
    return s.running;
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
    for (const key of this.samplers.keys()) this.schedule(key, 0);
    let beats = 0;
    const housekeeping = () => {
      if (!this.started) return;
      // The watcher sees new and removed umid dirs at once and a sample sees a death: the full
      // rescan is a safety net, every 5th beat.
      if (++beats % 5 === 0 || this.o.watch === false) this.discover();
      if (this.o.clock.now() - this.lastOrphanScan >= (this.o.orphanScanEveryMs ?? 5000)) this.scanOrphans();
      void this.sampleHostTotals();
      this.housekeeping = setTimeout(housekeeping, this.untilBeat());
    };
    this.housekeeping = setTimeout(housekeeping, this.untilBeat());
  }

  stop(): void {
    this.started = false;
    clearTimeout(this.housekeeping);
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

  private schedule(key: string, delayMs: number): void {
    const s = this.samplers.get(key);
    if (!s || !this.started) return;
    clearTimeout(s.timer);
    s.timer = setTimeout(async () => {
      await this.sample(key);
      const again = this.samplers.get(key);
      if (!again || !this.started) return;
      this.schedule(key, this.untilBeat());
    }, delayMs);
  }

  private async collect(s: Sampler): Promise<void> {
    let host: HostCounters | undefined;
    let hostGone: string | undefined;
    try {
      host = s.host.sample();
    } catch (e) {
      hostGone = e instanceof HostGone ? `${e.message}; the instance died` : (e as Error).message;
    }
    let guest: GuestSample | undefined;
    // A process stopped on the host cannot answer, and a guest paused by `stop` may queue `proc`
    // requests behind its stop loop: asking would only burn deadlines.
    if (host && host.state !== 'T' && !inStopLoop(host)) guest = await s.guest.sample();
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
      client,
      host: new HostSource(f.pid!, f.starttime, this.o.read, () => this.o.clock.now(), { io: this.o.io }),
      backing: new BackingFiles(f.pid!, () => this.o.clock.now()),
      guest: new GuestSource(client, {
        now: () => this.o.clock.now(),
        wallNow: () => this.o.clock.wallNow(),
        ladderTimeoutMs: Math.min(500, this.timeoutMs),
        io: this.o.io,
      }),
    });
  }

  /** `drain`: requests in flight (an action's, say) keep their socket until answered or due. */
  private dropSampler(key: string, o: { drain?: boolean } = {}): void {
    const s = this.samplers.get(key);
    if (!s) return;
    clearTimeout(s.timer);
    if (o.drain) s.client.closeWhenIdle();
    else s.client.close();
    s.host.close();
    this.samplers.delete(key);
  }
}
