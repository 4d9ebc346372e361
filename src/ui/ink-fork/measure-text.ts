// Replaces ink 6.8.0 build/measure-text.js (swapped in by scripts/bundle.mjs): the widest line's
// width and the line count of a text, as upstream. Why: upstream remembers every distinct text it
// ever measured, so a monitor whose numbers change every second grows without end; this cache is
// bounded (cleared when full: a frame re-measures what it shows).
// On an Ink upgrade, re-check: dom.js still imports it as the default export with this signature.
import stringWidth from 'string-width';

const MAX = 4096;
const cache = new Map<string, { width: number; height: number }>();

export default function measureText(text: string): { width: number; height: number } {
  if (text.length === 0) return { width: 0, height: 0 };
  let dims = cache.get(text);
  if (!dims) {
    const lines = text.split('\n');
    let width = 0;
    for (const line of lines) width = Math.max(width, stringWidth(line));
    dims = { width, height: lines.length };
    if (cache.size >= MAX) cache.clear();
    cache.set(text, dims);
  }
  return dims;
}

/** How many texts are remembered (for the test of the bound). */
export function measuredCount(): number {
  return cache.size;
}
