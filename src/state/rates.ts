// Pure rate math. Every rate comes from two samples' own timestamps, never from "now".
import { CPU_MODES, totalJiffies, type CpuJiffies } from '../collectors/proc/stat.js';

/** Linux's USER_HZ: /proc tick fields are in 1/100 s on every Linux architecture. */
export const USER_HZ = 100;

/** Per-second rate of a counter; undefined when the counter went backwards (reset) or no time passed. */
export function perSecond(curr: number | undefined, prev: number | undefined, dtMs: number): number | undefined {
  if (curr === undefined || prev === undefined || dtMs <= 0 || curr < prev) return undefined;
  return ((curr - prev) * 1000) / dtMs;
}

/** Host CPU % of one core from clock-tick deltas. */
export function ticksToPercent(currTicks: number, prevTicks: number, dtMs: number): number | undefined {
  const r = perSecond(currTicks, prevTicks, dtMs);
  return r === undefined ? undefined : (r / USER_HZ) * 100;
}

export type CpuSplit = Record<'user' | 'nice' | 'system' | 'idle' | 'iowait' | 'irq' | 'softirq' | 'steal', number>;

/** Guest CPU split in % of the guest's total time over the interval; undefined if no time passed. */
export function cpuSplit(
  curr: CpuJiffies,
  prev: CpuJiffies,
): { split: CpuSplit; busyPercent: number; totalDelta: number } | undefined {
  const total = totalJiffies(curr) - totalJiffies(prev);
  if (CPU_MODES.some((m) => curr[m] < prev[m])) return undefined; // reboot: counters reset
  if (total <= 0) return undefined;
  const pct = (m: keyof CpuSplit) => ((curr[m] - prev[m]) / total) * 100;
  const split: CpuSplit = {
    user: pct('user'),
    nice: pct('nice'),
    system: pct('system'),
    idle: pct('idle'),
    iowait: pct('iowait'),
    irq: pct('irq'),
    softirq: pct('softirq'),
    steal: pct('steal'),
  };
  return { split, busyPercent: 100 - split.idle - split.iowait, totalDelta: total };
}

export function round(n: number | undefined, digits = 1): number | undefined {
  if (n === undefined || !Number.isFinite(n)) return undefined;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
