// /proc/softirqs → count per softirq kind, per-CPU columns summed.
import { sanitizeLine } from '../../text/sanitize.js';
import { lines, uint, type Parsed } from './parse-util.js';

export interface SoftirqLine {
  name: string;
  count: number;
}

export function parseSoftirqs(text: string): Parsed<SoftirqLine[]> {
  const all = lines(text);
  if (all[0] && /^(CPU\d+\s*)+$/.test(all[0])) all.shift();
  const value: SoftirqLine[] = [];
  let ignored = 0;
  for (const line of all) {
    const m = /^([A-Za-z0-9_]+):\s+(.*)$/.exec(line);
    const counts = m?.[2]?.split(/\s+/).map(uint);
    if (!m || !counts || counts.length === 0 || counts.some((c) => c === undefined)) {
      ignored++;
      continue;
    }
    value.push({ name: sanitizeLine(m[1]!), count: counts.reduce((a, b) => a! + b!, 0)! });
  }
  return { value, ignored };
}
