// /proc/meminfo → { field: KiB }. Keys as the kernel spells them (MemTotal, Active(anon), ...).
// Fields without a unit (HugePages_Total) are counts and kept as they are.
import { lines, uint, type Parsed } from './parse-util.js';

export type Meminfo = Record<string, number>;

export function parseMeminfo(text: string): Parsed<Meminfo> {
  const value: Meminfo = Object.create(null) as Meminfo;
  let ignored = 0;
  for (const line of lines(text)) {
    const m = /^([A-Za-z0-9_()]+):\s+(\d+)(?:\s+(kB))?$/.exec(line);
    const n = m ? uint(m[2]) : undefined;
    if (!m || n === undefined) { ignored++; continue; }
    value[m[1]!] = n;
  }
  return { value, ignored };
}
