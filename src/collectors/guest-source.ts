// Guest view of one instance through its mconsole: `proc` files, `version` once, and the
// liveness ladder when `proc` does not answer. Returns parsed counters with the time each file's
// reply arrived; the store turns them into rates.
import type { MconsoleClient } from '../mconsole/client.js';
import { isMcError } from '../mconsole/errors.js';
import { parseInterrupts, type InterruptLine } from './proc/interrupts.js';
import { parseLoadavg, type Loadavg } from './proc/loadavg.js';
import { parseMeminfo, type Meminfo } from './proc/meminfo.js';
import { parseSoftirqs, type SoftirqLine } from './proc/softirqs.js';
import { interruptsFromStat, parseStat, softirqsFromStat, type Stat } from './proc/stat.js';
import type { Uptime } from './proc/uptime.js';
import { parseVersion, type GuestVersion } from './proc/version.js';
import { parseVmstat, type Vmstat } from './proc/vmstat.js';

export interface Timed<T> {
  at: number;
  value: T;
}

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
  | { kind: 'gone'; message: string }
  | { kind: 'scheduler-stuck'; message: string }
  | { kind: 'wedged'; message: string };

export interface GuestSample {
  reach: GuestReach;
  counters: GuestCounters;
}

const FILES = ['stat', 'meminfo', 'loadavg', 'interrupts', 'softirqs', 'vmstat'] as const;
type GuestFile = (typeof FILES)[number];
/**
 * How often each file is asked for, in samples: every request wakes the guest and costs the host
 * a context switch and a few packets (the bulk of umltop's cost), so files that change slowly are
 * asked less often. The kernel recomputes loadavg every 5 s; vmstat rates come from their own
 * timestamps either way (vmstat, 6 packets long, carries the OOM-kill count: an OOM alert comes
 * within 5 s). The guest's uptime is derived from /proc/stat's btime instead of asked for.
 * /proc/stat also counts every IRQ and softirq kind (its `intr` and `softirq` lines), so
 * /proc/interrupts is read for its names every NAMES_EVERY samples, or at once when an IRQ with no
 * name counts, and /proc/softirqs (whose kinds are fixed in the kernel) once; either is read every
 * time (`softirqs` every 2nd) for a guest whose /proc/stat does not carry all their counts.
 */
export const EVERY: Record<GuestFile, number> = {
  stat: 1,
  meminfo: 1,
  loadavg: 5,
  vmstat: 5,
  interrupts: 1,
  softirqs: 2,
};
export const NAMES_EVERY = 30;

/** Lanes (sockets) the poller's client needs so that every file due in a sample goes out at once. */
export const GUEST_LANES = FILES.length;

export class GuestSource {
  private version: GuestVersion | undefined;
  /** Requests this source has sent to the guest (each raises the guest's mconsole IRQ count). */
  requestsSent = 0;

  constructor(
    private readonly client: MconsoleClient,
    private readonly now: () => number = () => performance.now(),
    private readonly ladderTimeoutMs = 500,
    private readonly wallNow: () => number = () => Date.now(),
  ) {}

  private samples = 0;
  private last: Partial<Pick<GuestCounters, 'loadavg' | 'vmstat' | 'softirqs'>> = {};
  /** The last /proc/interrupts reading (names by IRQ), and whether /proc/stat's counts fit it. */
  private irqNames: InterruptLine[] | undefined;
  private namedIrqs = new Set<string>();
  private irqsFromStat = true;
  /** An IRQ with no name counted: read /proc/interrupts next sample. */
  private unnamedIrq = false;
  private lastIntr: number[] | undefined;
  private softirqNames: string[] | undefined;
  private softirqsFromStat = true;

  private requests: RequestStats = { latenciesMs: [], failures: {} };

  /** Whether the guest answered `proc` last time. */
  private answering = true;

  async sample(): Promise<GuestSample> {
    const sample = await this.sampleFiles();
    this.answering = sample.reach.kind === 'answered';
    return sample;
  }

