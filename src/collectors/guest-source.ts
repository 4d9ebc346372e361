// Guest view of one instance through its mconsole: `proc` files, `version` once, and the
// liveness ladder when `proc` does not answer. Returns parsed counters with the time each file's
// reply arrived; the store turns them into rates.
import type { MconsoleClient } from '../mconsole/client.js';
import { isMcError } from '../mconsole/errors.js';
import { parseInterrupts, type InterruptLine } from './proc/interrupts.js';
import { parseLoadavg, type Loadavg } from './proc/loadavg.js';
import { parseMeminfo, type Meminfo } from './proc/meminfo.js';
import { parseSoftirqs, type SoftirqLine } from './proc/softirqs.js';
import { parseStat, type Stat } from './proc/stat.js';
import { parseUptime, type Uptime } from './proc/uptime.js';
import { parseVersion, type GuestVersion } from './proc/version.js';
import { parseVmstat, type Vmstat } from './proc/vmstat.js';

export interface Timed<T> { at: number; value: T }

export interface GuestCounters {
  stat?: Timed<Stat>;
  meminfo?: Timed<Meminfo>;
  loadavg?: Timed<Loadavg>;
  uptime?: Timed<Uptime>;
  interrupts?: Timed<InterruptLine[]> & { selfRequests: number };
  softirqs?: Timed<SoftirqLine[]>;
  vmstat?: Timed<Vmstat>;
  version?: GuestVersion;
  /** Files that failed, with why. */
  errors: Record<string, string>;
  /** Lines the parsers could not read, per file. */
  ignoredLines: Record<string, number>;
}

/** How far up the ladder the guest answered. */
export type GuestReach =
  | { kind: 'answered' }
  | { kind: 'gone'; message: string }
  | { kind: 'scheduler-stuck'; message: string }
  | { kind: 'wedged'; message: string };

export interface GuestSample { reach: GuestReach; counters: GuestCounters }

const FILES = ['stat', 'meminfo', 'loadavg', 'uptime', 'interrupts', 'softirqs', 'vmstat'] as const;

export class GuestSource {
  private version: GuestVersion | undefined;
  /** Requests this source has sent to the guest (each raises the guest's mconsole IRQ count). */
  requestsSent = 0;

  constructor(private readonly client: MconsoleClient, private readonly now: () => number = () => performance.now(),
              private readonly ladderTimeoutMs = 500) {}

  async sample(): Promise<GuestSample> {
    const counters: GuestCounters = { errors: {}, ignoredLines: {} };
    for (const file of FILES) {
      const selfRequests = this.requestsSent + 1; // the count including this request, when it reaches the guest
      let text: string;
      try {
        text = await this.ask(`proc ${file}`);
      } catch (e) {
        counters.errors[file] = (e as Error).message;
        if (isMcError(e) && e.kind === 'gone') return { reach: { kind: 'gone', message: e.message }, counters };
        if (isMcError(e) && (e.kind === 'timeout' || e.kind === 'incomplete')) {
          if (file === 'stat') return { reach: await this.ladder(e.message), counters };
          break; // it answered earlier in this sample: report what we have
        }
        continue; // ERR reply or bad packet for this file: the others may still work
      }
      const at = this.now();
      switch (file) {
        case 'stat': { const p = parseStat(text); counters.stat = { at, value: p.value }; note(counters, file, p.ignored); break; }
        case 'meminfo': { const p = parseMeminfo(text); counters.meminfo = { at, value: p.value }; note(counters, file, p.ignored); break; }
        case 'loadavg': { const p = parseLoadavg(text); if (p.value) counters.loadavg = { at, value: p.value }; note(counters, file, p.ignored); break; }
        case 'uptime': { const p = parseUptime(text); if (p.value) counters.uptime = { at, value: p.value }; note(counters, file, p.ignored); break; }
        case 'interrupts': { const p = parseInterrupts(text); counters.interrupts = { at, value: p.value, selfRequests }; note(counters, file, p.ignored); break; }
        case 'softirqs': { const p = parseSoftirqs(text); counters.softirqs = { at, value: p.value }; note(counters, file, p.ignored); break; }
        case 'vmstat': { const p = parseVmstat(text); counters.vmstat = { at, value: p.value }; note(counters, file, p.ignored); break; }
      }
    }
    if (!this.version) {
      try { this.version = parseVersion(await this.ask('version')); } catch (e) { counters.errors.version = (e as Error).message; }
    }
    counters.version = this.version;
    return { reach: { kind: 'answered' }, counters };
  }

  /** `proc` did not answer. `help` runs in interrupt context: if it answers, the kernel is alive but its scheduler is stuck. */
  private async ladder(procMessage: string): Promise<GuestReach> {
    try {
      await this.ask('help', this.ladderTimeoutMs);
      return { kind: 'scheduler-stuck', message: `guest scheduler stuck: 'help' (interrupt context) answers, 'proc' does not (${procMessage})` };
    } catch (e) {
      if (isMcError(e) && e.kind === 'gone') return { kind: 'gone', message: e.message };
      return { kind: 'wedged', message: `kernel wedged: not even 'help' (interrupt context) answers within ${this.ladderTimeoutMs} ms` };
    }
  }

  private async ask(command: string, timeoutMs?: number): Promise<string> {
    this.requestsSent += 1;
    const reply = await this.client.request(command, timeoutMs ? { timeoutMs } : {});
    return reply.text;
  }
}

function note(c: GuestCounters, file: string, ignored: number): void {
  if (ignored > 0) c.ignoredLines[file] = ignored;
}
