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
