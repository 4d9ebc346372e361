// /proc/stat → CPU jiffies by mode, context switches, forks, running/blocked tasks, irq/softirq
// totals, and the counts per IRQ number and per softirq kind (the same counts /proc/interrupts and
// /proc/softirqs print, without their names: those two files are asked for once and then only to
// learn names, see guest-source.ts).
import type { InterruptLine } from './interrupts.js';
import { blankAt, digitsAt, lines, nonBlankAt, uint, type Parsed } from './parse-util.js';
import type { SoftirqLine } from './softirqs.js';

export const CPU_MODES = [
  'user',
  'nice',
  'system',
  'idle',
  'iowait',
  'irq',
  'softirq',
  'steal',
  'guest',
  'guestNice',
] as const;
export type CpuMode = (typeof CPU_MODES)[number];
export type CpuJiffies = Record<CpuMode, number>;

export interface Stat {
  /** The aggregate `cpu` line. */
  cpu: CpuJiffies | undefined;
  cpuCount: number;
  ctxt?: number;
  processes?: number;
  procsRunning?: number;
  procsBlocked?: number;
  intrTotal?: number;
  /** The `intr` line after its total: the count of IRQ n at index n (all CPUs summed). */
  intrByIrq?: number[];
  softirqTotal?: number;
  /** The `softirq` line after its total: a count per kind, in the kernel's order (that of /proc/softirqs). */
  softirqByKind?: number[];
  btime?: number;
}

/** The number starting at `from` (up to the next blank), or undefined. */
const firstAt = (line: string, from: number) => digitsAt(line, from, blankAt(line, from));

export function parseStat(text: string): Parsed<Stat> {
  const value: Stat = { cpu: undefined, cpuCount: 0 };
  let ignored = 0;
  for (const line of lines(text)) {
    // Only the cpu line is split into words; the intr line runs to hundreds of numbers, read in place.
    const keyEnd = blankAt(line, 0);
    const key = line.slice(0, keyEnd);
    const from = nonBlankAt(line, keyEnd);
    switch (true) {
      case key === 'cpu': {
        const cpu = jiffies(line.slice(from).split(/\s+/));
        if (cpu) value.cpu = cpu;
        else ignored++;
        break;
      }
      case /^cpu\d+$/.test(key):
        value.cpuCount++;
        break;
      case key === 'ctxt':
        value.ctxt = firstAt(line, from);
        break;
      case key === 'processes':
        value.processes = firstAt(line, from);
        break;
      case key === 'procs_running':
        value.procsRunning = firstAt(line, from);
        break;
      case key === 'procs_blocked':
        value.procsBlocked = firstAt(line, from);
        break;
      case key === 'intr':
        [value.intrTotal, value.intrByIrq] = totalAndCounts(line, from);
        break;
      case key === 'softirq':
        [value.softirqTotal, value.softirqByKind] = totalAndCounts(line, from);
        break;
      case key === 'btime':
        value.btime = firstAt(line, from);
        break;
      default:
        ignored++;
    }
  }
  return { value, ignored };
}

/**
 * An `intr` or `softirq` line from `from`: its total, and the counts after it (undefined when a
 * word is not a number; the total is still read if it is one).
 */
function totalAndCounts(line: string, from: number): [number | undefined, number[] | undefined] {
  const totalEnd = blankAt(line, from);
  const total = digitsAt(line, from, totalEnd);
  const counts: number[] = [];
  for (let i = nonBlankAt(line, totalEnd); i < line.length; ) {
    const end = blankAt(line, i);
    const n = digitsAt(line, i, end);
    if (n === undefined) return [total, undefined];
    counts.push(n);
    i = nonBlankAt(line, end);
  }
  return [total, total === undefined ? undefined : counts];
}

/**
 * The lines of a /proc/interrupts reading (`names`) with their counts taken from /proc/stat's
 * `intr` line. Undefined when a named line has no number there (x86's NMI, LOC...; an IRQ past the
 * line's end): then /proc/interrupts itself must be read for counts.
 */
export function interruptsFromStat(
  names: readonly InterruptLine[],
  intrByIrq: readonly number[],
): InterruptLine[] | undefined {
  const out: InterruptLine[] = [];
  for (const line of names) {
    const irq = uint(line.irq);
    const count = irq === undefined ? undefined : intrByIrq[irq];
    if (count === undefined) return undefined;
    out.push({ ...line, count });
  }
  return out;
}

/** Softirq kinds named by a /proc/softirqs reading, counted by /proc/stat's `softirq` line (same order); undefined when the two disagree in length. */
export function softirqsFromStat(names: readonly string[], byKind: readonly number[]): SoftirqLine[] | undefined {
  if (names.length !== byKind.length) return undefined;
  return names.map((name, i) => ({ name, count: byKind[i]! }));
}

function jiffies(words: string[]): CpuJiffies | undefined {
  // Older kernels have fewer columns; missing trailing ones are 0. Junk in a present column fails.
  if (words.length < 4) return undefined;
  const out = {} as CpuJiffies;
  for (const [i, mode] of CPU_MODES.entries()) {
    const w = words[i];
    const n = w === undefined ? 0 : uint(w);
    if (n === undefined) return undefined;
    out[mode] = n;
  }
  return out;
}

/** Sum of the modes that count toward total time (guest time is already inside user/nice). */
export function totalJiffies(c: CpuJiffies): number {
  return c.user + c.nice + c.system + c.idle + c.iowait + c.irq + c.softirq + c.steal;
}
