// /proc/interrupts → one row per IRQ line: per-CPU counts summed, and the rest of the line as name.
// UML's lines look like "   5:         38  SIGIO           mconsole" (host signal, then device).
import { sanitizeLine } from '../../text/sanitize.js';
import { lines, uint, type Parsed } from './parse-util.js';

export interface InterruptLine {
  /** "5", "NMI", "LOC", ... as the kernel labels the line. */
  irq: string;
  count: number;
  /** Device / description, sanitized (guest text). */
  name: string;
  /** The host signal UML routes it through (SIGIO, SIGALRM), when present. */
  chip?: string;
}

export function parseInterrupts(text: string): Parsed<InterruptLine[]> {
  const all = lines(text);
  const header = all[0] && /^(CPU\d+\s*)+$/.test(all[0]) ? all.shift()! : undefined;
  const cpus = header ? header.split(/\s+/).length : 1;
  const value: InterruptLine[] = [];
  let ignored = 0;
  for (const line of all) {
    const m = /^([^:\s]+):\s*(.*)$/.exec(line);
    if (!m) {
      ignored++;
      continue;
    }
    const words = m[2]!.split(/\s+/).filter(Boolean);
    let count = 0;
    let i = 0;
    for (; i < cpus && i < words.length; i++) {
      const n = uint(words[i]);
      if (n === undefined) break;
      count += n;
    }
    if (i === 0) {
      ignored++;
      continue;
    }
    const rest = words.slice(i);
    const chip = rest[0] && /^SIG[A-Z]+$/.test(rest[0]) ? rest.shift() : undefined;
    value.push({ irq: sanitizeLine(m[1]!), count, name: sanitizeLine(rest.join(' ')), ...(chip ? { chip } : {}) });
  }
  return { value, ignored };
}