  private async sampleFiles(): Promise<GuestSample> {
    this.requests = { latenciesMs: [], failures: {} };
    const counters: GuestCounters = { errors: {}, ignoredLines: {}, requests: this.requests };
    const n = this.samples++;
    // A guest that did not answer last time is asked for `stat` alone until it does: a wedged
    // guest's socket holds only a few requests, then every further send is retried until its deadline.
    const due = this.answering ? FILES.filter((file) => this.isDue(file, n)) : (['stat'] as const);
    // The due files are asked for together (the client sends each on its own lane, GUEST_LANES):
    // one wake-up of the guest per sample instead of one per file.
    const sentBefore = this.requestsSent;
    const answers = due.map((file) =>
      this.ask(`proc ${file}`).then(
        (text) => ({ text, at: this.now() }),
        (e: unknown) => ({ error: e as Error }),
      ),
    );
    // The guest reads the counts after its own request and at most this burst's reached it.
    const self = { selfRequests: this.requestsSent, selfRequestsCounted: sentBefore + 1 };
    const settled = await Promise.all(answers);
    for (const [i, file] of due.entries()) {
      const answer = settled[i]!;
      if ('error' in answer) {
        const e = answer.error;
        counters.errors[file] = e.message;
        if (isMcError(e) && e.kind === 'gone') return { reach: { kind: 'gone', message: e.message }, counters };
        if (file === 'stat' && isMcError(e) && (e.kind === 'timeout' || e.kind === 'incomplete'))
          return { reach: await this.ladder(e.message), counters };
        continue; // ERR reply, bad packet, or a late file: the others may still have answered
      }
      const { text, at } = answer;
      switch (file) {
        case 'stat': {
          const p = parseStat(text);
          counters.stat = { at, value: p.value };
          note(counters, file, p.ignored);
          break;
        }
        case 'meminfo': {
          const p = parseMeminfo(text);
          counters.meminfo = { at, value: p.value };
          note(counters, file, p.ignored);
          break;
        }
        case 'loadavg': {
          const p = parseLoadavg(text);
          if (p.value) counters.loadavg = { at, value: p.value };
          note(counters, file, p.ignored);
          break;
        }
        case 'interrupts': {
          // Its names are kept; its counts are used only when /proc/stat's do not fit them (one
          // source for every sample: the two are read at different moments of the burst).
          const p = parseInterrupts(text);
          counters.interrupts = { at, value: p.value, ...self };
          this.irqNames = p.value;
          this.namedIrqs = new Set(p.value.map((l) => l.irq));
          this.unnamedIrq = false;
          note(counters, file, p.ignored);
          break;
        }
        case 'softirqs': {
          const p = parseSoftirqs(text);
          counters.softirqs = { at, value: p.value };
          this.softirqNames = p.value.map((l) => l.name);
          note(counters, file, p.ignored);
          break;
        }
        case 'vmstat': {
          const p = parseVmstat(text);
          counters.vmstat = { at, value: p.value };
          note(counters, file, p.ignored);
          break;
        }
      }
    }
    if (counters.stat) this.countsFromStat(counters, counters.stat, self);
    // Between their turns, the slower files keep their last reading (with its own timestamp).
    if (counters.loadavg) this.last.loadavg = counters.loadavg;
    else if (this.last.loadavg) counters.loadavg = this.last.loadavg;
    if (counters.vmstat) this.last.vmstat = counters.vmstat;
    else if (this.last.vmstat) counters.vmstat = this.last.vmstat;
    if (counters.softirqs) this.last.softirqs = counters.softirqs;
    else if (this.last.softirqs) counters.softirqs = this.last.softirqs;
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

  private isDue(file: GuestFile, n: number): boolean {
    switch (file) {
      case 'interrupts':
        return (
          !this.irqNames ||
          this.unnamedIrq ||
          n % NAMES_EVERY === 0 ||
          (!this.irqsFromStat && n % EVERY.interrupts === 0)
        );
      case 'softirqs':
        return !this.softirqNames || (!this.softirqsFromStat && n % EVERY.softirqs === 0);
      default:
        return n % EVERY[file] === 0;
    }
  }

  /**
   * Interrupt and softirq counts from /proc/stat, named by the last readings of their own files
   * (which this sample may have read too: stat's counts still win when they fit).
   */
  private countsFromStat(
    counters: GuestCounters,
    stat: Timed<Stat>,
    self: { selfRequests: number; selfRequestsCounted: number },
  ): void {
    const intr = stat.value.intrByIrq;
    if (this.irqNames) {
      const value = intr && interruptsFromStat(this.irqNames, intr);
      this.irqsFromStat = value !== undefined;
      if (value) counters.interrupts = { at: stat.at, value, ...self };
      if (intr) this.unnamedIrq = unnamedIrqCounted(intr, this.lastIntr, this.namedIrqs);
    }
    this.lastIntr = intr;
    if (this.softirqNames) {
      const byKind = stat.value.softirqByKind;
      const value = byKind && softirqsFromStat(this.softirqNames, byKind);
      this.softirqsFromStat = value !== undefined;
      if (value) counters.softirqs = { at: stat.at, value };
    }
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
      if (isMcError(e) && e.kind === 'gone') return { kind: 'gone', message: e.message };
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

/** Whether an IRQ that /proc/interrupts did not name has counted since the last sample (a device came). */
export function unnamedIrqCounted(
  intr: readonly number[],
  last: readonly number[] | undefined,
  named: ReadonlySet<string>,
): boolean {
  return intr.some((count, irq) => count !== (last?.[irq] ?? 0) && !named.has(String(irq)));
}

function note(c: GuestCounters, file: string, ignored: number): void {
  if (ignored > 0) c.ignoredLines[file] = ignored;
}
