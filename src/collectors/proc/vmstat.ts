// /proc/vmstat → counters by name (oom_kill, pgfault, pswpin, pswpout, ...).
// A line is `name<blanks>digits` with a lower-case name; anything else is counted as ignored.
import { blankAt, digitsAt, lines, nonBlankAt, type Parsed } from './parse-util.js';

export type Vmstat = Record<string, number>;

/** The counters behind the reclaim rates (older kernels have one allocstall, one workingset_refault). */
export const RECLAIM_COUNTERS = {
  stalls: ['allocstall_dma', 'allocstall_dma32', 'allocstall_normal', 'allocstall_movable', 'allocstall'],
  directScan: ['pgscan_direct'],
  refaults: ['workingset_refault_anon', 'workingset_refault_file', 'workingset_refault'],
} as const;

/**
 * What umltop reads of vmstat: the reclaim counters and those the views show. A sample keeps only
 * these: a guest's vmstat has ~180 counters, and each reading lives until the next (30 s for a
 * quiet guest): a dictionary of ~10 KiB per guest, kept in the old space (1.8 MiB at 300 guests).
 */
export const VMSTAT_USED: ReadonlySet<string> = new Set([
  ...Object.values(RECLAIM_COUNTERS).flat(),
  'oom_kill',
  'pgfault',
  'pgmajfault',
  'pswpin',
  'pswpout',
]);

const nameChar = (c: number) => (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || c === 95;

/** `only`: keep just these counters (the others are read past, not counted as ignored). */
export function parseVmstat(text: string, only?: ReadonlySet<string>): Parsed<Vmstat> {
  const value: Vmstat = Object.create(null) as Vmstat;
  let ignored = 0;
  for (const line of lines(text)) {
    const end = blankAt(line, 0);
    let ok = end > 0;
    for (let i = 0; ok && i < end; i++) ok = nameChar(line.charCodeAt(i));
    const from = nonBlankAt(line, end);
    const n = ok && from > end ? digitsAt(line, from, line.length) : undefined;
    if (n === undefined) {
      ignored++;
      continue;
    }
    const name = line.slice(0, end);
    if (!only || only.has(name)) value[name] = n;
  }
  return { value, ignored };
}
