// Memory pressure of a guest, from its reclaim counters (vmstat rates) and MemAvailable. Pure.
// Debian's UML kernels have no PSI, so pressure is read from what reclaim does: allocations that
// stalled in direct reclaim, pages scanned by them, pages read back soon after being evicted
// (refaults: the working set does not fit), major faults, swap-ins, OOM kills.
import type { Meminfo } from '../collectors/proc/meminfo.js';
import { RECLAIM_COUNTERS } from '../collectors/proc/vmstat.js';

export const PRESSURE_STATES = ['ok', 'tight', 'pressed'] as const;
export type PressureState = (typeof PRESSURE_STATES)[number];

/** Rates per second over the last two vmstat readings; `oomKills`: new since the last one. */
export interface PressureSignals {
  stallsPerSec?: number;
  directScanPerSec?: number;
  refaultsPerSec?: number;
  majorFaultsPerSec?: number;
  swapInsPerSec?: number;
  oomKills?: number;
  availableKiB?: number;
  availablePercent?: number;
}

export interface Pressure {
  state: PressureState;
  /** In words: what makes the state (the signals over their limits, or why it is ok). */
  reason: string;
  signals: PressureSignals;
}

/**
 * Where a signal turns a guest tight or pressed. Measured on a 7.2.7 guest of 128 MiB whose disk
 * working set (48 MiB) no longer fitted after an unplug: ~20 stalls/s, ~1000 direct scans/s,
 * ~600 refaults/s, ~40 major faults/s; idle or fitting again: all 0. Unplugged down to 0-2 %
 * available, the same guest stopped reading for minutes with every rate at 0: only MemAvailable
 * tells that one, hence pressed under 3 %.
 */
export const PRESSURE_LIMITS = {
  pressed: { stallsPerSec: 1, refaultsPerSec: 100, swapInsPerSec: 50, majorFaultsPerSec: 100, availablePercent: 3 },
  tight: { directScanPerSec: 1, refaultsPerSec: 10, swapInsPerSec: 1, majorFaultsPerSec: 20, availablePercent: 10 },
};

/** Names and units of the signals, as the reason says them. */
const SAID: Record<keyof Omit<PressureSignals, 'availableKiB' | 'oomKills'>, (v: number) => string> = {
  stallsPerSec: (v) => `${fmt(v)} reclaim stalls/s`,
  directScanPerSec: (v) => `${fmt(v)} pages scanned in direct reclaim/s`,
  refaultsPerSec: (v) => `${fmt(v)} refaults/s`,
  majorFaultsPerSec: (v) => `${fmt(v)} major faults/s`,
  swapInsPerSec: (v) => `${fmt(v)} swap-ins/s`,
  availablePercent: (v) => `${v.toFixed(0)}% available`,
};

const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(0) : v.toFixed(1).replace(/\.0$/, ''));

/** `undefined` until the reclaim rates are known (two vmstat readings). */
export function pressureOf(s: PressureSignals): Pressure | undefined {
  if (s.stallsPerSec === undefined && s.refaultsPerSec === undefined) return undefined;
  if ((s.oomKills ?? 0) > 0)
    return { state: 'pressed', reason: `the OOM killer killed ${s.oomKills} process(es)`, signals: s };
  const pressed = over(s, PRESSURE_LIMITS.pressed);
  if (pressed.length) return { state: 'pressed', reason: pressed.join(', '), signals: s };
  const tight = over(s, PRESSURE_LIMITS.tight);
  if (tight.length) return { state: 'tight', reason: tight.join(', '), signals: s };
  const avail = s.availablePercent === undefined ? '' : `${s.availablePercent.toFixed(0)}% available, `;
  return { state: 'ok', reason: `${avail}no direct reclaim or refaults`, signals: s };
}

/** The vmstat counters behind the rates (older kernels have one workingset_refault). */
export function reclaimCounts(vm: Record<string, number>): {
  stalls?: number;
  directScan?: number;
  refaults?: number;
} {
  return {
    stalls: sumPresent(vm, RECLAIM_COUNTERS.stalls),
    directScan: sumPresent(vm, RECLAIM_COUNTERS.directScan),
    refaults: sumPresent(vm, RECLAIM_COUNTERS.refaults),
  };
}

// Module functions: per-call closures are compiled again after each full GC (CONTRIBUTING.md).

/** The signals at or over their limit (availablePercent: under it), as the reason says them. */
function over(s: PressureSignals, limits: Record<string, number>): string[] {
  const out: string[] = [];
  for (const k in limits) {
    const v = s[k as keyof PressureSignals];
    const limit = limits[k]!;
    if (v !== undefined && (k === 'availablePercent' ? v < limit : v >= limit))
      out.push(SAID[k as keyof typeof SAID](v));
  }
  return out;
}

/** The sum of those counters the kernel has, or undefined when it has none of them. */
function sumPresent(vm: Record<string, number>, names: readonly string[]): number | undefined {
  let sum: number | undefined;
  for (const n of names) if (vm[n] !== undefined) sum = (sum ?? 0) + vm[n]!;
  return sum;
}

export function availableOf(m: Meminfo): Pick<PressureSignals, 'availableKiB' | 'availablePercent'> {
  const kib = m.MemAvailable ?? m.MemFree;
  return {
    availableKiB: kib,
    availablePercent: kib !== undefined && m.MemTotal ? Math.round((kib / m.MemTotal) * 1000) / 10 : undefined,
  };
}

/** Every pressure signal (a Record: one added to PressureSignals must be added here too). */
const SIGNAL_KEYS: Record<keyof PressureSignals, true> = {
  stallsPerSec: true,
  directScanPerSec: true,
  refaultsPerSec: true,
  majorFaultsPerSec: true,
  swapInsPerSec: true,
  oomKills: true,
  availableKiB: true,
  availablePercent: true,
};
const SIGNALS = Object.keys(SIGNAL_KEYS) as (keyof PressureSignals)[];

/** The same state, reason and signals (a view made anew from the same figures says the same). */
export function samePressure(a: Pressure | undefined, b: Pressure | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.state !== b.state || a.reason !== b.reason) return false;
  for (const s of SIGNALS) if (!Object.is(a.signals[s], b.signals[s])) return false;
  return true;
}
