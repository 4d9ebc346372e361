// /proc/vmstat → every counter by name (oom_kill, pgfault, pswpin, pswpout, ...).
// A line is `name<blanks>digits` with a lower-case name; anything else is counted as ignored.
import { blankAt, digitsAt, lines, nonBlankAt, type Parsed } from './parse-util.js';

export type Vmstat = Record<string, number>;

const nameChar = (c: number) => (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || c === 95;

export function parseVmstat(text: string): Parsed<Vmstat> {
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
    value[line.slice(0, end)] = n;
  }
  return { value, ignored };
}
