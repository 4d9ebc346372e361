// Guest view of one instance through its mconsole: `proc` files, `version` once, the files behind
// its disks, and the liveness ladder when `proc` does not answer. Returns parsed counters with the
// time each file's reply arrived (guest-sample.ts); the store turns them into rates.
import type { MconsoleClient } from '../mconsole/client.js';
import { isMcError, type McGoneError } from '../mconsole/errors.js';
import { GuestDisks, parseUbdConfig } from './guest-disks.js';
import { IrqNames } from './guest-irq-names.js';
import type { GuestCounters, GuestReach, GuestSample, RequestStats } from './guest-sample.js';
import { parseDiskstats } from './proc/diskstats.js';
import { parseInterrupts } from './proc/interrupts.js';
import { parseLoadavg } from './proc/loadavg.js';
import { parseMeminfo } from './proc/meminfo.js';
import { parseSoftirqs } from './proc/softirqs.js';
import { parseStat } from './proc/stat.js';
import { type GuestVersion, parseVersion } from './proc/version.js';
import { parseVmstat, VMSTAT_USED } from './proc/vmstat.js';

const FILES = ['stat', 'meminfo', 'loadavg', 'interrupts', 'softirqs', 'vmstat', 'diskstats'] as const;
type GuestFile = (typeof FILES)[number];
/**
 * How often the plain files are asked for, in samples: every request wakes the guest and costs the
 * host a context switch and a few packets (the bulk of umltop's cost), so files that change slowly
 * are asked less often. The kernel recomputes loadavg every 5 s; vmstat rates come from their own
 * timestamps either way (and vmstat carries the OOM-kill count: an OOM alert comes within 5 s).
 * The guest's uptime is derived from /proc/stat's btime instead of asked for. The IRQ and softirq
 * files (guest-irq-names.ts) and diskstats (guest-disks.ts) keep schedules of their own.
 */
export const EVERY: Record<'stat' | 'meminfo' | 'loadavg' | 'vmstat', number> = {
  stat: 1,
  meminfo: 1,
  loadavg: 5,
  vmstat: 5,
};

/** A guest whose CPU did nothing but idle over the last sample is asked for meminfo this often. */
export const QUIET_MEMINFO_EVERY = 2;

/**
 * A guest asked for its age (it did not move) is asked for `stat` alone, and every this-many-th
 * time for meminfo, loadavg and vmstat too: they cannot change much while it does nothing, and
 * every request wakes it (the bulk of what asking costs both sides).
 */
export const QUIET_FILES_EVERY = 6;

/**
 * What a quiet ask reads: `stat`, now and then the memory files, and diskstats whenever the guest
 * has a disk (one that hangs leaves the guest idle, so only diskstats can show it; without this, a
 * hang that began just after a reading with nothing in flight went unseen while the guest stayed
 * quiet). Constant arrays: at 500 guests, 100 quiet asks a second.
 */
const QUIET_ASKS = {
  stat: ['stat'],
  statDisks: ['stat', 'diskstats'],
  files: ['stat', 'meminfo', 'loadavg', 'vmstat'],
  filesDisks: ['stat', 'meminfo', 'loadavg', 'vmstat', 'diskstats'],
} as const satisfies Record<string, readonly GuestFile[]>;

type Answer = { text: string; at: number } | { error: Error };

/** Lanes (sockets) the poller's client needs so that every file due in a sample goes out at once. */
export const GUEST_LANES = FILES.length;

export interface GuestSourceOptions {
  now?: () => number;
  wallNow?: () => number;
  /** Deadline of the ladder's `help` (ms). */
  ladderTimeoutMs?: number;
  /** Ask for diskstats and the disks' files (off: `--no-io`). */
  io?: boolean;
  /** Ask a sampled guest for vmstat every this-many samples (default EVERY.vmstat; 1: the balancer's pressure rates). */
  vmstatEvery?: number;
}

export class GuestSource {
  private version: GuestVersion | undefined;
  /** Requests this source has sent to the guest (each raises the guest's mconsole IRQ count). */
  requestsSent = 0;
  private samples = 0;
  private last: Partial<Pick<GuestCounters, 'meminfo' | 'loadavg' | 'vmstat' | 'softirqs' | 'diskstats'>> = {};
  private readonly irqs = new IrqNames();
  private readonly disks = new GuestDisks();
  private requests: RequestStats = { latenciesMs: [], failures: {} };
  /** Whether the guest answered `proc` last time. */
  private answering = true;
  /** Its non-idle jiffies at the last stat, and whether they stood still since the one before. */
  private busyJiffies: number | undefined;
  private quiet = false;
  private readonly now: () => number;
  private readonly wallNow: () => number;
  private readonly ladderTimeoutMs: number;
  private readonly io: boolean;
  private readonly vmstatEvery: number;

