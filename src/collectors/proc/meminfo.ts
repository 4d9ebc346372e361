// /proc/meminfo → { field: KiB }. Keys as the kernel spells them (MemTotal, Active(anon), ...).
// Fields without a unit (HugePages_Total) are counts and kept as they are.
// A line is `Key:<blanks>digits[<blanks>kB]`; anything else is counted as ignored.
import { blankAt, digitsAt, lines, nonBlankAt, type Parsed } from './parse-util.js';

export type Meminfo = Record<string, number>;

const keyChar = (c: number) =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 40 || c === 41;

export function parseMeminfo(text: string): Parsed<Meminfo> {
  const value: Meminfo = Object.create(null) as Meminfo;
  let ignored = 0;
  for (const line of lines(text)) {
    const colon = line.indexOf(':');
    let ok = colon > 0;
    for (let i = 0; ok && i < colon; i++) ok = keyChar(line.charCodeAt(i));
    const from = nonBlankAt(line, colon + 1);
    const to = blankAt(line, from);
    const n = ok && from > colon + 1 ? digitsAt(line, from, to) : undefined;
    const unit = nonBlankAt(line, to);
    if (n === undefined || (unit < line.length && (unit === to || line.slice(unit) !== 'kB'))) {
      ignored++;
      continue;
    }
    value[line.slice(0, colon)] = n;
  }
  return { value, ignored };
}

/**
 * Memory that no meminfo line names: MemTotal less free pages, the LRU lists, slab, kernel stacks,
 * page tables and per-cpu areas. Pages taken by UML's `config mem=-N` sit on no list, so this
 * grows by what was unplugged and shrinks by what was plugged back, while reclaim and page-cache
 * churn only move pages between the named lines. Measured on 7.2.7 under a working set that does
 * not fit: a 12 MiB unplug moved it by 12.0 MiB while MemFree moved by anything from −24 to
 * +11 MiB; seven unplugs summed to within 116 KiB (0.21 %) of one plug-back. undefined without its lines.
 */
export function unnamedKiB(m: Meminfo): number | undefined {
  const slab = m.SReclaimable !== undefined && m.SUnreclaim !== undefined ? m.SReclaimable + m.SUnreclaim : m.Slab;
  const needed = [m.MemTotal, m.MemFree, m.Active, m.Inactive, slab, m.KernelStack, m.PageTables];
  if (needed.some((v) => v === undefined)) return undefined;
  const [total, free, active, inactive, slabKiB, stacks, tables] = needed as number[];
  const optional = (m.Unevictable ?? 0) + (m.SecPageTables ?? 0) + (m.Percpu ?? 0);
  return total - free - active - inactive - slabKiB - stacks - tables - optional;
}
