// IRQ and softirq counts from /proc/stat's `intr` and `softirq` lines, named by the last readings
// of /proc/interrupts and /proc/softirqs: the names are asked for rarely (NAMES_EVERY samples, or
// at once when an IRQ without a name counts), the files themselves every time only for a guest
// whose /proc/stat does not carry all their counts.
import type { GuestCounters, Timed } from './guest-sample.js';
import type { InterruptLine } from './proc/interrupts.js';
import type { SoftirqLine } from './proc/softirqs.js';
import { interruptsFromStat, type Stat, softirqsFromStat } from './proc/stat.js';

export const NAMES_EVERY = 30;
/** Samples between readings of the files themselves when /proc/stat cannot stand for them. */
const FILE_EVERY = { interrupts: 1, softirqs: 2 };

/** umltop's own requests around the reading of the counts (see GuestCounters.interrupts). */
export interface SelfRequests {
  selfRequests: number;
  selfRequestsCounted: number;
}

export class IrqNames {
  /** The last /proc/interrupts reading (names by IRQ), and whether /proc/stat's counts fit it. */
  private irqNames: InterruptLine[] | undefined;
  private namedIrqs = new Set<string>();
  private irqsFromStat = true;
  /** An IRQ with no name counted: read /proc/interrupts next sample. */
  private unnamedIrq = false;
  private lastIntr: number[] | undefined;
  private softirqNames: string[] | undefined;
  private softirqsFromStat = true;

  /** Is /proc/interrupts or /proc/softirqs due in sample `n`? */
  isDue(file: 'interrupts' | 'softirqs', n: number): boolean {
    if (file === 'interrupts')
      return (
        !this.irqNames ||
        this.unnamedIrq ||
        n % NAMES_EVERY === 0 ||
        (!this.irqsFromStat && n % FILE_EVERY.interrupts === 0)
      );
    return !this.softirqNames || (!this.softirqsFromStat && n % FILE_EVERY.softirqs === 0);
  }

  readInterrupts(lines: InterruptLine[]): void {
    this.irqNames = lines;
    this.namedIrqs = new Set(lines.map((l) => l.irq));
    this.unnamedIrq = false;
  }

  readSoftirqs(lines: SoftirqLine[]): void {
    this.softirqNames = lines.map((l) => l.name);
  }

  /** The counts from /proc/stat, where they fit the names (they win over the files' own: one source per sample). */
  fromStat(counters: GuestCounters, stat: Timed<Stat>, self: SelfRequests): void {
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
}

/** Whether an IRQ that /proc/interrupts did not name has counted since the last sample (a device came). */
export function unnamedIrqCounted(
  intr: readonly number[],
  last: readonly number[] | undefined,
  named: ReadonlySet<string>,
): boolean {
  return intr.some((count, irq) => count !== (last?.[irq] ?? 0) && !named.has(String(irq)));
}