  constructor(
    private readonly client: MconsoleClient,
    o: GuestSourceOptions = {},
  ) {
    this.now = o.now ?? (() => performance.now());
    this.wallNow = o.wallNow ?? (() => Date.now());
    this.ladderTimeoutMs = o.ladderTimeoutMs ?? 500;
    this.io = o.io ?? true;
    this.vmstatEvery = o.vmstatEvery ?? EVERY.vmstat;
  }

  /**
   * `quiet`: the guest did nothing since it was last asked, and is asked for its age: `stat` (its
   * CPU, and that it answers), diskstats if it has a disk, and every QUIET_FILES_EVERY-th time
   * meminfo, loadavg and vmstat.
   */
  async sample(o: { quiet?: boolean } = {}): Promise<GuestSample> {
    const sample = await this.sampleFiles(o.quiet === true);
    this.answering = sample.reach.kind === 'answered';
    return sample;
  }

  /**
   * I/Os were in flight when its disks were last read: the guest waits on its host (a hung backing
   * file uses no CPU), so it is asked every interval until they complete, quiet or not.
   */
  get waitingOnDisk(): boolean {
    return this.io && this.disks.waiting;
  }

  private isDue(file: GuestFile, n: number): boolean {
    if (file === 'interrupts' || file === 'softirqs') return this.irqs.isDue(file, n);
    if (file === 'diskstats') return this.io && this.disks.isDue(n);
    // a quiet guest's memory cannot change much: every other sample (QUIET_MEMINFO_EVERY)
    if (file === 'meminfo' && this.quiet) return n % QUIET_MEMINFO_EVERY === 0;
    // the first two samples both: the reclaim rates (memory pressure) from the start, not after
    // a quiet guest's next two vmstat turns (30 s apart)
    if (file === 'vmstat') return n < 2 || n % this.vmstatEvery === 0;
    return n % EVERY[file] === 0;
  }

  private quietAsks = 0;

  private quietAsk(): readonly GuestFile[] {
    const files = this.quietAsks++ % QUIET_FILES_EVERY === 0;
    const disks = this.io && this.disks.hasDevices;
    return files ? (disks ? QUIET_ASKS.filesDisks : QUIET_ASKS.files) : disks ? QUIET_ASKS.statDisks : QUIET_ASKS.stat;
  }

  /** The files due in full sample `n` (a loop: per-call closures are compiled again after each full GC). */
  private dueFiles(n: number): GuestFile[] {
    const due: GuestFile[] = [];
    for (const file of FILES) if (this.isDue(file, n)) due.push(file);
    return due;
  }

  private async sampleFiles(quiet: boolean): Promise<GuestSample> {
    this.requests = { latenciesMs: [], failures: {} };
    const counters: GuestCounters = { errors: {}, ignoredLines: {}, requests: this.requests };
    const n = this.samples++;
    // A guest that did not answer last time is asked for `stat` alone until it does: a wedged
    // guest's socket holds only a few requests, then every further send is retried until its deadline.
    const due = !this.answering ? (['stat'] as const) : quiet ? this.quietAsk() : this.dueFiles(n);
    if (!quiet) this.quietAsks = 1; // what a full ask read needs no quiet ask right after
    // The due files are asked for together (the client sends each on its own lane, GUEST_LANES):
    // one wake-up of the guest per sample instead of one per file.
    const sentBefore = this.requestsSent;
    const answers: Promise<Answer>[] = [];
    for (const file of due) answers.push(this.answer(file));
    // The guest reads the counts after its own request and at most this burst's reached it.
    const self = { selfRequests: this.requestsSent, selfRequestsCounted: sentBefore + 1 };
    const settled = await Promise.all(answers);
    for (const [i, file] of due.entries()) {
      const answer = settled[i]!;
      if ('error' in answer) {
        const e = answer.error;
        counters.errors[file] = e.message;
        if (isMcError(e) && e.kind === 'gone') return { reach: goneReach(e), counters };
        if (file === 'stat' && isMcError(e) && (e.kind === 'timeout' || e.kind === 'incomplete'))
          return { reach: await this.ladder(e.message), counters };
        continue; // ERR reply, bad packet, or a late file: the others may still have answered
      }
      this.read(counters, file, answer.text, answer.at, self);
    }
    if (counters.stat) {
      this.irqs.fromStat(counters, counters.stat, self);
      const c = counters.stat.value.cpu;
      const busy = c ? c.user + c.nice + c.system + c.irq + c.softirq + c.steal : undefined;
      this.quiet = busy !== undefined && busy === this.busyJiffies;
      this.busyJiffies = busy;
    }
    if (counters.diskstats) await this.askUbdFiles(counters, n);
    else counters.ubd = this.disks.known();
    // Between their turns, the slower files keep their last reading (with its own timestamp).
    keepLast(counters, this.last, 'meminfo');
    keepLast(counters, this.last, 'loadavg');
    keepLast(counters, this.last, 'vmstat');
    keepLast(counters, this.last, 'softirqs');
    keepLast(counters, this.last, 'diskstats');
    const btime = counters.stat?.value.btime;
    if (btime !== undefined && counters.stat)
      counters.uptime = {
        at: counters.stat.at,
        value: { seconds: Math.max(0, Math.floor(this.wallNow() / 1000) - btime) },
      };
    if (!this.version) {
      try {
        this.version = parseVersion(await this.ask('version'));
      } catch (e) {
        counters.errors.version = (e as Error).message;
      }
    }
    counters.version = this.version;
    return { reach: { kind: 'answered' }, counters };
  }

