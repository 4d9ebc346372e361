// /proc/stat → CPU jiffies by mode, context switches, forks, running/blocked tasks, irq/softirq totals.
import { blankAt, digitsAt, lines, nonBlankAt, uint, type Parsed } from './parse-util.js';

export const CPU_MODES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal', 'guest', 'guestNice'] as const;
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
  softirqTotal?: number;
  btime?: number;
}

/** The number starting at `from` (up to the next blank), or undefined. */
const firstAt = (line: string, from: number) => digitsAt(line, from, blankAt(line, from));

export function parseStat(text: string): Parsed<Stat> {
  const value: Stat = { cpu: undefined, cpuCount: 0 };
  let ignored = 0;
  for (const line of lines(text)) {
    // Only the cpu line needs all its words; intr and softirq lines run to hundreds of numbers
    // and only their first (the total) is used.
    const keyEnd = blankAt(line, 0);
    const key = line.slice(0, keyEnd);
    const from = nonBlankAt(line, keyEnd);
    switch (true) {
      case key === 'cpu': {
        const cpu = jiffies(line.slice(from).split(/\s+/));
        if (cpu) value.cpu = cpu; else ignored++;
        break;
      }
      case /^cpu\d+$/.test(key): value.cpuCount++; break;
      case key === 'ctxt': value.ctxt = firstAt(line, from); break;
      case key === 'processes': value.processes = firstAt(line, from); break;
      case key === 'procs_running': value.procsRunning = firstAt(line, from); break;
      case key === 'procs_blocked': value.procsBlocked = firstAt(line, from); break;
      case key === 'intr': value.intrTotal = firstAt(line, from); break;
      case key === 'softirq': value.softirqTotal = firstAt(line, from); break;
      case key === 'btime': value.btime = firstAt(line, from); break;
      default: ignored++;
    }
  }
  return { value, ignored };
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
