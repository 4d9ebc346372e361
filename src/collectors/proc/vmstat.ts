// /proc/vmstat → every counter by name (oom_kill, pgfault, pswpin, pswpout, ...).
import { lines, uint, type Parsed } from './parse-util.js';

export type Vmstat = Record<string, number>;

export function parseVmstat(text: string): Parsed<Vmstat> {
  const value: Vmstat = Object.create(null) as Vmstat;
  let ignored = 0;
  for (const line of lines(text)) {
    const m = /^([a-z0-9_]+)\s+(\d+)$/.exec(line);
    const n = m ? uint(m[2]) : undefined;
    if (!m || n === undefined) { ignored++; continue; }
    value[m[1]!] = n;
  }
  return { value, ignored };
}