  /**
   * One file's reply and when it came, or its error. A method: per-call closures are compiled
   * again after each full GC (CONTRIBUTING.md).
   */
  private async answer(file: GuestFile): Promise<Answer> {
    try {
      const text = await this.ask(`proc ${file}`);
      return { text, at: this.now() };
    } catch (e) {
      return { error: e as Error };
    }
  }

  private read(
    counters: GuestCounters,
    file: GuestFile,
    text: string,
    at: number,
    self: { selfRequests: number; selfRequestsCounted: number },
  ): void {
    let ignored = 0;
    switch (file) {
      case 'stat': {
        const p = parseStat(text);
        counters.stat = { at, value: p.value };
        ignored = p.ignored;
        break;
      }
      case 'meminfo': {
        const p = parseMeminfo(text);
        counters.meminfo = { at, value: p.value };
        ignored = p.ignored;
        break;
      }
      case 'loadavg': {
        const p = parseLoadavg(text);
        if (p.value) counters.loadavg = { at, value: p.value };
        ignored = p.ignored;
        break;
      }
      case 'interrupts': {
        // Its names are kept; its counts are used only when /proc/stat's do not fit them (one
        // source for every sample: the two are read at different moments of the burst).
        const p = parseInterrupts(text);
        counters.interrupts = { at, value: p.value, ...self };
        this.irqs.readInterrupts(p.value);
        ignored = p.ignored;
        break;
      }
      case 'softirqs': {
        const p = parseSoftirqs(text);
        counters.softirqs = { at, value: p.value };
        this.irqs.readSoftirqs(p.value);
        ignored = p.ignored;
        break;
      }
      case 'vmstat': {
        const p = parseVmstat(text, VMSTAT_USED);
        counters.vmstat = { at, value: p.value };
        ignored = p.ignored;
        break;
      }
      case 'diskstats': {
        const p = parseDiskstats(text);
        counters.diskstats = { at, value: p.value };
        ignored = p.ignored;
        break;
      }
    }
    if (ignored > 0) counters.ignoredLines[file] = ignored;
  }

  /** The files behind a ubd device that appeared (or was last asked long ago): `config ubdN`. */
  private async askUbdFiles(counters: GuestCounters, n: number): Promise<void> {
    const due = this.disks.read(counters.diskstats!.value, n);
    await Promise.all(
      due.map(({ name, command }) =>
        this.ask(command).then(
          (text) => this.disks.answered(name, n, parseUbdConfig(text)),
          (e: unknown) => this.disks.answered(name, n, { error: (e as Error).message }),
        ),
      ),
    );
    counters.ubd = this.disks.known();
  }

  /** `proc` did not answer. `help` runs in interrupt context: if it answers, the kernel is alive but its scheduler is stuck. */
  private async ladder(procMessage: string): Promise<GuestReach> {
    try {
      await this.ask('help', this.ladderTimeoutMs);
      return {
        kind: 'scheduler-stuck',
        message: `guest scheduler stuck: 'help' (interrupt context) answers, 'proc' does not (${procMessage})`,
      };
    } catch (e) {
      if (isMcError(e) && e.kind === 'gone') return goneReach(e);
      return {
        kind: 'wedged',
        message: `kernel wedged: not even 'help' (interrupt context) answers within ${this.ladderTimeoutMs} ms`,
      };
    }
  }

  private async ask(command: string, timeoutMs?: number): Promise<string> {
    this.requestsSent += 1;
    const t0 = this.now();
    try {
      const reply = await this.client.request(command, timeoutMs ? { timeoutMs } : {});
      this.requests.latenciesMs.push(this.now() - t0);
      return reply.text;
    } catch (e) {
      const kind = isMcError(e) ? e.kind : 'other';
      this.requests.failures[kind] = (this.requests.failures[kind] ?? 0) + 1;
      throw e;
    }
  }
}

/** A file read this sample becomes the last reading; one not read takes the last reading (with its own time). */
function keepLast<K extends 'meminfo' | 'loadavg' | 'vmstat' | 'softirqs' | 'diskstats'>(
  counters: GuestCounters,
  last: Partial<Pick<GuestCounters, K>>,
  k: K,
): void {
  if (counters[k]) last[k] = counters[k];
  else if (last[k]) counters[k] = last[k];
}

function goneReach(e: McGoneError): GuestReach {
  const noSocket = e.code === 'ENOENT' || e.code === 'ECONNREFUSED';
  return { kind: 'gone', message: e.message, ...(noSocket ? { noSocket } : {}) };
}
